"""The council's own sign-in (core/oidc.py): the role mapping, the sign-in page and the start-up check. The sign-in
itself, against a real provider, is tests/test_council_sign_in.py."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.oidc import council_sign_in_check, role_groups_parse, roles_for_groups

ENTRA_GROUP_ID = "5b6c1b0e-3f7a-4d0b-9a55-2c9e8f1d7a10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("Commissioning Team=Commissioner", {"Commissioning Team": "Commissioner"}),
        (
            f" Commissioning Team = Commissioner , {ENTRA_GROUP_ID}=Placements officer,",
            {"Commissioning Team": "Commissioner", ENTRA_GROUP_ID: "Placements officer"},
        ),
        ("Scrutiny=Committee officer,Everyone=Viewer,ICT=Administrator",
         {"Scrutiny": "Committee officer", "Everyone": "Viewer", "ICT": "Administrator"}),
        ("A=B team=Viewer", {"A=B team": "Viewer"}),  # the role is after the last "="
    ],
)
def test_role_groups_setting_is_read_as_group_to_role(text, expected):
    assert role_groups_parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Commissioning Team=Commissioners", "'Commissioners' is not a role"),
        ("Commissioning Team", "'Commissioning Team' is not group=role"),
        ("=Viewer", "'=Viewer' is not group=role"),
    ],
)
def test_a_role_groups_setting_with_a_mistake_is_refused_with_the_reason(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        role_groups_parse(text)


MAPPING = {"Commissioning Team": "Commissioner", ENTRA_GROUP_ID: "Viewer", "Everyone": "Viewer"}


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        (["Commissioning Team", "All Staff"], {"Commissioner"}),
        ([ENTRA_GROUP_ID, "Everyone"], {"Viewer"}),
        (["Commissioning Team", ENTRA_GROUP_ID], {"Commissioner", "Viewer"}),
        ("Commissioning Team", {"Commissioner"}),  # a claim of one group as a plain string
        (["commissioning team"], set()),  # matched exactly, as the provider sends them
        (["Finance Team"], set()),
        ([], set()),
        (None, set()),
    ],
)
def test_the_providers_groups_give_the_mapped_roles(groups, roles):
    assert roles_for_groups(groups, MAPPING) == roles


def _set_up(settings):
    settings.OIDC_RP_CLIENT_ID = "childrens-commissioning"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.gov.uk/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.gov.uk/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.gov.uk/keys"
    settings.OIDC_ROLE_GROUPS = "Commissioning Team=Commissioner"


@pytest.mark.django_db
def test_the_sign_in_page_offers_only_the_local_form_until_the_council_sign_in_is_set_up(client):
    page = client.get("/sign-in/?next=/kpis/").content.decode()
    assert "Sign in with your council account" not in page
    assert 'name="username"' in page and 'name="password"' in page
    assert client.get("/sign-in/council/").status_code == 404
    assert client.get("/sign-in/council/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_council_account_and_keeps_the_local_form(client, settings):
    _set_up(settings)
    page = client.get("/sign-in/?next=/kpis/").content.decode()
    assert 'href="/sign-in/council/?next=/kpis/"' in page
    assert "Sign in with your council account" in page
    assert "Sign in with a username and password" in page
    assert 'name="username"' in page and 'name="password"' in page


@pytest.mark.django_db
def test_the_council_sign_in_sends_the_person_to_the_provider_with_pkce(client, settings):
    _set_up(settings)
    response = client.get("/sign-in/council/?next=/kpis/")
    assert response.status_code == 302
    address = urlsplit(response["Location"])
    assert f"{address.scheme}://{address.netloc}{address.path}" == "https://login.example.gov.uk/authorize"
    query = parse_qs(address.query)
    assert query["client_id"] == ["childrens-commissioning"]
    assert query["redirect_uri"] == ["http://testserver/sign-in/council/callback/"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert client.session["oidc_login_next"] == "/kpis/"


def test_start_up_check_finds_a_half_set_up_sign_in_and_a_wrong_role(settings):
    assert council_sign_in_check() == []
    settings.OIDC_RP_CLIENT_ID = "childrens-commissioning"
    settings.OIDC_ROLE_GROUPS = "Commissioning Team=Commissioners"
    found = {message.id: message.msg for message in council_sign_in_check()}
    assert "OIDC_OP_TOKEN_ENDPOINT" in found["core.W101"]
    assert "'Commissioners' is not a role" in found["core.E101"]
    _set_up(settings)
    settings.OIDC_ROLE_GROUPS = ""
    assert [message.id for message in council_sign_in_check()] == ["core.W102"]
