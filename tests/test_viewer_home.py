"""The viewer's home answers "how are we doing": KPIs by status and theme, the placements budget against its forecast
outturn, and the children looked after by placement type, with 1 to 5 children shown as [c] to those who may not
see them."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _cells(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody", 1)[1], re.S)

    def text(cell: str) -> str:
        return unescape(re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', "", cell)).strip()

    return [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def _kpis():
    from kpis.recompute import statuses_recompute
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
    from outcomes.tests.factories import ThemeFactory

    education = ThemeFactory(name="Education", order=1)
    safeguarding = ThemeFactory(name="Safeguarding and Looked After Children", order=2)
    for theme, values in ((education, ["90", "82", "70"]), (safeguarding, ["60", "91", None])):
        for value in values:
            indicator = IndicatorFactory(theme=theme)
            TargetFactory(indicator=indicator)  # at least 85, amber from 80
            if value is not None:
                MeasurementFactory(indicator=indicator, value=Decimal(value))
    statuses_recompute()


def _placements(today):
    from placements.tests.factories import PlacementFactory

    start = today - timedelta(days=100)
    for _ in range(8):
        PlacementFactory(start=start, placement_type="U6", provider_kind="PR4")  # agency fostering
    for _ in range(7):
        PlacementFactory(start=start, placement_type="U6", provider_kind="PR1")  # in-house fostering
    for _ in range(2):
        PlacementFactory(start=start, placement_type="K2", provider_kind="PR4")  # children's homes: 2 children


def test_viewer_sees_kpis_by_theme_the_budget_position_and_the_children_placed(viewer_client):
    from core.periods import financial_year_of
    from finance.tests.factories import BudgetLineFactory
    from placements.models import Placement
    from placements.tests.factories import CostLineFactory

    today = timezone.localdate()
    _kpis()
    _placements(today)
    year = financial_year_of(today)
    BudgetLineFactory(financial_year=year, placement_category="foster_other", provision="external",
                      amount=Decimal("10000.00"))
    for placement in Placement.objects.filter(provider_kind__code="PR4", placement_type__code="U6"):
        CostLineFactory(placement=placement, weekly_amount=Decimal("900"), effective_from=placement.start)

    html = viewer_client.get(reverse("home")).content.decode()

    assert _cells(html, "rag-by-theme") == [
        ["Education", "1", "1", "1", "0", "0", "3"],
        ["Safeguarding and Looked After Children", "1", "0", "1", "1", "0", "3"],
        ["All themes", "2", "1", "2", "1", "0", "6"],
    ]
    assert re.search(r'href="/kpis/\?theme=\d+&amp;status=red">1<', html)

    budget = re.search(r'<dl class="govuk-summary-list" id="budget-position">(.*?)</dl>', html, re.S).group(1)
    assert "£10,000" in budget and "Forecast overspend" in budget and "Over budget" in budget

    assert re.search(r'id="looked-after">17<', html)
    mix = {row[0]: row[1:] for row in _cells(html, "placement-mix")}
    # Two children in children's homes are [c]; the next smallest is hidden too, or 17 - 15 would give them back.
    assert mix["Children's homes"] == ["[c]", "[c]"]
    assert mix["In-house fostering"] == ["[c]", "[c]"]
    assert mix["Agency fostering (IFA)"] == ["8", "47.1%"]
    assert 'id="placement-mix-note"' in html


def test_the_panels_are_the_viewers_and_small_counts_show_to_people_with_child_level_access(
        commissioner, viewer, commissioner_client):
    from placements.home import placement_mix_context

    today = timezone.localdate()
    _placements(today)
    def shown(user):
        return {r["key"]: r["cell"].display for r in placement_mix_context(user=user, as_of=today)["groups"]["rows"]}

    assert shown(commissioner)["childrens_homes"] == "2" and shown(commissioner)["in_house_fostering"] == "7"
    assert shown(viewer)["childrens_homes"] == "[c]"
    html = commissioner_client.get(reverse("home")).content.decode()
    assert 'id="placement-mix"' not in html and 'id="rag-by-theme"' not in html and 'id="budget-position"' not in html
