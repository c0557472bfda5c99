from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from contracts import dates


@pytest.mark.parametrize(
    "text, expected",
    [("", ()), ("12", (12,)), ("12+12", (12, 12)), (" 24 + 12 ", (24, 12)), ("6+6+6", (6, 6, 6))],
)
def test_parse_extension_options(text, expected):
    assert dates.parse_extension_options(text) == expected


@pytest.mark.parametrize("text", ["12,12", "twelve", "12+", "+12", "0", "12+0", "121", "-12", "1.5"])
def test_parse_extension_options_refuses(text):
    with pytest.raises(ValueError):
        dates.parse_extension_options(text)


@pytest.mark.parametrize(
    "options, used, holder, expected",
    [
        ("12+12", 2, "contract", {}),
        ("", None, "framework", {}),
        ("12+12", 3, "contract",
         {"extensions_used": "Extensions used must be 2 or fewer: the contract has 2 extension options"}),
        ("24", 2, "framework",
         {"extensions_used": "Extensions used must be 1 or fewer: the framework has 1 extension option"}),
        ("", 1, "contract",
         {"extensions_used": "Extensions used must be 0 or fewer: the contract has 0 extension options"}),
        ("12,12", 3, "framework",
         {"extension_options": "Extension options must be months separated by +, for example 12+12 (not '12,12')"}),
    ],
)
def test_one_rule_checks_the_extensions_of_contracts_and_frameworks(options, used, holder, expected):
    assert dates.extension_errors(options, used, holder=holder) == expected


@pytest.mark.parametrize(
    "end, options, used, expected_current, expected_final",
    [
        (date(2027, 3, 31), (12, 12), 0, date(2027, 3, 31), date(2029, 3, 31)),
        (date(2027, 3, 31), (12, 12), 1, date(2028, 3, 31), date(2029, 3, 31)),
        (date(2027, 3, 31), (12, 12), 2, date(2029, 3, 31), date(2029, 3, 31)),
        # month ends clamp like relativedelta, and extensions add as one total (no drift)
        (date(2026, 8, 31), (6, 6), 1, date(2027, 2, 28), date(2027, 8, 31)),
        (date(2026, 8, 31), (6, 6), 2, date(2027, 8, 31), date(2027, 8, 31)),
        (date(2027, 8, 31), (6,), 1, date(2028, 2, 29), date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), (12,), 1, date(2029, 2, 28), date(2029, 2, 28)),
        (date(2026, 1, 31), (1,), 1, date(2026, 2, 28), date(2026, 2, 28)),
        (date(2026, 5, 15), (), 0, date(2026, 5, 15), date(2026, 5, 15)),
    ],
)
def test_current_and_final_end(end, options, used, expected_current, expected_final):
    assert dates.current_end(end, options, used) == expected_current
    assert dates.final_end(end, options) == expected_final


@pytest.mark.parametrize("used", [-1, 3])
def test_current_end_refuses_impossible_used(used):
    with pytest.raises(ValueError):
        dates.current_end(date(2027, 3, 31), (12, 12), used)


@pytest.mark.parametrize(
    "end, lead, expected",
    [
        (date(2027, 3, 31), 6, date(2026, 9, 30)),
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 3, 31), 0, date(2027, 3, 31)),
        (date(2027, 3, 31), 12, date(2026, 3, 31)),
    ],
)
def test_decision_due_on(end, lead, expected):
    assert dates.decision_due_on(end, lead) == expected


@pytest.mark.parametrize(
    "last, start, risk, expected",
    [
        (None, date(2026, 4, 1), "high", date(2026, 5, 1)),
        (None, date(2026, 4, 1), "medium", date(2026, 7, 1)),
        (None, date(2026, 4, 1), "low", date(2027, 4, 1)),
        (date(2026, 10, 31), date(2020, 1, 1), "high", date(2026, 11, 30)),
        (date(2026, 11, 30), date(2020, 1, 1), "medium", date(2027, 2, 28)),
    ],
)
def test_next_review_due(last, start, risk, expected):
    assert dates.next_review_due(last, start, risk, current_end_date=date(2030, 3, 31)) == expected


