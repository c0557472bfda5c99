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
