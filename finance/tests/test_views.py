from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.formatting import MINUS
from finance.models import ForecastSnapshot
from finance.tests.factories import BudgetLineFactory
from placements.tests.factories import CostLineFactory, PlacementFactory

AS_OF = "31/10/2025"


def homes(n, weekly="4900.00", start=date(2025, 4, 1), **kw):
    for _ in range(n):
        placement = PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot", start=start, **kw)
        CostLineFactory(placement=placement, weekly_amount=Decimal(weekly))


def fostering(n, weekly="700.00"):
    for _ in range(n):
        CostLineFactory(placement=PlacementFactory(start=date(2025, 4, 1)), weekly_amount=Decimal(weekly))


@pytest.fixture
def lines(db):
    # Ten homes at £700 a night: 365 nights each = £255,500, £2,555,000 for the line (budget £2,500,000: red).
    # Eight in-house foster placements at £100 a night: £36,500 each, £292,000 (budget £300,000: green).
    BudgetLineFactory(code="HOMES", name="External children's homes", placement_category="childrens_home",
                      provision="external", amount=Decimal("2500000"))
    BudgetLineFactory(code="FOS", name="In-house fostering", amount=Decimal("300000"))
    BudgetLineFactory(code="SCH", name="Residential schools", placement_category="residential_school",
                      provision="any", amount=Decimal("400000"))


def test_dashboard_shows_each_line_with_its_forecast_and_status(commissioner_client, lines):
    homes(10)
    fostering(8)
    html = commissioner_client.get(reverse("finance:index"), {"year": 2025, "as_of": AS_OF}).content.decode()
    assert "Placements budget 2025/26" in html
    assert "£2,555,000" in html and "£55,000" in html and "Over budget" in html
    assert "£292,000" in html and "Within budget" in html
    assert 'id="total-forecast">£2,847,000<' in html
    assert reverse("finance:line", args=[2025, "HOMES"]) in html  # commissioners may drill down