def test_next_review_due_uses_configured_intervals():
    intervals = {"high": 1, "medium": 6, "low": 24}
    assert dates.next_review_due(None, date(2026, 1, 1), "low", intervals, current_end_date=date(2030, 3, 31)) == date(
        2028, 1, 1
    )


@pytest.mark.parametrize(
    "last, start, risk, end, expected",
    [
        # A low-risk contract's yearly review would fall after a 6-month contract ends: due on the end.
        (None, date(2026, 4, 1), "low", date(2026, 9, 30), date(2026, 9, 30)),
        (date(2027, 1, 15), date(2026, 4, 1), "medium", date(2027, 3, 31), date(2027, 3, 31)),
        (date(2027, 1, 15), date(2026, 4, 1), "medium", date(2027, 4, 15), date(2027, 4, 15)),
        (date(2027, 1, 15), date(2026, 4, 1), "medium", date(2027, 4, 16), date(2027, 4, 15)),
    ],
)
def test_next_review_due_never_falls_after_the_current_end(last, start, risk, end, expected):
    assert dates.next_review_due(last, start, risk, current_end_date=end) == expected


@given(
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=3000),
    risk=st.sampled_from(["high", "medium", "low"]),
)
def test_next_review_due_is_on_or_before_the_end_whatever_the_contract(start, days, risk):
    end = start + timedelta(days=days)
    assert start <= dates.next_review_due(None, start, risk, current_end_date=end) <= end


@pytest.mark.parametrize(
    "start, end, as_of, recorded, expected",
    [
        (date(2026, 4, 1), date(2027, 3, 31), date(2026, 3, 31), "", "not_started"),
        (date(2026, 4, 1), date(2027, 3, 31), date(2026, 4, 1), "", "live"),
        (date(2026, 4, 1), date(2027, 3, 31), date(2027, 3, 31), "", "live"),
        (date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 1), "", "expired"),
        (date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 1), "live", "live"),
        (date(2026, 4, 1), date(2027, 3, 31), date(2026, 6, 1), "terminated", "terminated"),
    ],
)
def test_derived_status(start, end, as_of, recorded, expected):
    assert dates.derived_status(start, end, as_of, recorded) == expected


def test_days_to():
    assert dates.days_to(date(2026, 12, 1), date(2026, 11, 23)) == 8
    assert dates.days_to(date(2026, 11, 20), date(2026, 11, 23)) == -3


START, END = date(2024, 4, 1), date(2027, 3, 31)


@pytest.mark.parametrize(
    "case, recorded, as_of, decided, expected",
    [
        ("before the start", "", date(2024, 3, 31), False, "not_started"),
        ("first day", "", START, False, "live"),
        ("in its term", "", date(2026, 1, 1), False, "live"),
        ("last day", "", END, False, "live"),
        ("the day after, no decision", "", date(2027, 4, 1), False, "ended_no_decision"),
        ("the day after, decided", "", date(2027, 4, 1), True, "expired"),
        ("402 days past, recorded live", "live", date(2028, 5, 6), False, "ended_no_decision"),
        ("past, recorded live, decided", "live", date(2028, 5, 6), True, "expired"),
        ("past, recorded not started", "not_started", date(2027, 4, 1), False, "ended_no_decision"),
        ("recorded live before the start", "live", date(2024, 1, 1), False, "live"),
        ("recorded not started in its term", "not_started", date(2026, 1, 1), False, "not_started"),
        ("recorded expired in its term", "expired", date(2026, 1, 1), False, "expired"),
        ("recorded expired past its end", "expired", date(2028, 1, 1), False, "expired"),
        ("terminated early", "terminated", date(2026, 1, 1), False, "terminated"),
        ("terminated, past its end", "terminated", date(2028, 1, 1), False, "terminated"),
    ],
)
def test_contract_status(case, recorded, as_of, decided, expected):
    assert dates.contract_status(recorded=recorded, start_date=START, current_end_date=END, decision_recorded=decided,
                                 as_of=as_of) == expected


