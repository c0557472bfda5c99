"""Signing in at ASVS level 2: an idle timeout with a warning, a password everyone can change, and a second
factor (an authenticator app) that administrators must use."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import ADMINISTRATOR, COMMISSIONER

PASSWORD = "test-password-123"


def _code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def _sign_in(client, username, password=PASSWORD):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


# -- idle timeout ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_idle_for_longer_than_the_timeout_is_signed_out_and_told_why(client, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    make_user(COMMISSIONER)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _sign_in(client, "commissioner").status_code == 302
        assert client.get("/").status_code == 200
        clock.move_to(start + timedelta(minutes=20))
        assert client.get("/kpis/").status_code == 200, "activity 20 minutes in keeps the session"
        clock.move_to(start + timedelta(minutes=45))
        assert client.get("/kpis/").status_code == 200, "25 minutes after the last activity: still signed in"
        clock.move_to(start + timedelta(minutes=76))
        response = client.get("/kpis/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/kpis/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had done nothing for 30 minutes" in page
    assert client.get("/kpis/").status_code == 302, "the session is over, not just the page"


@pytest.mark.django_db
def test_stay_signed_in_restarts_the_idle_clock(client, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    make_user(COMMISSIONER)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "commissioner")
        page = client.get("/").content.decode()
        assert 'data-idle-timeout="1800"' in page and 'data-idle-warning="120"' in page
        assert "You will be signed out soon" in page and "Stay signed in" in page
        clock.move_to(start + timedelta(minutes=29))
        keep = client.post("/account/keep-alive/", {"next": "/"}, HTTP_ACCEPT="application/json")
        assert keep.status_code == 204
        clock.move_to(start + timedelta(minutes=58))
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_no_warning_for_a_signed_out_visitor(client):
    page = client.get("/sign-in/").content.decode()
    assert "data-idle-timeout" not in page and "idle-timeout-dialog" not in page


# -- passwords ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_user_can_change_their_own_password(client, make_user):
    make_user("Viewer")
    _sign_in(client, "viewer")
    account = client.get("/account/").content.decode()
    assert 'href="/account/password/"' in account

    wrong = client.post(
        "/account/password/",
        {"old_password": "not-it", "new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()
    assert "Your old password was entered incorrectly" in wrong.content.decode()

    done = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
        follow=True,
    )
    assert "Your password has been changed." in done.content.decode()
    assert get_user_model().objects.get(username="viewer").check_password("a-long-new-passphrase")
    assert client.get("/").status_code == 200, "changing the password keeps this session signed in"


# -- second factor --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_must_set_up_an_authenticator_app_before_anything_else(client, make_user, settings):
    settings.SECOND_FACTOR_FOR_ADMINISTRATORS = True
    make_user(ADMINISTRATOR, username="ada")
    response = _sign_in(client, "ada")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/account/authenticator/set-up/?next=")
    assert client.get("/admin/")["Location"].startswith("/account/authenticator/set-up/")

    setup = client.get(home["Location"]).content.decode()
    assert "<svg" in setup and 'aria-label="QR code for your authenticator app"' in setup
    key = re.search(r'id="secret-key">([A-Z2-7 ]+)<', setup)[1]
    device = TOTPDevice.objects.get(user__username="ada")
    assert key.replace(" ", "") in device.config_url

    wrong = client.post(home["Location"], {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Enter the 6-digit code your authenticator app shows now" in wrong.content.decode()
    assert client.get("/").status_code == 302, "a wrong code sets nothing up"

    confirmed = client.post(home["Location"], {"code": _code(device)})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_person_with_an_app_gives_its_code_at_every_sign_in(client, make_user, settings):
    settings.SECOND_FACTOR_FOR_ADMINISTRATORS = True
    admin = make_user(ADMINISTRATOR, username="ada")
    device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    _sign_in(client, "ada")
    asked = client.get("/contracts/")
    assert asked["Location"] == "/account/authenticator/code/?next=%2Fcontracts%2F"
    page = client.get(asked["Location"]).content.decode()
    assert "Enter the code from your authenticator app" in page

    refused = client.post(asked["Location"], {"code": "12"})
    assert "The code is not right" in refused.content.decode()
    accepted = client.post(asked["Location"], {"code": _code(device)})
    assert accepted["Location"] == "/contracts/"
    assert client.get("/contracts/").status_code == 200


@pytest.mark.django_db
def test_a_commissioner_needs_no_code_until_they_choose_an_app(client, make_user, settings):
    settings.SECOND_FACTOR_FOR_ADMINISTRATORS = True
    commissioner = make_user(COMMISSIONER)
    _sign_in(client, "commissioner")
    assert client.get("/").status_code == 200
    account = client.get("/account/").content.decode()
    assert "Not set up" in account

    client.get("/account/authenticator/set-up/")
    device = TOTPDevice.objects.get(user=commissioner)
    client.post("/account/authenticator/set-up/", {"code": _code(device)})
    client.post("/sign-out/")
    _sign_in(client, "commissioner")
    assert client.get("/")["Location"].startswith("/account/authenticator/code/"), "chosen, then always asked"


@pytest.mark.django_db
def test_the_code_page_goes_nowhere_outside_the_service(client, make_user, settings):
    settings.SECOND_FACTOR_FOR_ADMINISTRATORS = True
    admin = make_user(ADMINISTRATOR, username="ada")
    device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    _sign_in(client, "ada")
    response = client.post("/account/authenticator/code/?next=https://evil.example/", {"code": _code(device)})
    assert response["Location"] == "/"