@pytest.mark.parametrize("size", [1, 2])
def test_dashboard_runs_the_same_queries_at_two_sizes(commissioner_client, lines, size, django_assert_num_queries):
    homes(3 * size)
    fostering(7 * size)
    url = reverse("finance:index") + "?year=2025&as_of=31/10/2025"
    with CaptureQueriesContext(connection) as small:
        assert commissioner_client.get(url).status_code == 200
    homes(20)
    fostering(30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert commissioner_client.get(url).status_code == 200


def test_committee_officers_see_every_line_s_money_with_small_counts_of_children_suppressed(committee_client, lines):
    homes(10)
    fostering(3)  # three children: their count is [c], and so is the homes count (total less it would give it)
    html = committee_client.get(reverse("finance:index"), {"year": 2025, "as_of": AS_OF}).content.decode()
    fos = html[html.index('data-code="FOS"'):]
    fos = fos[:fos.index("</tr>")]
    cells = [c.split("<")[0] for c in fos.split('govuk-table__cell--numeric">')[1:]]
    # children, budget, actual to date, committed, forecast (3 x £36,500), variance
    assert cells == ["[c]", "£300,000", "£64,200", "£45,300", "£109,500", f"{MINUS}£190,500"]
    assert "Within budget" in fos
    homes_row = html[html.index('data-code="HOMES"'):]
    assert homes_row[:homes_row.index("</tr>")].count("[c]") == 1  # its count only: £2,555,000 is shown
    assert "£2,555,000" in html
    assert 'id="total-children">13<' in html and 'id="total-forecast">£2,664,500<' in html
    assert "not shown to protect confidentiality" in html
    assert reverse("finance:line", args=[2025, "HOMES"]) not in html  # no drill-down to the children


def test_the_drill_down_lists_the_placements_behind_a_line(placements_client, lines):
    homes(2)
    fostering(1)
    html = placements_client.get(reverse("finance:line", args=[2025, "HOMES"]), {"as_of": AS_OF}).content.decode()
    assert "2 placements behind this line" in html
    assert html.count("£255,500") == 2  # each home's forecast for the year
    assert "£36,500" not in html  # the foster placement is on another line
    assert placements_client.get(reverse("finance:line", args=[2025, "NOPE"])).status_code == 404


def test_unbudgeted_placements_have_their_own_drill_down(placements_client, lines):
    PlacementFactory(placement_type="U6", provider_kind="PR4", route="framework", start=date(2025, 4, 1))
    CostLineFactory(placement=PlacementFactory(placement_type="U6", provider_kind="PR4", route="framework",
                                               start=date(2025, 4, 1)), weekly_amount=Decimal("1050"))
    html = placements_client.get(reverse("finance:line", args=[2025, "UNBUDGETED"]), {"as_of": AS_OF}).content.decode()
    assert "1 placement behind this line" in html and "£54,750" in html  # 365 nights at £150


def test_keeping_the_forecast_charts_it_against_the_budget(commissioner_client, lines):
    homes(10)
    response = commissioner_client.post(reverse("finance:history"), {"keep-as_of": AS_OF})
    assert response.status_code == 302
    assert ForecastSnapshot.objects.filter(as_of=date(2025, 10, 31)).count() == 3
    html = commissioner_client.get(response["Location"]).content.decode()
    assert "31 October 2025" in html and "£3,200,000" in html and "£2,555,000" in html
    assert "<svg" in html


def test_a_bad_snapshot_date_shows_an_error_and_keeps_nothing(commissioner_client, lines):
    response = commissioner_client.post(reverse("finance:history"), {"keep-as_of": "31/13/2025"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ForecastSnapshot.objects.exists()


def test_viewers_cannot_keep_the_forecast(viewer_client, lines):
    assert viewer_client.post(reverse("finance:history"), {"keep-as_of": AS_OF}).status_code == 403
    assert not ForecastSnapshot.objects.exists()


def test_high_cost_placements_are_those_at_or_above_the_level(placements_client, lines, settings):
    settings.FINANCE_HIGH_COST_LIST_WEEKLY = "4900"
    homes(2)
    homes(1, weekly="4899.99")
    html = placements_client.get(reverse("finance:high_cost"), {"year": 2025, "as_of": AS_OF}).content.decode()
    assert "2 placements running on 31 October 2025 cost £4,900 a week or more" in html
    assert "£9,800 a week between them, forecast to cost £511,000 in 2025/26" in html


def test_savings_compare_targets_with_reductions_and_contract_savings(commissioner_client, db):
    BudgetLineFactory(code="FOS", savings_target=Decimal("10000"))
    placement = PlacementFactory(start=date(2025, 4, 1))
    CostLineFactory(placement=placement, weekly_amount=Decimal("700"))
    CostLineFactory(placement=placement, kind="reduction", weekly_amount=Decimal("-100"),
                    effective_from=date(2025, 9, 1))
    html = commissioner_client.get(reverse("finance:savings"), {"year": 2025}).content.decode()
    assert "Target £10,000; delivered £5,200" in html  # £100 a week for 52 weeks
    assert "£4,800 still to find" in html


def test_a_bad_date_shows_an_error_not_a_failure(commissioner_client, lines):
    response = commissioner_client.get(reverse("finance:index"), {"as_of": "not a date", "year": "abc"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_monthly_task_keeps_the_forecast_as_at_the_day_before(lines, settings):
    from django.utils import timezone

    from finance.tasks import finance_forecast_snapshot

    homes(1)
    finance_forecast_snapshot.apply()
    yesterday = timezone.localdate() - timedelta(days=1)
    kept = ForecastSnapshot.objects.filter(as_of=yesterday)
    assert kept.exists() and all(row.taken_by is None for row in kept)


def test_the_drill_down_names_an_other_placement_as_having_no_provider(placements_client, db):
    BudgetLineFactory(code="OTH", name="Other placements", placement_category="other", provision="any",
                      amount=Decimal("300000"))
    placement = PlacementFactory(placement_type="Z11", provider_kind=None, route="spot", start=date(2025, 4, 1))
    CostLineFactory(placement=placement, weekly_amount=Decimal("7000"))
    html = placements_client.get(reverse("finance:line", args=[2025, "OTH"]), {"as_of": AS_OF}).content.decode()
    assert "1 placement behind this line" in html and "£365,000" in html
    assert "No provider (DfE: other placement)" in html
