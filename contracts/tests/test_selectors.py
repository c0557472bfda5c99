from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from contracts import dates, selectors
from contracts.models import Contract
from contracts.tests.factories import ContractFactory
from core.periods import Quarter

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 23)


def refs(qs):
    return [c.reference for c in qs]


def test_decision_due_lists_live_undecided_contracts_inside_the_lead_time(commissioner):
    due = ContractFactory(reference="DUE", end_date=date(2027, 3, 31), contract_manager=commissioner)
    ContractFactory(reference="LATER", end_date=date(2027, 12, 31))
    ContractFactory(reference="DECIDED", end_date=date(2027, 3, 31), decision="reprocure",
                    decision_for_end=date(2027, 3, 31))
    ContractFactory(reference="ENDED", end_date=date(2026, 10, 31))
    ContractFactory(reference="TERMINATED", end_date=date(2027, 3, 31), status="terminated")
    assert refs(selectors.contracts_decision_due(as_of=AS_OF)) == ["DUE"]
    assert refs(selectors.contracts_decision_due(as_of=AS_OF, manager=commissioner)) == ["DUE"]
    assert due.decision_due_on == date(2026, 9, 30)


def test_review_overdue_by_risk():
    ContractFactory(reference="HIGH", risk="high", last_reviewed_on=date(2026, 10, 1))  # due 1 Nov
    ContractFactory(reference="LOW", risk="low", last_reviewed_on=date(2026, 10, 1))  # due Oct 2027
    ContractFactory(reference="NEVER", risk="medium", start_date=date(2026, 1, 1))  # due 1 Apr 2026
    assert refs(selectors.contracts_review_overdue(as_of=AS_OF)) == ["NEVER", "HIGH"]


def test_ended_with_no_decision_whatever_status_it_was_left_with():
    ContractFactory(reference="STALE", end_date=date(2026, 10, 31), extension_options="", status="live")
    ContractFactory(reference="LAPSED", end_date=date(2026, 9, 30), extension_options="")
    ContractFactory(reference="DECIDED", end_date=date(2026, 10, 31), extension_options="",
                    decision="let_expire", decision_for_end=date(2026, 10, 31))
    ContractFactory(reference="CLOSED", end_date=date(2026, 10, 31), extension_options="", status="expired")
    ContractFactory(reference="RUNNING", end_date=date(2026, 11, 23), extension_options="")
    assert refs(selectors.contracts_ended_no_decision(as_of=AS_OF)) == ["LAPSED", "STALE"]
    shown = {c.reference: c.effective_status for c in Contract.objects.with_status(AS_OF)}
    assert shown == {"STALE": "ended_no_decision", "LAPSED": "ended_no_decision", "DECIDED": "expired",
                     "CLOSED": "expired", "RUNNING": "live"}


def test_review_overdue_counts_a_contract_past_its_end_with_no_decision():
    ContractFactory(reference="ENDED", end_date=date(2026, 10, 31), start_date=date(2022, 4, 1),
                    last_reviewed_on=date(2023, 3, 1), status="live")
    ContractFactory(reference="LET-GO", end_date=date(2026, 10, 31), start_date=date(2022, 4, 1),
                    last_reviewed_on=date(2023, 3, 1), decision="let_expire", decision_for_end=date(2026, 10, 31))
    assert refs(selectors.contracts_review_overdue(as_of=AS_OF)) == ["ENDED"]


def test_contracts_due_window_and_order():
    ContractFactory(reference="B", end_date=AS_OF + timedelta(days=30))
    ContractFactory(reference="A", end_date=AS_OF + timedelta(days=30))
    ContractFactory(reference="C", end_date=AS_OF)
    ContractFactory(reference="OUT", end_date=AS_OF + timedelta(days=31))
    assert refs(selectors.contracts_due(as_of=AS_OF, within_days=30)) == ["C", "A", "B"]


def test_quarters():
    assert Quarter.containing(date(2027, 4, 1)) == Quarter(2027, 1)
    assert Quarter.containing(date(2027, 3, 31)) == Quarter(2026, 4)
    assert Quarter.containing(date(2026, 12, 1)) == Quarter(2026, 3)
    assert Quarter(2026, 4).label == "2026/27 Q4 (January to March 2027)"


class SqlStatusMatchesPureStatus(TestCase):
    """The status the database derives is the one contracts.dates derives, for any dates."""

    @settings(max_examples=30, deadline=None)
    @given(
        start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
        term=st.integers(min_value=0, max_value=2000),
        used=st.integers(min_value=0, max_value=2),
        as_of=st.dates(min_value=date(2019, 1, 1), max_value=date(2036, 1, 1)),
    )
    def test_status(self, start, term, used, as_of):
        contract = ContractFactory(start_date=start, end_date=start + timedelta(days=term), extensions_used=used)
        row = Contract.objects.with_status(as_of).get(pk=contract.pk)
        assert row.effective_status == dates.contract_status(
            recorded="", start_date=start, current_end_date=contract.current_end, decision_recorded=False,
            as_of=as_of)
        live = Contract.objects.live_on(as_of).filter(pk=contract.pk).exists()
        assert live == (row.effective_status == "live")
        contract.delete()


class SqlAlertsMatchPureAlerts(TestCase):
    """Status, decision overdue, review overdue and ended with no decision: the QuerySet methods the lists, the
    home page, exports, reports and the alert emails use pick the same contracts as the pure rules the contract
    page uses."""

    @settings(max_examples=40, deadline=None)
    @given(
        start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
        term=st.integers(min_value=0, max_value=2000),
        used=st.integers(min_value=0, max_value=2),
        recorded=st.sampled_from(["", "", "live", "expired", "not_started", "terminated"]),
        decided=st.booleans(),
        last_review=st.none() | st.integers(min_value=0, max_value=900),
        as_of=st.dates(min_value=date(2019, 1, 1), max_value=date(2036, 1, 1)),
    )
    def test_alerts(self, start, term, used, recorded, decided, last_review, as_of):
        contract = ContractFactory(
            start_date=start, end_date=start + timedelta(days=term), extensions_used=used, status=recorded,
            last_reviewed_on=None if last_review is None else start + timedelta(days=last_review),
        )
        if decided:
            Contract.objects.filter(pk=contract.pk).update(decision="extend", decision_for_end=contract.current_end)
        row = Contract.objects.with_status(as_of).get(pk=contract.pk)
        assert bool(row.decision_recorded) == decided  # NULL (no decision at all) reads as not recorded
        status = dates.contract_status(recorded=recorded, start_date=start, current_end_date=row.current_end,
                                       decision_recorded=decided, as_of=as_of)
        assert row.effective_status == status

        def in_sql(method):
            return getattr(Contract.objects, method)(as_of).filter(pk=contract.pk).exists()

        assert in_sql("live_on") == dates.is_live(start, row.current_end, as_of, recorded)
        assert in_sql("decision_overdue") == dates.decision_overdue(
            status=row.effective_status, decision_recorded=row.decision_recorded,
            decision_due_on=row.decision_due_on, current_end_date=row.current_end, as_of=as_of)
        assert in_sql("review_overdue") == dates.review_overdue(
            status=row.effective_status, next_review_due=row.next_review_due, as_of=as_of)
        assert in_sql("ended_no_decision") == (status == dates.ENDED_NO_DECISION)
        contract.delete()
