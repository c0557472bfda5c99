"""Signing in with the council's own account, end to end: a real OpenID Connect provider (django-oauth-toolkit,
tests/oidc_provider/) runs on 127.0.0.1 in its own process with its own database and an RSA key made here; the
service runs on pytest-django's live server; an HTTP client follows the redirects and fills in the provider's
sign-in and consent forms as a person's browser would. Nothing about the provider is mocked."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from axes.models import AccessAttempt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from core.oidc import NO_ROLE_MESSAGE
from core.roles import ADMINISTRATOR, COMMISSIONER

pytestmark = pytest.mark.xdist_group("oidc")

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "childrens-commissioning"
PASSWORD = "provider-password-1"
ROLE_GROUPS = "Commissioning Team=Commissioner,ICT Service Desk=Administrator,Placements Team=Placements officer"


class _Page(HTMLParser):
    """The forms (action, inputs) and links (text -> href) of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.links: dict[str, str] = {}
        self._href = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "inputs": {}})
        elif tag == "input" and self.forms and attrs.get("name") and attrs.get("type") != "submit":
            self.forms[-1]["inputs"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "a":
            self._href, self._text = attrs.get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links[" ".join(self._text.split())] = self._href
            self._href = None


def _submit(session: requests.Session, response: requests.Response, fields: dict) -> requests.Response:
    """Post the page's (only) form with these fields added to its hidden ones."""
    (form,) = _Page(response.text).forms
    return session.post(urljoin(response.url, form["action"]), data={**form["inputs"], **fields}, timeout=30)


@dataclass
class Provider:
    url: str
    folder: Path
    env: dict
    redirect_uri: str
    client_secret: str

    def manage(self, *args, stdin: str | None = None) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=PROVIDER_DIR, env=self.env, input=stdin, text=True,
                       check=True, capture_output=True, timeout=120)

    def people(self, *people: tuple[str, list[str]]) -> None:
        """Put these people in the provider, each (username, groups), as the council's directory has them."""
        self.manage("provision", stdin=json.dumps({
            "client_id": CLIENT_ID, "client_secret": self.client_secret, "redirect_uri": self.redirect_uri,
            "people": [{"username": username, "password": PASSWORD, "email": username,
                        "given_name": username.split(".")[0].title(), "family_name": "Example", "groups": groups}
                       for username, groups in people],
        }))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory, live_server):
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "signing-key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    url = f"http://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PROVIDER_DATABASE": str(folder / "provider.sqlite3"),
           "PROVIDER_RSA_KEY_FILE": str(folder / "signing-key.pem"), "PROVIDER_ISSUER": f"{url}/o",
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    found = Provider(url=url, folder=folder, env=env, client_secret=secrets.token_urlsafe(32),
                     redirect_uri=f"{live_server.url}/sign-in/council/callback/")
    found.manage("migrate", "--noinput")
    log = open(folder / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", url.removeprefix("http://"), "--noreload"],
        cwd=PROVIDER_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/o/.well-known/jwks.json", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The test identity provider did not start:\n" + (folder / "server.log").read_text())
            time.sleep(0.2)
        yield found
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def council_sign_in(settings, provider, transactional_db):
    """The service set up to sign people in through the provider, as README.md says for Entra ID: the ID token's
    claims only (no userinfo endpoint), the issuer checked."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/o/token/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/o/.well-known/jwks.json"
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_OP_ISSUER = f"{provider.url}/o"
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.SECOND_FACTOR_FOR_ADMINISTRATORS = True
    return provider


def _sign_in(app_url: str, username: str, *, start: str) -> tuple[requests.Session, requests.Response]:
    """Open `start` signed out, choose "Sign in with your council account", sign in at the provider and allow the
    service; the answer is the page the person ends on."""
    browser = requests.Session()
    sign_in_page = browser.get(f"{app_url}{start}", timeout=30)
    assert sign_in_page.url.startswith(f"{app_url}/sign-in/")
    page = _Page(sign_in_page.text)
    assert "username" in page.forms[0]["inputs"] or 'name="username"' in sign_in_page.text, "the local form stays"
    provider_sign_in = browser.get(urljoin(sign_in_page.url, page.links["Sign in with your council account"]),
                                   timeout=30)
    assert "Council identity provider" in provider_sign_in.text, provider_sign_in.text[:500]
    consent = _submit(browser, provider_sign_in, {"username": username, "password": PASSWORD})
    assert "Authorize Children&#x27;s commissioning?" in consent.text or "Authorize" in consent.text, consent.text[:500]
    return browser, _submit(browser, consent, {"allow": "Authorize"})


def test_a_commissioner_signs_in_with_their_council_account_and_lands_where_they_were_going(council_sign_in,
                                                                                            live_server):
    council_sign_in.people(("jane.smith@example.gov.uk", ["Commissioning Team", "All Staff"]))

    browser, landed = _sign_in(live_server.url, "jane.smith@example.gov.uk", start="/contracts/")

    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/contracts/"
    assert "Jane Example" in landed.text and "Contracts" in landed.text
    person = get_user_model().objects.get(username="jane.smith@example.gov.uk")
    assert set(person.groups.values_list("name", flat=True)) == {COMMISSIONER}
    assert not person.is_staff
    assert person.email == "jane.smith@example.gov.uk"
    assert not person.has_usable_password(), "a council account has no password here"
    # A commissioner's pages open; an administrator's do not.
    assert browser.get(f"{live_server.url}/contracts/new/", timeout=30).status_code == 200
    assert browser.get(f"{live_server.url}/system-status/", timeout=30).status_code == 403


def test_an_administrator_signed_in_through_the_provider_is_not_asked_for_an_authenticator_code(
    council_sign_in, live_server, make_user, client
):
    council_sign_in.people(("sam.jones@example.gov.uk", ["ICT Service Desk"]))

    browser, landed = _sign_in(live_server.url, "sam.jones@example.gov.uk", start="/system-status/")

    assert [r.url for r in landed.history if "/account/authenticator/" in r.headers.get("Location", "")] == []
    assert landed.url == f"{live_server.url}/system-status/"
    assert landed.status_code == 200 and "System status" in landed.text
    assert "authenticator" not in landed.text.lower()
    person = get_user_model().objects.get(username="sam.jones@example.gov.uk")
    assert set(person.groups.values_list("name", flat=True)) == {ADMINISTRATOR}
    assert person.is_staff, "administrators reach the Django admin"
    # The same role signing in with a local password is still asked for one.
    make_user(ADMINISTRATOR, username="local_admin")
    local = client.post("/sign-in/", {"username": "local_admin", "password": "test-password-123"},
                        REMOTE_ADDR="10.0.0.9", follow=True)
    assert local.redirect_chain[-1][0].startswith("/account/authenticator/set-up/")


def test_roles_follow_the_provider_groups_at_every_sign_in_and_no_group_means_no_way_in(council_sign_in,
                                                                                        live_server):
    username = "alex.brown@example.gov.uk"
    council_sign_in.people((username, ["Placements Team"]))
    _, landed = _sign_in(live_server.url, username, start="/placements/")
    assert landed.url == f"{live_server.url}/placements/" and landed.status_code == 200
    person = get_user_model().objects.get(username=username)
    assert set(person.groups.values_list("name", flat=True)) == {"Placements officer"}

    # Moved at the council to a team that has no role in the service.
    council_sign_in.people((username, ["Finance Team"]))
    browser, landed = _sign_in(live_server.url, username, start="/placements/")

    assert landed.url == f"{live_server.url}/sign-in/" and 'name="password"' in landed.text
    assert NO_ROLE_MESSAGE.format(name=username).replace("'", "&#x27;") in landed.text
    assert set(person.groups.values_list("name", flat=True)) == set(), "the role they had is taken away"
    home = browser.get(f"{live_server.url}/", timeout=30)
    assert home.url.startswith(f"{live_server.url}/sign-in/"), "not signed in"
    # Refusals are not password guesses: they never lock anyone at the same address out (django-axes).
    assert not AccessAttempt.objects.exists()
    council_sign_in.people((username, ["Commissioning Team"]))
    _, landed = _sign_in(live_server.url, username, start="/contracts/")
    assert landed.url == f"{live_server.url}/contracts/" and landed.status_code == 200
    assert set(person.groups.values_list("name", flat=True)) == {COMMISSIONER}
