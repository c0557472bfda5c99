from datetime import date

from django.template.loader import render_to_string

from placements.reports import section_context
from placements.tests.factories import PlacementFactory

PERIOD = {"period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31), "as_of": date(2025, 3, 31)}


def test_section_suppresses_small_numbers(db):
    for _ in range(3):
        PlacementFactory(start=date(2025, 2, 1), placement_type="K2", provider_kind="PR4")
    for _ in range(7):
        PlacementFactory(start=date(2023, 2, 1), placement_type="U6", provider_kind="PR1")
    context = section_context(**PERIOD)
    assert context["show"]["looked_after"].display == "10"
    groups = {r["key"]: r["cell"].display for r in context["show"]["groups"]["rows"]}
    assert groups["childrens_homes"] == "[c]"
    assert groups["in_house_fostering"] == "[c]"  # secondary: 10 - 3 would give it away
    html = render_to_string("placements/pdf/section.html", {**context, "section": {"number": 5}})
    assert context["uses_suppression"] is True
    assert "5.1" in html and "<thead>" in html and "[c]" in html
    assert "<svg" in html and "<script" not in html


def test_section_with_no_data(db):
    context = section_context(**PERIOD)
    assert context["uses_suppression"] is False
    html = render_to_string("placements/pdf/section.html", {**context, "section": {"number": 4}})
    assert "On 31 March 2025, 0 children were looked after" in html
    assert "No IPA was signed in the period." in html


def test_section_shows_the_cost_of_a_group_of_few_children_but_not_its_average(db):
    import re
    from decimal import Decimal

    from placements.tests.factories import CostLineFactory

    for _ in range(3):
        placement = PlacementFactory(start=date(2025, 2, 1), placement_type="K2", provider_kind="PR4", route="spot")
        CostLineFactory(placement=placement, weekly_amount=Decimal("4321"))
    for _ in range(7):
        placement = PlacementFactory(start=date(2023, 2, 1), placement_type="U6", provider_kind="PR1")
        CostLineFactory(placement=placement, weekly_amount=Decimal("500"))
    context = section_context(**PERIOD)
    html = render_to_string("placements/pdf/section.html", {**context, "section": {"number": 5}})
    cost_table = html[html.index("<caption>Weekly and annual cost by placement type</caption>"):].replace("&#x27;", "'")
    homes = re.search(r"<tr><td>Children's homes</td>(.*?)</tr>", cost_table).group(1)
    # 3 children: their count is [c], and so is the average (£12,963 / £4,321 would give the 3 back); the money
    # is not a count of children: 3 x £4,321 a week and 52 weeks of it
    assert re.findall(r"<td[^>]*>(.*?)</td>", homes) == ["[c]", "£12,963", "£674,076", "[c]"]
    assert "4,321" not in html
    assert "The weekly cost of current placements is £16,463" in html
