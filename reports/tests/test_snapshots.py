"""A report states a quarter's figures as known when it is built, each event counted by its own date, and is then
frozen: a report built after a correction prints the corrected figure, and a built report never changes."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.services import contract_record_decision, contract_update, provider_update
from contracts.tests.factories import ContractFactory
from finance.models import BudgetLine
from finance.selectors import forecast
from finance.tests.factories import BudgetLineFactory
from kpis.services import benchmark_record, measurement_record, target_set
from kpis.tests.factories import IndicatorFactory
from placements.models import Placement, covering_q
from placements.tests.factories import CostLineFactory, PlacementFactory
from plans.services import action_record_progress
from plans.tests.factories import ActionFactory
from reports.models import ReportRun
from reports.services import report_run_execute, report_run_request, report_run_retry
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
SECTIONS = ["performance", "contracts", "actions"]


def _build(user, when, sections=SECTIONS):
    with time_machine.travel(when, tick=False):
        run = report_run_request(kind="pack", period="2025-Q4", requested_by=user, sections=sections, queue=False)
        run = report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.COMPLETE, run.error
    with run.file.open("rb") as fh:
        text = pdf_text(fh.read())
    return run, re.sub(r"This report was produced on .*? at \d\d:\d\d\.", "", text)


def test_a_quarter_built_the_day_after_and_months_later_says_the_same(commissioner):
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        kpi = IndicatorFactory(code="SC03", name="Re-referrals within 12 months", polarity="lower_is_better")
        target_set(
            indicator=kpi,
            starts_on=date(2025, 4, 1),
            kind="at_most_benchmark",
            benchmark_source="england",
            tolerance=D(2),
            user=commissioner,
        )
        benchmark_record(
            indicator=kpi, period_end=date(2026, 3, 31), source="england", value=D("22.4"), user=commissioner
        )
        measurement_record(indicator=kpi, period_end=date(2025, 12, 31), value=D("23.0"), user=commissioner)
        contract = ContractFactory(
            reference="FOS-01",
            title="Fostering support",
            start_date=date(2024, 4, 1),
            end_date=date(2026, 9, 30),
            extension_options="",
        )
        action = ActionFactory(
            subject="Sufficiency", description="Refresh the sufficiency statement", due_on=date(2026, 2, 28)
        )
        action_record_progress(
            action=action,
            note="Draft with the head of service",
            author=commissioner,
            noted_on=date(2026, 3, 5),
            new_status="in_progress",
        )
    with time_machine.travel(datetime(2026, 4, 1, 7, tzinfo=UTC), tick=False):  # the quarter has just ended
        measurement_record(indicator=kpi, period_end=date(2026, 3, 31), value=D("27.0"), user=commissioner)

    april_run, april = _build(commissioner, datetime(2026, 4, 1, 8, tzinfo=UTC))
    with april_run.file.open("rb") as fh:
        april_bytes = fh.read()

    # After the quarter: the value corrected, a value for the next quarter, a new target from April, England's
    # figure corrected, the KPI renamed, the action completed in June, the contract's end corrected and a
    # decision taken in June, the provider renamed.
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=False):
        measurement_record(indicator=kpi, period_end=date(2026, 3, 31), value=D("31.0"), user=commissioner)
        target_set(indicator=kpi, starts_on=date(2026, 4, 1), kind="at_most", value=D(20), user=commissioner)
        benchmark_record(
            indicator=kpi, period_end=date(2026, 3, 31), source="england", value=D("30.0"), user=commissioner
        )
        kpi.name = "Re-referrals to children's social care"
        kpi.save()
        action_record_progress(
            action=action,
            note="Statement published in June",
            author=commissioner,
            noted_on=date(2026, 6, 12),
            new_status="complete",
        )
        contract_update(contract=contract, user=commissioner, end_date=date(2026, 5, 31))
        contract_record_decision(
            contract=contract, decision="reprocure", decided_by=commissioner, decided_on=date(2026, 6, 15)
        )
        provider_update(provider=contract.provider, user=commissioner, name="Renamed Fostering Ltd")
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=UTC), tick=False):  # once the next quarter has ended
        measurement_record(indicator=kpi, period_end=date(2026, 6, 30), value=D("18.0"), user=commissioner)

    november_run, november = _build(commissioner, datetime(2026, 11, 30, 9, tzinfo=UTC))
    assert november_run.as_of == april_run.as_of == date(2026, 3, 31)

    # Built on 1 April: the figures known then, the value not yet approved.
    assert "27.0%" in april and "At most 22.4% (England, 2025/26); amber up to 24.4%" in april
    assert "Draft with the head of service" in april and "30 Sep 2026" in april
    # Built in November: the quarter's corrected figures, under today's names.
    assert "31.0%" in november and "27.0%" not in november
    assert "At most 30.0% (England, 2025/26)" in november
    assert "Re-referrals to children's social care" in november and "Renamed Fostering Ltd" in november
    assert "31 May 2026" in november, "the contract's end as corrected"
    # Events after 31 March are not in a report of the quarter to 31 March.
    assert "18.0%" not in november, "the next quarter's value"
    assert "Statement published" not in november and "IN PROGRESS" in november, "the action on 31 March"
    assert "Re-procure" not in november, "a decision taken in June"
    # And the report built in April is never changed.
    with april_run.file.open("rb") as fh:
        assert fh.read() == april_bytes


def test_a_finished_report_is_never_rebuilt_or_retried(commissioner):
    run = report_run_request(kind="actions", period="2025-Q4", requested_by=commissioner, queue=False)
    run = report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.COMPLETE
    name, size, finished = run.file.name, run.file_size, run.finished_at
    with run.file.open("rb") as fh:
        first = fh.read()
    ActionFactory(subject="Later", description="An action added after the report was built")

    again = report_run_execute(run_id=run.pk)  # a redelivered build message
    with pytest.raises(ValidationError):
        report_run_retry(run=again, user=commissioner)

    run.refresh_from_db()
    assert (run.file.name, run.file_size, run.finished_at) == (name, size, finished)
    with run.file.open("rb") as fh:
        assert fh.read() == first


def test_a_finished_report_cannot_be_edited_in_the_admin(admin_user_client, commissioner):
    run = report_run_request(kind="actions", period="2025-Q4", requested_by=commissioner, queue=False)
    run = report_run_execute(run_id=run.pk)
    url = f"/admin/reports/reportrun/{run.pk}/change/"
    html = admin_user_client.get(url).content.decode()
    assert 'name="title"' not in html and 'name="as_of"' not in html and 'name="recommendations"' not in html
    admin_user_client.post(url, {"title": "Changed afterwards", "kind": "actions", "period": "2025-Q4"})
    run.refresh_from_db()
    assert run.title != "Changed afterwards"




def test_placements_and_finance_as_known_when_built_each_placement_by_its_own_dates(commissioner):
    """Placements, costs and the budget as they are now: a placement a corrected return removed and created
    again is counted once, one recorded late counts from its start, one that started after the day does not."""
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        BudgetLineFactory(code="FOS", name="In-house fostering", placement_category="foster_other",
                          provision="in_house", amount=D("250000"))
        BudgetLineFactory(code="HOMES", name="External children's homes", placement_category="childrens_home",
                          provision="external", amount=D("1500000"))
        fostered = [PlacementFactory(start=date(2025, 6, 1)) for _ in range(8)]
        homes = [PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot", start=date(2025, 9, 1))
                 for _ in range(6)]
        for placement in fostered:
            CostLineFactory(placement=placement, weekly_amount=D("500.00"))
        for placement in homes:
            CostLineFactory(placement=placement, weekly_amount=D("4900.00"))

    april_run, april = _build(commissioner, datetime(2026, 4, 1, 8, tzinfo=UTC), sections=["placements", "finance"])
    assert "On 31 March 2026, 14 children were looked after" in april
    assert "The weekly cost of current placements is £33,400" in april  # 8 x £500 + 6 x £4,900

    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=False):
        # A corrected return: one home placement removed and created again with a corrected start date.
        moved = homes[0]
        child = moved.child
        Placement.objects.filter(pk=moved.pk).delete()
        again = PlacementFactory(child=child, placement_type="K2", provider_kind="PR4", route="spot",
                                 start=date(2025, 9, 3))
        CostLineFactory(placement=again, weekly_amount=D("4900.00"))
        # Recorded late: a child placed on 20 March, a backdated fee rise, a bigger budget; and a child placed in
        # April, after the quarter.
        late = PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot", start=date(2026, 3, 20))
        CostLineFactory(placement=late, weekly_amount=D("6000.00"))
        CostLineFactory(placement=homes[1], kind="uplift", weekly_amount=D("400.00"), effective_from=date(2026, 1, 1))
        PlacementFactory(start=date(2026, 4, 2))
        budget = BudgetLine.objects.get(code="HOMES")
        budget.amount = D("1800000")
        budget.save()

    _, november = _build(commissioner, datetime(2026, 11, 30, 9, tzinfo=UTC), sections=["placements", "finance"])
    # 8 fostered + 6 homes (one recreated) + the child placed on 20 March; not the child placed in April.
    assert "On 31 March 2026, 15 children were looked after" in november
    assert Placement.objects.filter(covering_q(date(2026, 3, 31))).count() == 15
    # 8 x £500 + 6 x £4,900 + £6,000 + the £400 uplift
    assert "The weekly cost of current placements is £39,800" in november
    assert "£1,800,000" in november and "£1,500,000" not in november
    # The finance pages' selector gives the same budget for the same day.
    with time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=UTC), tick=False):
        assert forecast(year=2025, as_of=date(2026, 3, 31)).budget == D("2050000")
