"""The sign-in page once the council's own sign-in is set up: both ways in, accessible at 1280 and 390 px. The
sign-in itself, through a real provider, is tests/test_council_sign_in.py."""

import pytest


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sign_in_page_offers_the_council_account_and_the_local_form(page, live_server, settings,
                                                                        transactional_db, assert_accessible, width):
    settings.OIDC_RP_CLIENT_ID = "childrens-commissioning"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.gov.uk/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.gov.uk/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.gov.uk/keys"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/contracts/")

    council = page.get_by_role("button", name="Sign in with your council account")
    assert council.is_visible()
    assert council.get_attribute("href") == "/sign-in/council/?next=/contracts/"
    assert page.get_by_label("Username").is_visible() and page.get_by_label("Password").is_visible()
    assert page.get_by_role("heading", name="Sign in with a username and password").is_visible()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, "no sideways scroll"
    assert_accessible(page)
