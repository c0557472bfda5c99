"""Long-term placement stability as DfE defines it: the adoption clause, continuous care proved from the
chain of episodes whatever its RNE and across returns, and the SQL form equal to the pure rules."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.imports import read_table
from core.roles import PLACEMENTS_OFFICER
from placements import rules, selectors
from placements.importers import import_903, latest_collection_year
from placements.models import Episode, LegalStatus, PlacementCategory, PlacementType
from placements.tests.factories import ChildFactory, PlacementFactory

D = date
YEAR_END = D(2025, 3, 31)

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODE_COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
BIRTHS = {
    "A": "14/07/2012",
    "B": "02/01/2012",
    "C": "20/11/2011",
    "D": "05/05/2013",
    "E": "11/09/2012",
    "F": "15/03/2009",
    "G": "30/06/2012",
    "H": "01/12/2010",
    "K": "09/02/2014",
    "M": "17/08/2012",
}


def episode(child, start, rne, place, end="", rec="", provider="PR1", legal="C2"):
    change = "STAND" if rne == "P" else ""
    return f"{child},{start},{rne},{legal},N1,{place},{provider},{end},{rec},{change},RG1 7AB,RG30 4XY,\n"


def load(children, episodes, user):
    year = latest_collection_year(cell for e in episodes for cell in e.split(",")[1:8:6])
    male = "1" if year < 2025 else "M"  # SEX as the return's year gives it
    header = HEADER + "".join(f"{c},{male},{BIRTHS[c]},WBRI,,,\n" for c in children)
    import_903(
        read_table(header.encode(), "header.csv"),
        read_table((EPISODE_COLUMNS + "".join(episodes)).encode(), "episodes.csv"),
        user=user,
    )


# The return for the year ending 31 March 2023, loaded first: C, D and M only.
RETURN_2023 = [
    episode("C", "10/05/2021", "S", "U4", "01/03/2022", "X1"),
    episode("C", "01/03/2022", "P", "U6"),
    episode("D", "01/02/2022", "S", "U6", "01/12/2022", "X1"),
    episode("D", "01/12/2022", "P", "K2", provider="PR4"),
    # M's return began mid-care: nothing in any return says when M's care began.
    episode("M", "01/05/2022", "P", "U6", "01/01/2023", "X1"),
    episode("M", "01/01/2023", "P", "K2", provider="PR4"),
]
# The return for the year ending 31 March 2025: every child, open episodes carried over from earlier years.
RETURN_2025 = [
    episode("A", "01/06/2022", "P", "U6", "01/09/2024", "X1"),
    episode("A", "01/09/2024", "P", "A4"),
    episode("B", "01/01/2022", "S", "K2", "01/06/2023", "X1", provider="PR4"),
    episode("B", "01/06/2023", "P", "U6", "01/01/2025", "X1"),
    episode("B", "01/01/2025", "P", "A5"),
    episode("C", "01/03/2022", "P", "U6"),
    episode("D", "01/12/2022", "P", "K2", provider="PR4"),
    episode("E", "01/01/2020", "S", "U6", "01/03/2023", "E13"),
    episode("E", "01/05/2023", "S", "U6"),
    episode("F", "01/01/2020", "S", "U6"),
    episode("G", "01/04/2021", "S", "U6"),
    episode("H", "01/04/2021", "S", "U6", "01/06/2024", "X1"),
    episode("H", "01/06/2024", "P", "K2", provider="PR4"),
    episode("K", "01/01/2021", "S", "U6", "01/02/2023", "X1"),
    episode("K", "01/02/2023", "P", "A6"),
    episode("M", "01/01/2023", "P", "K2", provider="PR4"),
]


def test_placed_for_adoption_and_returns_beginning_mid_care_give_the_dfe_figure(placements_officer):
    """On 31 March 2025: the cohort is under 16 and looked after continuously since 30 September 2022 or
    before; stable is in the same placement since 31 March 2023 or before, or placed for adoption (A3-A6)
    with the placement before it beginning by 31 March 2023.

    A  file begins with RNE P on 1 Jun 2022 (no earlier return): chain from 1 Jun 2022, in the cohort.
       Placed for adoption (A4) 1 Sep 2024, under 2 years; the U6 before it began 1 Jun 2022: stable.
    B  care from 1 Jan 2022. A5 since 1 Jan 2025; the U6 before it began 1 Jun 2023 (after 31 Mar 2023):
       not stable, although the K2 before that was long (only the placement before the adoptive one counts).
    C  U4 from 10 May 2021 (earlier return), U6 from 1 Mar 2022: in the cohort, stable.
    D  care from 1 Feb 2022 proved only by the earlier return (this year's file begins with RNE P on
       1 Dec 2022, after the cut-off); K2 since 1 Dec 2022: stable.
    E  left care 1 Mar 2023 and came back 1 May 2023: the chain breaks, care since 1 May 2023: not in it.
    F  born March 2009: 16 in March 2025, so not under 16 on 31 March: not in it.
    G  U6 since 1 Apr 2021: in the cohort, stable.
    H  care from 1 Apr 2021, moved 1 Jun 2024 to K2 (not adoption): not stable.
    K  A6 since 1 Feb 2023, itself 2 years or more: stable (the same placement).
    M  neither return has an RNE S: the earlier one began with RNE P on 1 May 2022, the chain runs from
       there across both returns: in the cohort; K2 since 1 Jan 2023: stable.

    Cohort A B C D G H K M = 8; stable A C D G K M = 6; 6 / 8 = 75.0%. One (A) is stable only by the
    adoption clause. The old rule (continuous care only from an RNE S, same placement only) left A and M
    out and gave 4 of 6 (66.7%).
    """
    load(["C", "D", "M"], RETURN_2023, placements_officer)
    load(list(BIRTHS), RETURN_2025, placements_officer)

    figures = selectors.long_term_stability(YEAR_END)

    assert figures == {"cohort": 8, "stable": 6, "stable_by_adoption": 1, "stable_pct": "75.0"}


def test_the_adoption_codes_are_the_reference_category():
    assert rules.ADOPTION_PLACE_CODES == {"A3", "A4", "A5", "A6"}


@pytest.mark.django_db
def test_the_adoption_codes_the_sql_reads_match_the_pure_rules():
    in_database = set(PlacementType.objects.filter(category=PlacementCategory.ADOPTION).values_list("code", flat=True))
    assert in_database == rules.ADOPTION_PLACE_CODES


@pytest.mark.parametrize(
    "placed_for_adoption, previous_start, expected",
    [
        (True, D(2023, 3, 31), (True, True)),  # adoptive placement with the one before: 2 years exactly
        (True, D(2023, 4, 1), (True, False)),  # one day short
        (False, D(2020, 1, 1), (True, False)),  # a long placement before a move that is not to adoption
        (True, None, (True, False)),  # no placement before it ended the day it began
    ],
)
def test_the_adoption_clause(placed_for_adoption, previous_start, expected):
    assert (
        rules.long_term_stable(
            care_period_start=D(2022, 1, 1),
            placement_start=D(2024, 9, 1),
            day=YEAR_END,
            placed_for_adoption=placed_for_adoption,
            previous_placement_start=previous_start,
        )
        == expected
    )


def test_continuous_care_runs_back_through_every_rne_to_the_first_break():
    spans = [
        rules.CareSpan(D(2019, 1, 1), D(2019, 6, 1)),
        rules.CareSpan(D(2020, 1, 1), D(2021, 1, 1)),  # the chain begins here: the one before ended a gap ago
        rules.CareSpan(D(2021, 1, 1), D(2022, 5, 1)),
        rules.CareSpan(D(2022, 5, 1), None),
    ]
    assert rules.continuous_care_start(spans, YEAR_END) == D(2020, 1, 1)
    assert rules.continuous_care_start(spans, D(2019, 3, 1)) == D(2019, 1, 1)
    assert rules.continuous_care_start(spans, D(2019, 9, 1)) is None


class Rollback(Exception):
    pass


children = st.lists(
    st.tuples(
        st.integers(2007, 2013),
        st.integers(1, 12),  # year and month of birth (16 around 31 March 2025)
        st.integers(0, 1600),  # days before 31 March the first episode began
        st.lists(
            st.tuples(
                st.integers(1, 900),  # days in the placement
                st.sampled_from(["U6", "A4", "A5", "K2", "T0", "U6"]),
                st.sampled_from([0, 0, 0, 1, 30]),  # days out of care before the next placement
                st.booleans(),  # split by a change of legal status only (RNE L): two episodes, one placement
                st.sampled_from(["C2", "C2", "C2", "V3"]),
            ),
            min_size=1,
            max_size=5,
        ),
        st.booleans(),  # the last placement is still open
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(children)
def test_long_term_stability_in_sql_matches_the_pure_rules(histories):
    expected_cohort = expected_stable = expected_by_adoption = 0
    try:
        with transaction.atomic():
            for birth_year, birth_month, first_offset, moves, open_now in histories:
                child = ChildFactory(birth_year=birth_year, birth_month=birth_month)
                start = YEAR_END - timedelta(days=first_offset)
                spans, placements = [], []
                for i, (length, place, gap, split, legal) in enumerate(moves):
                    end = None if (i == len(moves) - 1 and open_now) else start + timedelta(days=length)
                    placement = PlacementFactory(
                        child=child, start=start, end=end, placement_type=place, legal_status=legal
                    )
                    placements.append(placement)
                    short_break = legal in rules.SHORT_BREAK_LEGAL_STATUSES
                    if split and length > 1:
                        middle = start + timedelta(days=length // 2)
                        Episode.objects.filter(placement=placement).update(end=middle)
                        Episode.objects.create(
                            placement=placement,
                            child=child,
                            start=middle,
                            end=end,
                            legal_status=LegalStatus.objects.get(code=legal),
                        )
                        spans += [rules.CareSpan(start, middle, short_break), rules.CareSpan(middle, end, short_break)]
                    else:
                        spans.append(rules.CareSpan(start, end, short_break))
                    if end is None:
                        break
                    start = end + timedelta(days=gap)
                under_16 = rules.under_16_on(birth_year, birth_month, YEAR_END)
                if not (under_16 and rules.looked_after_on(spans, YEAR_END)):
                    continue
                current = next(p for p in placements if rules.in_place_on(p.start, p.end, YEAR_END))
                before = next((p for p in placements if p.end == current.start), None)
                in_cohort, stable = rules.long_term_stable(
                    care_period_start=rules.continuous_care_start(spans, YEAR_END),
                    placement_start=current.start,
                    day=YEAR_END,
                    placed_for_adoption=current.placement_type.code in rules.ADOPTION_PLACE_CODES,
                    previous_placement_start=before.start if before else None,
                )
                _, same_placement = rules.long_term_stable(
                    care_period_start=rules.continuous_care_start(spans, YEAR_END),
                    placement_start=current.start,
                    day=YEAR_END,
                )
                expected_cohort += in_cohort
                expected_stable += stable
                expected_by_adoption += stable and not same_placement
            figures = selectors.long_term_stability(YEAR_END)
            assert (figures["cohort"], figures["stable"], figures["stable_by_adoption"]) == (
                expected_cohort,
                expected_stable,
                expected_by_adoption,
            )
            raise Rollback
    except Rollback:
        pass


def _adopted_children(n):
    """n children placed for adoption on 1 September 2024 after a U6 placement from 1 June 2022, each
    looked after from a file beginning with RNE P (care since 1 June 2022 proved by the chain)."""
    for _ in range(n):
        child = ChildFactory(birth_year=2015)
        PlacementFactory(child=child, start=D(2022, 6, 1), end=D(2024, 9, 1), placement_type="U6")
        PlacementFactory(child=child, start=D(2024, 9, 1), placement_type="A4")


@pytest.mark.django_db
def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_children(client, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(users[PLACEMENTS_OFFICER])
    url = reverse("placements:index") + "?as_of=31/03/2025"
    counts = []
    for n in (6, 20):
        _adopted_children(n - len(counts) * 6)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
        assert f'id="long-term">100.0% ({n} of {n} children under 16' in page
    assert counts[0] == counts[1]
