"""The forecast against a case worked by hand, the as-of boundary, the command, and SQL against the
night-by-night definition (tests/reference.py) on random cost lines."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance import rules, selectors
from finance.tests import reference
from finance.tests.factories import BudgetLineFactory
from placements.models import CostLine
from placements.tests.factories import CostLineFactory, PlacementFactory, UserFactory

YEAR = 2025  # 1 April 2025 to 31 March 2026: 365 nights
AS_OF = date(2025, 10, 31)  # actual: 1 April to 31 October = 30+31+30+31+31+30+31 = 214 nights; committed: 151


def foster_in_house(**kw):
    return PlacementFactory(placement_type="U6", provider_kind="PR1", route="in_house", **kw)


def home_external(**kw):
    return PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot", **kw)


@pytest.fixture
def worked_case(db):
    user = UserFactory()
    # A: starts mid-year, 15 June 2025, open. £700 a week = £100 a night.
    #    Actual: 15-30 June 16 + July 31 + August 31 + September 30 + October 31 = 139 nights = £13,900.00
    #    Committed: 151 nights = £15,100.00. Forecast £29,000.00.
    a = foster_in_house(start=date(2025, 6, 15))
    CostLineFactory(placement=a, weekly_amount=Decimal("700.00"), agreed_by=user)
    # B: ended 20 August 2025, before the as-of day. £4,900 a week = £700 a night.
    #    Nights 1 April to 19 August (the end day is not a night): 30+31+30+31+19 = 141 = £98,700.00. Committed £0.
    b = home_external(start=date(2024, 9, 1), end=date(2025, 8, 20))
    CostLineFactory(placement=b, weekly_amount=Decimal("4900.00"), agreed_by=user)
    # C: open all year. £5,250 a week (£750 a night) plus a fee uplift of £350 a week (£50 a night) from
    #    1 January 2026, after the as-of day; and £1,400 a week of added support awaiting approval (not counted).
    #    Actual: 214 x £750 = £160,500.00. Committed: 151 x £750 = £113,250 + 90 nights (Jan 31+Feb 28+Mar 31) x £50
    #    = £4,500: £117,750.00. Forecast £278,250.00.
    c = home_external(start=date(2025, 1, 10))
    CostLineFactory(placement=c, weekly_amount=Decimal("5250.00"), agreed_by=user)
    CostLineFactory(placement=c, kind="uplift", weekly_amount=Decimal("350.00"), effective_from=date(2026, 1, 1),
                    agreed_by=user)
    CostLineFactory(placement=c, kind="additional_support", weekly_amount=Decimal("1400.00"),
                    effective_from=date(2025, 10, 1), status="awaiting_approval", needs_approval=True, agreed_by=user)
    # D: agency fostering, no budget line: 1 to 4 April, 3 nights of £1,000 a week = 3000/7 = £428.571... -> £428.57
    d = PlacementFactory(placement_type="U6", provider_kind="PR4", route="framework", start=date(2025, 4, 1),
                         end=date(2025, 4, 4))
    CostLineFactory(placement=d, weekly_amount=Decimal("1000.00"), agreed_by=user)
    # Budgets: in-house fostering £30,000 (forecast £29,000: £1,000 under, green). External children's homes
    # £370,000: B + C forecast 98,700 + 160,500 + 117,750 = £376,950, £6,950 over; 2% of 370,000 is £7,400: amber.
    BudgetLineFactory(code="FOS-INH", name="In-house fostering", placement_category="foster_other",
                      provision="in_house", amount=Decimal("30000"), savings_target=Decimal("1000"))
    BudgetLineFactory(code="RES-EXT", name="External children's homes", placement_category="childrens_home",
                      provision="external", amount=Decimal("370000"), savings_target=Decimal("15000"))
    BudgetLineFactory(code="SCH", name="Residential schools", placement_category="residential_school",
                      provision="any", amount=Decimal("50000"))
    return {"a": a, "b": b, "c": c, "d": d}


def test_forecast_matches_the_case_worked_by_hand(worked_case):
    figures = selectors.forecast(year=YEAR, as_of=AS_OF)
    assert [line.code for line in figures.lines] == ["FOS-INH", "RES-EXT", "SCH", "UNBUDGETED"]
    fos, res, sch, unbudgeted = figures.lines
    assert (fos.actual_to_date, fos.committed, fos.forecast, fos.variance) == (
        Decimal("13900.00"), Decimal("15100.00"), Decimal("29000.00"), Decimal("-1000.00"))
    assert fos.rag == "green"
    assert (res.actual_to_date, res.committed, res.forecast, res.variance) == (
        Decimal("259200.00"), Decimal("117750.00"), Decimal("376950.00"), Decimal("6950.00"))
    assert res.rag == "amber"
    assert res.awaiting_weekly == Decimal("1400.00")
    assert (res.placements, res.children) == (2, 2)
    assert (sch.forecast, sch.variance, sch.children) == (Decimal("0.00"), Decimal("-50000.00"), 0)
    assert (unbudgeted.actual_to_date, unbudgeted.committed, unbudgeted.budget) == (
        Decimal("428.57"), Decimal("0.00"), Decimal("0.00"))
    assert unbudgeted.rag == "red"
    assert [line.code for line in figures.overspending] == ["RES-EXT", "UNBUDGETED"]


def test_red_beyond_the_amber_margin(worked_case, settings):
    settings.FINANCE_AMBER_OVERSPEND_PCT = "1"  # 1% of £370,000 is £3,700: £6,950 over is red
    assert selectors.forecast(year=YEAR, as_of=AS_OF).line("RES-EXT").rag == "red"


def test_the_command_prints_the_forecast_as_json(worked_case):
    out = StringIO()
    call_command("finance_forecast", "--year", "2025", "--as-of", "2025-10-31", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["code"] for r in rows] == ["FOS-INH", "RES-EXT", "SCH", "UNBUDGETED"]
    assert rows[1] == {"code": "RES-EXT", "name": "External children's homes", "budget": "370000.00",
                       "actual_to_date": "259200.00", "committed": "117750.00", "forecast": "376950.00",
                       "variance": "6950.00", "savings_target": "15000.00"}
    assert rows[3]["name"] == "Unbudgeted" and rows[3]["forecast"] == "428.57"


@pytest.mark.parametrize(("as_of", "actual", "committed"), [
    (date(2025, 3, 31), "0.00", "36500.00"),       # the day before the year: all 365 nights still to come
    (date(2025, 4, 1), "100.00", "36400.00"),      # the as-of day itself is actual: the night of 1 April
    (date(2025, 10, 31), "21400.00", "15100.00"),  # 214 nights actual, 151 committed
    (date(2026, 3, 30), "36400.00", "100.00"),     # only the night of 31 March is left
    (date(2026, 3, 31), "36500.00", "0.00"),       # the last day: everything is actual
    (date(2026, 6, 1), "36500.00", "0.00"),        # after the year
])
def test_the_as_of_day_is_actual_not_committed(db, as_of, actual, committed):
    placement = foster_in_house(start=date(2025, 4, 1))
    CostLineFactory(placement=placement, weekly_amount=Decimal("700.00"))  # £100 a night
    BudgetLineFactory(code="FOS", amount=Decimal("36500"))
    line = selectors.forecast(year=YEAR, as_of=as_of).line("FOS")
    assert (str(line.actual_to_date), str(line.committed)) == (actual, committed)


def test_a_line_for_any_provision_takes_what_has_no_line_of_its_own(db):
    CostLineFactory(placement=home_external(start=date(2025, 4, 1), end=date(2025, 4, 8)),
                    weekly_amount=Decimal("7000"))
    CostLineFactory(placement=PlacementFactory(placement_type="K2", provider_kind="PR1", route="in_house",
                                               start=date(2025, 4, 1), end=date(2025, 4, 8)),
                    weekly_amount=Decimal("3500"))
    BudgetLineFactory(code="HOMES", placement_category="childrens_home", provision="any")
    BudgetLineFactory(code="HOMES-INH", placement_category="childrens_home", provision="in_house")
    figures = selectors.forecast(year=YEAR, as_of=AS_OF)
    assert figures.line("HOMES").forecast == Decimal("7000.00")
    assert figures.line("HOMES-INH").forecast == Decimal("3500.00")
    assert figures.line(rules.UNBUDGETED) is None


def test_a_line_that_is_not_placements_is_taken_as_on_budget(db):
    BudgetLineFactory(code="STAFF", placement_category="", provision="any", amount=Decimal("250000"))
    line = selectors.forecast(year=YEAR, as_of=AS_OF).line("STAFF")
    assert (line.forecast, line.variance, line.rag) == (Decimal("250000.00"), Decimal("0.00"), "green")


# --- SQL against the night-by-night definition -------------------------------------------------------

CATEGORIES = [("U6", "PR1", "in_house"), ("U6", "PR4", "spot"), ("K2", "PR4", "spot"), ("K2", "PR1", "in_house"),
              ("S1", "PR5", "spot")]
YEAR_START = date(2025, 4, 1)
day = st.integers(min_value=-60, max_value=420).map(lambda n: YEAR_START + timedelta(days=n))
amount = st.decimals(min_value=Decimal("-500"), max_value=Decimal("9000"), places=2)
cost_line = st.tuples(amount, day, st.one_of(st.none(), st.integers(0, 200)), st.booleans())
placement = st.tuples(st.integers(0, len(CATEGORIES) - 1), day, st.one_of(st.none(), st.integers(1, 300)),
                      st.lists(cost_line, min_size=0, max_size=4))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(placements=st.lists(placement, min_size=1, max_size=6), as_of=day)
def test_sql_forecast_equals_the_night_by_night_definition(placements, as_of):
    CostLine.objects.all().delete()
    from placements.models import Child, Episode, Placement
    Episode.objects.all().delete()
    Placement.objects.all().delete()
    Child.objects.all().delete()
    from finance.models import BudgetLine
    BudgetLine.objects.all().delete()
    user = UserFactory(username="officer")
    lines = [("FOS-INH", "foster_other", "in_house"), ("HOMES", "childrens_home", "any")]
    for code, category, provision in lines:
        BudgetLineFactory(code=code, placement_category=category, provision=provision)
    spells = []
    for kind, start, length, costs in placements:
        place, provider, route = CATEGORIES[kind]
        end = start + timedelta(days=length) if length else None
        p = PlacementFactory(placement_type=place, provider_kind=provider, route=route, start=start, end=end)
        spell = reference.Spell(start=start, end=end, category=p.placement_type.category,
                                provision="in_house" if route == "in_house" else "external")
        for weekly, effective_from, span, in_force in costs:
            effective_to = effective_from + timedelta(days=span) if span is not None else None
            CostLineFactory(placement=p, weekly_amount=weekly, effective_from=effective_from,
                            effective_to=effective_to, status="in_force" if in_force else "awaiting_approval",
                            agreed_by=user)
            spell.lines.append(reference.Line(weekly, effective_from, effective_to, in_force))
        spells.append(spell)
    expected = reference.forecast(spells, lines, YEAR, as_of)
    got = {line.code: (line.actual_to_date, line.committed)
           for line in selectors.forecast(year=YEAR, as_of=as_of).lines}
    zero = (Decimal("0.00"), Decimal("0.00"))
    for code in set(expected) | set(got):
        assert got.get(code, zero) == expected.get(code, zero), code


def test_cached_totals_follow_every_change_to_what_they_read(db, settings):
    from placements.services import cost_line_decide

    settings.FINANCE_FORECAST_CACHE_SECONDS = 600
    placement = foster_in_house(start=date(2025, 4, 1))
    CostLineFactory(placement=placement, weekly_amount=Decimal("700.00"))
    awaiting = CostLineFactory(placement=placement, kind="uplift", weekly_amount=Decimal("70.00"),
                               status="awaiting_approval", needs_approval=True)
    BudgetLineFactory(code="FOS", amount=Decimal("36500"))
    assert selectors.forecast(year=YEAR, as_of=AS_OF).line("FOS").forecast == Decimal("36500.00")
    from django.contrib.auth.models import Group

    from core.roles import COMMISSIONER

    approver = UserFactory(username="approver")
    approver.groups.add(Group.objects.get(name=COMMISSIONER))
    cost_line_decide(line=awaiting, approve=True, user=approver)  # a service write: a history record
    assert selectors.forecast(year=YEAR, as_of=AS_OF).line("FOS").forecast == Decimal("40150.00")  # + 365 x £10


def other_placement(route="spot", **kw):
    """A DfE other placement (Z11): the 903 gives it no provider kind; a return brings it in as spot."""
    return PlacementFactory(placement_type="Z11", provider_kind=None, route=route, **kw)


@pytest.mark.parametrize(("lines", "expected"), [
    ([("OTH-EXT", "external"), ("OTH-INH", "in_house")], "OTH-EXT"),
    ([("OTH", "any")], "OTH"),
    ([], rules.UNBUDGETED),
])
def test_an_other_placement_with_no_provider_kind_is_costed_as_bought_on_the_other_line(db, lines, expected):
    # Open from 1 April 2025 at £7,000 a week (£1,000 a night): 214 nights actual, 151 committed.
    CostLineFactory(placement=other_placement(start=date(2025, 4, 1)), weekly_amount=Decimal("7000.00"))
    for code, provision in lines:
        BudgetLineFactory(code=code, placement_category="other", provision=provision, amount=Decimal("300000"))
    figures = selectors.forecast(year=YEAR, as_of=AS_OF)
    line = figures.line(expected)
    assert (line.placements, line.actual_to_date, line.committed) == (1, Decimal("214000.00"), Decimal("151000.00"))
    assert [other.placements for other in figures.lines if other is not line] == [0] * (len(figures.lines) - 1)
    assert figures.forecast == Decimal("365000.00")


def test_an_other_placement_recorded_as_in_house_is_costed_in_house(db):
    CostLineFactory(placement=other_placement(start=date(2025, 4, 1), route="in_house"),
                    weekly_amount=Decimal("7000.00"))
    BudgetLineFactory(code="OTH-EXT", placement_category="other", provision="external", amount=Decimal("300000"))
    BudgetLineFactory(code="OTH-INH", placement_category="other", provision="in_house", amount=Decimal("300000"))
    figures = selectors.forecast(year=YEAR, as_of=AS_OF)
    assert (figures.line("OTH-INH").placements, figures.line("OTH-EXT").placements) == (1, 0)
