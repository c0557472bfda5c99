"""KPI dashboard, KPI page, value entry and the outcomes grid in a real browser, checked by axe-core."""

import pytest

from core.roles import COMMISSIONER


@pytest.fixture
def demo_kpis(transactional_db, role_user):
    from kpis import demo as kpi_demo
    from outcomes import demo as outcome_demo

    users = {COMMISSIONER: role_user(COMMISSIONER)}
    outcome_demo.load(users=users)
    kpi_demo.load(users=users)


def test_commissioner_filters_kpis_opens_one_and_enters_a_value(demo_kpis, signed_in_page, live_server,
                                                                 assert_accessible):
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/kpis/")
    assert page.locator("h1").inner_text() == "KPIs"
    assert_accessible(page)

    page.get_by_label("Status").select_option("red")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    statuses = page.locator("table tbody .app-rag").all_inner_texts()
    assert statuses and set(statuses) == {"Red"}

    page.get_by_role("link", name="SC06", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img] title").count() >= 1
    assert page.locator("#measurements tbody tr").count() == 36
    assert_accessible(page)

    page.get_by_role("link", name="Enter a value").click()
    page.wait_for_load_state()
    periods = page.get_by_label("Period").locator("option").all_inner_texts()
    assert periods[0] == "Select the period" and len(periods) > 1, periods[:3]
    page.get_by_role("button", name="Save value").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert "Select the period" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def test_outcomes_grid_is_accessible(demo_kpis, signed_in_page, live_server, assert_accessible):
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/outcomes/")
    assert page.locator("#framework tbody tr").count() == 6
    assert_accessible(page)
