"""Each role signs in, walks the navigation, and signs out; axe-core checks every page visited."""

import pytest

from core.roles import ROLES, VIEWER

from .conftest import sign_in

NAV = ["Dashboard", "Outcomes", "KPIs", "Contracts", "Market", "Placements", "Finance", "Sufficiency", "Actions",
       "Programme", "Reports"]
SEES_PLACEMENTS = set(ROLES)  # the placements dashboard holds totals only: every role may open it


@pytest.mark.parametrize("role", ROLES)
def test_role_signs_in_navigates_and_signs_out(signed_in_page, live_server, assert_accessible, role):
    page = signed_in_page(role)
    assert page.url == f"{live_server.url}/"
    header = page.locator("header").inner_text()
    assert "Example Borough Council" in header
    assert role in header
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="Menu")
    expected = [
        item for item in NAV
        if (item != "Placements" or role in SEES_PLACEMENTS) and (item != "Reports" or role != VIEWER)
    ]
    assert [t.strip() for t in nav.get_by_role("link").all_inner_texts()][: len(expected)] == expected
    for item in expected[1:]:
        nav.get_by_role("link", name=item, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1, f"{item} page should have one h1"
        assert page.title().endswith("Example Borough Council")
        assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/sign-in/" in page.url
    page.goto(f"{live_server.url}/contracts/")
    assert "/sign-in/" in page.url, "signed-out users are sent to sign in"


def test_wrong_password_shows_the_error_summary(page, live_server, role_user, assert_accessible):
    role_user(VIEWER)
    sign_in(page, live_server, "viewer", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct username and password" in summary.inner_text()
    assert page.locator("#id_username").get_attribute("class").endswith("govuk-input--error")
    assert_accessible(page)


def test_error_pages_keep_the_look(signed_in_page, live_server, assert_accessible):
    page = signed_in_page(VIEWER)
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/system-status/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert_accessible(page)
