"""Finance pages in the browser, each checked by axe-core: the dashboard, a line's placements, the history
with its chart and button, high-cost placements, savings, budgets and the imports."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.periods import financial_year_of
from core.roles import ADMINISTRATOR, COMMISSIONER
from tests.browser.conftest import fill_date

pytestmark = pytest.mark.browser


@pytest.fixture
def budget(transactional_db):
    from django.apps import apps

    from finance.tests.factories import BudgetLineFactory
    from placements.reference import load_codes
    from placements.tests.factories import CostLineFactory, PlacementFactory

    load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables
    year = financial_year_of(timezone.localdate())
    BudgetLineFactory(financial_year=year, code="PL04", name="Children's homes: external",
                      placement_category="childrens_home", provision="external", amount=Decimal("300000"))
    for _ in range(7):
        placement = PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot",
                                     start=timezone.localdate() - timedelta(days=200))
        CostLineFactory(placement=placement, weekly_amount=Decimal("7350"))
    return year


def test_finance_pages_are_accessible(signed_in_page, live_server, assert_accessible, budget):
    page = signed_in_page(ADMINISTRATOR)
    page.goto(f"{live_server.url}/finance/")
    assert page.locator("h1").inner_text().startswith("Placements budget")
    assert "Over budget" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="PL04 Children's homes: external").click()
    page.wait_for_load_state()
    assert "7 placements behind this line" in page.content()
    assert_accessible(page)
    for path in ["budgets/", "high-cost/", "savings/", "import/budgets/", "import/placement-costs/"]:
        page.goto(f"{live_server.url}/finance/{path}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_keeping_the_forecast_and_a_bad_date(signed_in_page, live_server, assert_accessible, budget):
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/finance/history/")
    fill_date(page, "Keep the forecast as at", "31/02/2025")
    page.get_by_role("button", name="Keep the forecast").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    fill_date(page, "Keep the forecast as at", f"{date.today():%d/%m/%Y}")
    page.get_by_role("button", name="Keep the forecast").click()
    page.wait_for_load_state()
    assert f"Forecast as at {date.today():%-d %B %Y} kept." in page.content()
    assert page.locator("svg.app-chart").count() == 1
    assert_accessible(page)
