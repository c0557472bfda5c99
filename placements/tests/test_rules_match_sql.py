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


class Rollback(Exception):  # noqa: N818
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
