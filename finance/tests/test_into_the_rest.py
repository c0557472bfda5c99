"""What finance adds to shared pages: KPI data sources, the committee report section, the home page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.periods import financial_year_bounds, financial_year_of
from core.registry import registry
from finance import reports
from finance.tests.factories import BudgetLineFactory
from kpis.measures import get_measure
from placements.tests.factories import CostLineFactory, PlacementFactory


def homes(n, weekly="4900.00"):
    for _ in range(n):
        CostLineFactory(placement=PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot",
                                                   start=date(2025, 4, 1)), weekly_amount=Decimal(weekly))


@pytest.mark.django_db
def test_forecast_variance_and_average_weekly_cost_are_kpi_data_sources():
    BudgetLineFactory(code="HOMES", placement_category="childrens_home", provision="external",
                      amount=Decimal("500000"))
    homes(2)  # 2 x 365 x £700 = £511,000: £11,000 over
    homes(1, weekly="3500.00")  # £182,500
    variance = get_measure("finance.forecast_variance").compute(date(2025, 7, 1), date(2025, 9, 30))
    assert variance.value == Decimal("193500.00")
    average = get_measure("finance.average_weekly_cost.childrens_home").compute(date(2025, 7, 1), date(2025, 9, 30))
    assert average.value == Decimal("4433.33")  # (4,900 + 4,900 + 3,500) / 3
    assert get_measure("finance.average_weekly_cost.secure").compute(date(2025, 7, 1), date(2025, 9, 30)) is None


@pytest.mark.django_db
def test_the_report_section_prints_the_money_of_a_line_covering_few_children():
    BudgetLineFactory(code="HOMES", name="External children's homes", placement_category="childrens_home",
                      provision="external", amount=Decimal("2000000"))
    BudgetLineFactory(code="FOS", name="In-house fostering", amount=Decimal("300000"))
    BudgetLineFactory(code="SEC", name="Secure", placement_category="secure", provision="any",
                      amount=Decimal("300000"))
    homes(8)
    for _ in range(7):
        CostLineFactory(placement=PlacementFactory(start=date(2025, 4, 1)), weekly_amount=Decimal("700"))
    for _ in range(3):  # three children in secure homes: £1,000 a night each, £365,000 a year
        CostLineFactory(placement=PlacementFactory(placement_type="K1", provider_kind="PR2", route="spot",
                                                   start=date(2025, 4, 1)), weekly_amount=Decimal("7000"))
    context = reports.section_context(period_start=date(2025, 7, 1), period_end=date(2025, 9, 30),
                                      as_of=date(2026, 1, 15))
    assert context["day"] == date(2025, 9, 30)
    # the three children's count is [c], and the fostering line's too (total less homes would give it back)
    assert {r["line"].code: r["children"].display for r in context["rows"]} == {
        "FOS": "[c]", "HOMES": "8", "SEC": "[c]"}
    from django.template.loader import render_to_string

    html = render_to_string("finance/pdf/section.html", {**context, "section": {"number": 4}})
    secure = html[html.index("<td>Secure</td>"):]
    secure = secure[:secure.index("</tr>")]
    # budget, actual to date (183 nights), committed (182 nights), forecast, variance: money is not a count
    assert [c.split("<")[0] for c in secure.split('<td class="num">')[1:]] == [
        "£300,000", "£549,000", "£546,000", "£1,095,000", "£795,000"]
    assert "[c]" not in html
    text = context["implications"]
    assert text.startswith("The placements budget for 2025/26 is £2,600,000. As at 30 September 2025 the forecast "
                           "outturn is £3,394,500")  # 2,044,000 + 7 x 36,500 + 3 x 365,000
    assert "External children's homes (£44,000 over)" in text  # 8 x £255,500 = £2,044,000
    assert "Secure (£795,000 over)" in text  # a line of three children is named with its money


@pytest.mark.django_db
def test_the_financial_implications_say_when_no_budget_is_loaded():
    assert reports.financial_implications_text(as_of=date(2025, 10, 31)) == (
        "No placements budget has been loaded for 2025/26, so no forecast outturn can be given.")


def test_the_report_section_and_the_home_item_are_registered():
    assert registry.report_sections["finance"].heading == "Financial position"
    assert registry.dashboard_items["budget_lines_overspend"].label == "Budget lines forecast to overspend"
    assert registry.demo_loaders["finance"].order > registry.demo_loaders["placements"].order


def test_commissioners_see_lines_forecast_to_overspend_on_the_home_page(client, commissioner, viewer):
    from django.utils import timezone

    year = financial_year_of(timezone.localdate())
    BudgetLineFactory(financial_year=year, code="HOMES", placement_category="childrens_home", provision="external",
                      amount=Decimal("1000"))
    homes_start = financial_year_bounds(year)[0]
    CostLineFactory(placement=PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot",
                                               start=homes_start), weekly_amount=Decimal("4900"))
    client.force_login(commissioner)
    html = client.get(reverse("home")).content.decode()
    assert "Budget lines forecast to overspend" in html
    assert f'href="{reverse("finance:index")}">1<' in html
    client.force_login(viewer)
    assert "Budget lines forecast to overspend" not in client.get(reverse("home")).content.decode()

