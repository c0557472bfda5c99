from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placements import rules
from placements.rules import CostChange, EpisodeRow, PlacementSpan


@pytest.mark.parametrize("text, district", [
    ("RG1 7AB", "RG1"), ("rg307xy", "RG30"), ("SW1A 1AA", "SW1A"), ("M1 1AE", "M1"), ("RG1", "RG1"),
    ("  ec1a  1bb ", "EC1A"), ("W1", "W1"),
])
def test_postcode_district(text, district):
    assert rules.postcode_district(text) == district


@pytest.mark.parametrize("text", ["", "hello", "12345", "RG1 7A", "ZZZZZ 9ZZ", "R"])
def test_postcode_district_rejects_what_is_not_a_postcode(text):
    with pytest.raises(ValueError):
        rules.postcode_district(text)


@given(st.from_regex(r"[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}", fullmatch=True))
def test_a_district_is_never_longer_than_four_characters(postcode):
    district = rules.postcode_district(postcode)
    assert len(district) <= 4 and district == postcode.replace(" ", "")[:-3]


@pytest.mark.parametrize("a, b, miles", [
    ((51.454, -0.971), (51.454, -0.971), Decimal("0.0")),
    ((51.454, -0.971), (51.5074, -0.1278), Decimal("36.3")),  # Reading to London, about 36 miles
    ((51.454, -0.971), (51.752, -1.2577), Decimal("24.1")),   # Reading to Oxford
])
def test_miles_between(a, b, miles):
    assert abs(rules.miles_between(*a, *b) - miles) <= Decimal("0.5")


coords = st.tuples(st.floats(49, 61), st.floats(-9, 2))


@given(coords, coords)
def test_distance_is_symmetric_and_not_negative(a, b):
    assert rules.miles_between(*a, *b) == rules.miles_between(*b, *a) >= 0


def test_placement_distance_falls_back_to_recorded_then_unknown():
    centroids = {"RG1": (51.454, -0.971), "RG30": (51.46, -1.01)}
    assert rules.placement_distance("RG1", "RG30", centroids, Decimal("50")) < 5
    assert rules.placement_distance("RG1", "OX1", centroids, Decimal("25.0")) == Decimal("25.0")
    assert rules.placement_distance("", "", centroids, None) is None


D = date


@pytest.mark.parametrize("day, expected", [
    (D(2024, 3, 31), Decimal("0")),
    (D(2024, 4, 1), Decimal("1000")),
    (D(2024, 6, 1), Decimal("1050")),      # uplift from June
    (D(2024, 7, 1), Decimal("1350")),      # plus 1:1 support for July
    (D(2024, 8, 1), Decimal("1050")),      # support ended 31 July
    (D(2025, 1, 1), Decimal("950")),       # reduction
])
def test_cost_in_force(day, expected):
    lines = [
        CostChange(Decimal("1000"), D(2024, 4, 1)),
        CostChange(Decimal("50"), D(2024, 6, 1)),
        CostChange(Decimal("300"), D(2024, 7, 1), D(2024, 7, 31)),
        CostChange(Decimal("-100"), D(2025, 1, 1)),
        CostChange(Decimal("5000"), D(2024, 5, 1), in_force=False),  # awaiting approval: no effect
    ]
    assert rules.cost_in_force(lines, day) == expected


@given(st.lists(st.tuples(st.decimals(-500, 5000, places=2), st.dates(D(2020, 1, 1), D(2026, 1, 1))), max_size=8),
       st.dates(D(2020, 1, 1), D(2026, 1, 1)))
def test_cost_in_force_is_the_sum_of_lines_started_by_then(raw, day):
    lines = [CostChange(a, d) for a, d in raw]
    assert rules.cost_in_force(lines, day) == sum((a for a, d in raw if d <= day), Decimal("0"))


@pytest.mark.parametrize("current, change, needed", [
    (Decimal("1000"), Decimal("50"), False),     # exactly 5%: no
    (Decimal("1000"), Decimal("50.01"), True),   # over 5%
    (Decimal("1000"), Decimal("-60"), True),     # a large reduction is checked too
    (Decimal("1000"), Decimal("-40"), False),
    (Decimal("9800"), Decimal("300"), True),     # 3% but takes the total over £10,000
    (Decimal("10500"), Decimal("-100"), False),  # a small reduction above the level
    (Decimal("0"), Decimal("900"), True),        # a first price always needs a second person
    (Decimal("0"), Decimal("0"), False),
])
def test_approval_needed(current, change, needed):
    assert rules.approval_needed(current_weekly=current, change=change, threshold_pct=Decimal("5"),
                                 approval_weekly=Decimal("10000")) is needed


@given(st.decimals(1, 20000, places=2), st.decimals(-20000, 20000, places=2))
def test_changes_over_the_threshold_always_need_approval(current, change):
    needed = rules.approval_needed(current_weekly=current, change=change, threshold_pct=Decimal("5"),
                                   approval_weekly=Decimal("10000"))
    if abs(change) > current * Decimal("0.05"):
        assert needed


def ep(row, child, start, end, rne, place="U6", ls="C2"):
    return EpisodeRow(row=row, child=child, start=start, end=end, rne=rne, legal_status=ls, place=place,
                      provider="PR1")


def test_episodes_to_placements_rne_l_continues_the_placement():
    groups, errors = rules.episodes_to_placements([
        ep(2, "A", D(2024, 4, 10), D(2024, 6, 1), "S", ls="V2"),
        ep(3, "A", D(2024, 6, 1), D(2024, 9, 1), "L", ls="C2"),
        ep(4, "A", D(2024, 9, 1), None, "P", place="U4"),
        ep(5, "B", D(2024, 5, 1), None, "S", place="K2"),
    ])
    assert errors == []
    assert [(g.child, g.start, g.end, len(g.episodes)) for g in groups] == [
        ("A", D(2024, 4, 10), D(2024, 9, 1), 2), ("A", D(2024, 9, 1), None, 1), ("B", D(2024, 5, 1), None, 1),
    ]


