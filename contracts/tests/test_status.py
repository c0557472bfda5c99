"""Statuses that never flatter: one contract status, the same on the register, the contract page, the home page,
the export and the committee report."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts import reports
from contracts.tests.factories import ContractFactory, ProviderFactory
from core.dashboard import dashboard_items

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def register(commissioner):
    """Three contracts left "live" 402, 251 and 98 days past their end; one ended with a decision; one running."""
    inadequate = ProviderFactory(name="Harbour Homes Ltd", ofsted_rating="inadequate",
                                 ofsted_inspected_on=date(2026, 3, 2))
    for ref, days in (("STALE-402", 402), ("STALE-251", 251), ("STALE-98", 98)):
        ContractFactory(reference=ref, status="live", start_date=date(2020, 4, 1), extension_options="",
                        end_date=TODAY - timedelta(days=days), contract_manager=commissioner,
                        annual_value=Decimal("10000"), provider=inadequate if days == 402 else ProviderFactory())
    ContractFactory(reference="DONE-1", start_date=date(2020, 4, 1), end_date=TODAY - timedelta(days=30),
                    extension_options="", decision="let_expire", decision_for_end=TODAY - timedelta(days=30))
    ContractFactory(reference="RUNNING-1", start_date=date(2025, 4, 1), end_date=date(2028, 3, 31),
                    last_reviewed_on=TODAY - timedelta(days=10), provider=ProviderFactory(ofsted_rating="good"))


def _rows(html):
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
    return {re.search(r"[A-Z]+-\d+", row).group(0): row for row in body.split("<tr")[1:]}


def test_register_says_ended_with_no_decision_in_red_never_live(commissioner_client, register):
    html = commissioner_client.get(reverse("contracts:index")).content.decode()
    rows = _rows(html)
    assert list(rows) == ["STALE-402", "STALE-251", "STALE-98", "RUNNING-1"]  # current: DONE-1 is not
    for ref, days in (("STALE-402", 402), ("STALE-251", 251), ("STALE-98", 98)):
        assert '<strong class="govuk-tag govuk-tag--red">Ended: no decision</strong>' in rows[ref]
        assert f"Ended {days} days ago" in rows[ref]
        assert ">Live<" not in rows[ref] and f">-{days}<" not in rows[ref]
        # Never reviewed since April 2020 (quarterly): overdue, flagged beside the status.
        assert '<strong class="govuk-tag govuk-tag--orange">Review overdue</strong>' in rows[ref]
    assert '<strong class="govuk-tag govuk-tag--red">Ofsted: Inadequate</strong>' in rows["STALE-402"]
    assert "Ofsted:" not in rows["STALE-251"] + rows["RUNNING-1"]  # Good is not flagged
    assert '<strong class="govuk-tag govuk-tag--green">Live</strong>' in rows["RUNNING-1"]
    assert "Review overdue" not in rows["RUNNING-1"]
    assert "Ended" not in rows["RUNNING-1"]


def test_register_filter_home_count_and_export_agree(commissioner_client, commissioner, register):
    items = {i.key: i for i in dashboard_items(user=commissioner, as_of=TODAY)}
    assert (items["decisions_overdue"].mine, items["decisions_overdue"].team) == (3, 3)
    by_alert = commissioner_client.get(items["decisions_overdue"].team_url)
    by_status = commissioner_client.get(reverse("contracts:index") + "?status=ended_no_decision")
    assert by_alert.context["totals"]["count"] == by_status.context["totals"]["count"] == 3
    assert list(_rows(by_status.content.decode())) == ["STALE-402", "STALE-251", "STALE-98"]
    live = commissioner_client.get(reverse("contracts:index") + "?status=live")
    assert list(_rows(live.content.decode())) == ["RUNNING-1"]

    export = commissioner_client.get(reverse("contracts:export", args=["csv"]) + "?status=all")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {r["Reference"]: r["Status"] for r in rows} == {
        "STALE-402": "Ended: no decision", "STALE-251": "Ended: no decision", "STALE-98": "Ended: no decision",
        "DONE-1": "Expired", "RUNNING-1": "Live",
    }


def test_report_counts_only_live_contracts_as_live_and_lists_those_ended_with_no_decision(register):
    context = reports.section_context(period_start=date(2026, 7, 1), period_end=date(2026, 9, 30), as_of=TODAY)
    assert context["summary"]["count"] == 1  # RUNNING-1: the three left "live" are not
    assert [c.reference for c in context["ended_no_decision"]] == ["STALE-402", "STALE-251", "STALE-98"]
    assert [c.days_since_end for c in context["ended_no_decision"]] == [402, 251, 98]
    assert context["ended_no_decision_value"] == Decimal("30000")
    assert context["ended_no_decision"][0].provider.name == "Harbour Homes Ltd"


def test_contract_page_flags_the_review_the_lapsed_extensions_and_ofsted(commissioner_client):
    provider = ProviderFactory(name="Harbour Homes Ltd", ofsted_rating="inadequate",
                               ofsted_inspected_on=date(2026, 3, 2))
    # Ends 31 March 2027, decision due 30 September 2026; last reviewed March 2023, quarterly: due June 2023.
    contract = ContractFactory(provider=provider, start_date=date(2022, 4, 1), end_date=date(2027, 3, 31),
                               extension_options="12+12", last_reviewed_on=date(2023, 3, 1), risk="medium")
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    status = re.search(r'<p class="govuk-body" id="contract-status">(.*?)</p>', html, re.S).group(1)
    assert ">Live<" in status and ">Review overdue<" in status
    assert "The next review was due on 1 June 2023" in html
    assert "Ofsted judged Harbour Homes Ltd Inadequate on 2 March 2026." in html
    timeline = re.search(r'<table class="govuk-table" id="timeline">(.*?)</table>', html, re.S).group(1)
    assert timeline.count(">Lapsed<") == 2 and "Extension available" not in timeline
    assert "2 extensions lapsed: the decision was due by 30 September 2026 and none was recorded." in html


def test_contract_page_before_the_decision_date_offers_the_extensions(commissioner_client):
    contract = ContractFactory(provider=ProviderFactory(ofsted_rating="requires_improvement"),
                               start_date=date(2024, 4, 1), end_date=date(2028, 3, 31), extension_options="12+12",
                               last_reviewed_on=TODAY - timedelta(days=5))
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert html.count("Extension available") == 2 and "Lapsed" not in html
    assert "2 extensions available." in html
    assert "Review overdue" not in html
    assert "Requires improvement" in re.search(r'id="ofsted-warning">(.*?)</div>', html, re.S).group(1)
