"""The SQL measures and the pure rules agree on the same placements (hypothesis drives both)."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placements import rules, selectors
from placements.tests.factories import ChildFactory, PlacementFactory

YEAR_END = date(2025, 3, 31)
YEAR_START = date(2024, 4, 1)

child_histories = st.lists(
    st.tuples(
        st.integers(0, 700),  # days before 31 March the first placement began
        st.lists(st.tuples(st.integers(1, 200), st.sampled_from(["U6", "U4", "K2", "T0", "P1"])), min_size=1,
                 max_size=5),
        st.booleans(),  # still looked after on 31 March
        st.sampled_from(["C2", "C2", "V3"]),
    ),
    min_size=1, max_size=6,
)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(child_histories)
def test_stability_in_sql_matches_the_pure_rule(histories):
    expected_cohort = expected_three_plus = 0
    try:
        with transaction.atomic():
            for first_offset, moves, open_now, legal in histories:
                child = ChildFactory()
                start = YEAR_END - timedelta(days=first_offset)
                spans = []
                for i, (length, place) in enumerate(moves):
                    last = i == len(moves) - 1
                    end = None if (last and open_now) else start + timedelta(days=length)
                    PlacementFactory(child=child, start=start, end=end, placement_type=place,
                                     provider_kind="PR1", legal_status=legal)
                    spans.append(rules.PlacementSpan(start, end, place))
                    if end is None:
                        break
                    start = end
                in_cohort = legal not in rules.SHORT_BREAK_LEGAL_STATUSES and any(
                    s.start <= YEAR_END and (s.end is None or s.end > YEAR_END) for s in spans
                )
                if in_cohort:
                    expected_cohort += 1
                    expected_three_plus += rules.three_or_more(spans, YEAR_START, YEAR_END)
            figures = selectors.stability(YEAR_END)
            assert (figures["cohort"], figures["three_plus"]) == (expected_cohort, expected_three_plus)
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
def test_the_reference_codes_the_sql_reads_match_the_pure_rules():
    from placements.models import LegalStatus, PlacementCategory, PlacementProvider, PlacementType

    temporary = set(PlacementType.objects.filter(category=PlacementCategory.TEMPORARY).values_list("code", flat=True))
    assert temporary == rules.TEMPORARY_PLACE_CODES == {"T0", "T1", "T2", "T3", "T4"}
    assert {t.code for t in PlacementType.objects.all() if t.is_temporary} == temporary
    short_breaks = set(LegalStatus.objects.filter(is_short_break=True).values_list("code", flat=True))
    assert short_breaks == rules.SHORT_BREAK_LEGAL_STATUSES == {"V3", "V4"}
    external = set(PlacementProvider.objects.filter(kind__in=selectors.EXTERNAL_KINDS).values_list("code", flat=True))
    assert external == {p.code for p in PlacementProvider.objects.all() if p.is_external}
    assert external == rules.EXTERNAL_PROVIDER_CODES == {"PR2", "PR3", "PR4", "PR5"}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spans=st.lists(st.tuples(st.integers(0, 60), st.none() | st.integers(0, 60)), min_size=1, max_size=6),
    day=st.integers(0, 70),
)
def test_in_place_on_in_sql_matches_the_pure_rule(spans, day):
    from placements.models import Placement

    base = date(2025, 1, 1)
    try:
        with transaction.atomic():
            expected = set()
            for start, length in spans:
                end = None if length is None else base + timedelta(days=start + length)
                placement = PlacementFactory(start=base + timedelta(days=start), end=end)
                if rules.in_place_on(placement.start, placement.end, base + timedelta(days=day)):
                    expected.add(placement.pk)
            assert set(Placement.objects.active_on(base + timedelta(days=day)).values_list("pk", flat=True)) == expected
            raise Rollback
    except Rollback:
        pass