@pytest.mark.parametrize("rne", ["S", "P", "B", "T", "U"])
def test_each_new_placement_reason_starts_a_placement(rne):
    groups, _ = rules.episodes_to_placements([
        ep(2, "A", D(2024, 4, 10), D(2024, 6, 1), "S"), ep(3, "A", D(2024, 6, 1), None, rne),
    ])
    assert len(groups) == 2


def test_episode_errors_are_row_numbered():
    _, errors = rules.episodes_to_placements([
        ep(2, "A", D(2024, 4, 10), D(2024, 7, 1), "S"),
        ep(3, "A", D(2024, 6, 1), None, "P"),                 # overlaps row 2
        ep(4, "B", D(2024, 4, 10), D(2024, 6, 1), "S"),
        ep(5, "B", D(2024, 6, 1), None, "L", place="K2"),    # L but PLACE changes
        ep(6, "C", D(2024, 4, 10), None, "Q"),
    ])
    assert [(row, col) for row, col, _ in errors] == [(3, "DECOM"), (5, "PLACE"), (6, "RNE")]


def test_first_episode_with_rne_l_continues_an_earlier_return():
    groups, errors = rules.episodes_to_placements([ep(2, "A", D(2024, 6, 1), None, "L")])
    assert not errors and groups[0].continues_earlier


def test_care_period_starts():
    groups, _ = rules.episodes_to_placements([
        ep(2, "A", D(2022, 1, 1), D(2023, 1, 1), "S"),
        ep(3, "A", D(2023, 1, 1), None, "P"),
        ep(4, "B", D(2023, 1, 1), None, "P"),  # began in an earlier return
    ])
    assert list(rules.care_period_starts(groups).values()) == [D(2022, 1, 1), D(2022, 1, 1), None]


YEAR = (D(2024, 4, 1), D(2025, 3, 31))


@pytest.mark.parametrize("spans, counted", [
    ([PlacementSpan(D(2020, 1, 1), None, "U4")], 1),
    ([PlacementSpan(D(2020, 1, 1), D(2024, 4, 1), "U4"), PlacementSpan(D(2024, 4, 1), None, "U6")], 2),
    ([PlacementSpan(D(2020, 1, 1), D(2024, 3, 31), "U4")], 0),              # ended before the year
    ([PlacementSpan(D(2025, 4, 1), None, "U4")], 0),                         # starts after it
    ([PlacementSpan(D(2024, 5, 1), D(2024, 5, 8), "T0")], 0),               # temporary: not counted
    ([PlacementSpan(D(2024, 5, 1), D(2024, 6, 1), "U6"), PlacementSpan(D(2024, 6, 1), D(2024, 6, 5), "T0"),
      PlacementSpan(D(2024, 6, 5), D(2024, 9, 1), "U6"), PlacementSpan(D(2024, 9, 1), None, "K2")], 3),
])
def test_placements_counted_for_stability(spans, counted):
    assert rules.placements_counted(spans, *YEAR) == counted
    assert rules.three_or_more(spans, *YEAR) is (counted >= 3)


@pytest.mark.parametrize("year, month, under16", [
    (2009, 4, True), (2009, 3, False), (2009, 2, False), (2010, 1, True), (2008, 12, False),
])
def test_under_16_on_31_march_2025(year, month, under16):
    assert rules.under_16_on(year, month, D(2025, 3, 31)) is under16


@pytest.mark.parametrize("care_start, placement_start, expected", [
    (D(2022, 9, 30), D(2023, 3, 31), (True, True)),
    (D(2022, 10, 1), D(2023, 3, 31), (False, False)),   # not 2.5 years looked after
    (D(2020, 1, 1), D(2023, 4, 1), (True, False)),      # same placement under 2 years
    (None, D(2020, 1, 1), (False, False)),
])
def test_long_term_stable(care_start, placement_start, expected):
    assert rules.long_term_stable(care_period_start=care_start, placement_start=placement_start,
                                  day=D(2025, 3, 31)) == expected


def test_percentage_text():
    assert rules.percentage_text(17, 205) == "8.3"
    assert rules.percentage_text(0, 0) is None
    assert rules.percentage_text(0, 10) == "0.0"


episode_lists = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(1, 60), st.sampled_from(["S", "P", "B", "T", "U", "L"])),
    min_size=1, max_size=15,
)


@given(episode_lists)
def test_every_episode_lands_in_exactly_one_placement(raw):
    # Build back-to-back episodes per child so no overlap errors arise.
    episodes, next_start, row = [], {}, 2
    for child, length, rne in raw:
        start = next_start.get(child, D(2024, 4, 1))
        episodes.append(ep(row, child, start, start + timedelta(days=length), rne))
        next_start[child] = start + timedelta(days=length)
        row += 1
    groups, errors = rules.episodes_to_placements(episodes)
    assert errors == []
    grouped = sorted(e.row for g in groups for e in g.episodes)
    assert grouped == sorted(e.row for e in episodes)
    # a new placement for each S/P/B/T/U episode, plus one for a child whose first episode is L
    firsts = {}
    for e in episodes:
        firsts.setdefault(e.child, e)
    expected = sum(1 for e in episodes if e.rne != "L") + sum(1 for e in firsts.values() if e.rne == "L")
    assert len(groups) == expected
    for g in groups:
        assert all(e.child == g.child for e in g.episodes)
        assert all(e.rne == "L" for e in g.episodes[1:])