@pytest.mark.parametrize(
    "status, next_review, as_of, expected",
    [
        ("live", date(2026, 6, 1), date(2026, 6, 1), False),
        ("live", date(2026, 6, 1), date(2026, 6, 2), True),
        ("ended_no_decision", date(2023, 6, 1), date(2028, 5, 6), True),
        ("expired", date(2023, 6, 1), date(2028, 5, 6), False),
        ("terminated", date(2023, 6, 1), date(2028, 5, 6), False),
        ("not_started", date(2023, 6, 1), date(2024, 1, 1), False),
    ],
)
def test_review_overdue(status, next_review, as_of, expected):
    assert dates.review_overdue(status=status, next_review_due=next_review, as_of=as_of) is expected


@pytest.mark.parametrize(
    "decision_due, decided, as_of, expected",
    [
        (date(2026, 9, 30), False, date(2026, 9, 30), "available"),  # due today: still open
        (date(2026, 9, 30), False, date(2026, 10, 1), "lapsed"),
        (date(2026, 9, 30), True, date(2026, 10, 1), "not_taken"),
        (date(2026, 9, 30), True, date(2026, 1, 1), "not_taken"),
    ],
)
def test_remaining_extensions(decision_due, decided, as_of, expected):
    assert dates.remaining_extensions(decision_due_on=decision_due, decision_recorded=decided, as_of=as_of) == expected
    assert dates.extension_available((12, 12), 0, remaining=expected) is (expected != "lapsed")
    assert dates.extension_available((12, 12), 2, remaining=expected) is False


def test_timeline_marks_lapsed_options():
    steps = dates.timeline(START, END, (12, 12, 12), 1, remaining="lapsed")
    assert [s["state"] for s in steps] == ["done", "done", "current", "lapsed", "lapsed"]


def test_timeline_marks_used_current_and_available():
    steps = dates.timeline(date(2024, 4, 1), date(2027, 3, 31), (12, 12), 1)
    assert [(s["label"], s["date"], s["state"]) for s in steps] == [
        ("Start", date(2024, 4, 1), "done"),
        ("Original end", date(2027, 3, 31), "done"),
        ("Extension 1 (12 months)", date(2028, 3, 31), "current"),
        ("Extension 2 (12 months)", date(2029, 3, 31), "available"),
    ]


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
option_lists = st.lists(st.integers(min_value=1, max_value=60), max_size=4)


@given(end=days, options=option_lists, data=st.data())
def test_current_end_matches_relativedelta_and_is_bounded(end, options, data):
    used = data.draw(st.integers(min_value=0, max_value=len(options)))
    options = tuple(options)
    current = dates.current_end(end, options, used)
    final = dates.final_end(end, options)
    assert current == end + relativedelta(months=sum(options[:used]))
    assert end <= current <= final
    assert (current == final) == (sum(options[:used]) == sum(options))
    assert dates.extension_available(options, used) == (used < len(options))


@given(end=days, lead=st.integers(min_value=0, max_value=24))
def test_decision_due_is_before_end_by_about_lead_months(end, lead):
    due = dates.decision_due_on(end, lead)
    assert due <= end
    assert (end - due) <= timedelta(days=31 * lead + 3)
    assert (end - due) >= timedelta(days=28 * lead - 3)


@given(start=days, end=days, as_of=days)
def test_status_is_live_exactly_within_term(start, end, as_of):
    status = dates.derived_status(start, end, as_of)
    assert (status == "live") == (start <= as_of <= end)


@given(options=option_lists)
def test_extension_options_round_trip(options):
    assert dates.parse_extension_options(dates.format_extension_options(options)) == tuple(options)
