"""The sign-in lockout protects the user, not the attacker: five wrong passwords lock that username from the
address they came from only, read through the trusted proxy's X-Forwarded-For, and the page never says
whether the username exists."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.client_address import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"  # make_user's
PROXY = "10.0.0.2"  # the reverse proxy on the host: every request reaches the app from it


def _sign_in(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def _fail_until_locked(client, settings, username, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, username, "wrong", **meta)
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    response = _sign_in(client, username, "wrong", **meta)
    assert response.status_code == 429
    return response


def _main(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def test_five_failures_from_one_address_lock_that_address_only(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("Viewer", username="val")
    _fail_until_locked(client, settings, "val", REMOTE_ADDR="203.0.113.5")
    # Locked from that address, even with the right password.
    response = _sign_in(client, "val", PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429 and "Too many attempts to sign in" in response.content.decode()
    # The same person from another address signs in.
    response = _sign_in(client, "val", PASSWORD, REMOTE_ADDR="198.51.100.7", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Signed in as" in response.content.decode()


def test_the_lockout_page_is_the_same_whether_or_not_the_username_exists(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("Viewer", username="val")
    real = _fail_until_locked(client, settings, "val", REMOTE_ADDR="203.0.113.5")
    made_up = _fail_until_locked(client, settings, "nobody-by-this-name", REMOTE_ADDR="203.0.113.5")
    assert _main(real) == _main(made_up)
    assert "Too many attempts to sign in" in _main(real)
    assert "val" not in _main(real) and "nobody" not in _main(made_up)


def test_behind_one_trusted_proxy_the_address_is_the_one_the_proxy_added_not_one_the_client_forged(
    client, make_user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("Viewer", username="val")
    # The guesser forges a different left-most entry each time; the proxy appends the address it really saw.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "val", "wrong", REMOTE_ADDR=PROXY,
                            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    assert response.status_code == 429
    response = _sign_in(client, "val", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert response.status_code == 429  # a new forged entry does not get the guesser out
    # Everyone else comes through the same proxy, and is not locked out.
    response = _sign_in(client, "val", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),  # no proxy: the header is the client's own, ignored
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "192.0.2.1, 203.0.113.5", "203.0.113.5"),  # forged left-most entry ignored
        (1, PROXY, "192.0.2.1,203.0.113.5:4711", "203.0.113.5"),  # a port is not part of the address
        (1, PROXY, "[2001:db8::1]:4711", "2001:db8::1"),
        (2, "10.0.0.3", "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # load balancer, then proxy
        (2, "10.0.0.3", "203.0.113.5", "10.0.0.3"),  # fewer entries than proxies: not trusted
        (1, PROXY, "", PROXY),  # reached without the header
        (1, PROXY, "unknown", PROXY),  # not an address
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxies_entries(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_address(request) == expected
