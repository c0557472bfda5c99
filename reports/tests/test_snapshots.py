"""A report for a past quarter is a snapshot: built the day after the quarter closes or months later, it says the
same, whatever was changed in between. And a built report is never changed afterwards."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.services import contract_record_decision, contract_update, provider_update
from contracts.tests.factories import ContractFactory
from core.history import tables_as_at
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
from reports.sections import render_sections
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
    with time_machine.travel(datetime(2026, 3, 31, 15, tzinfo=UTC), tick=False):
        measurement_record(indicator=kpi, period_end=date(2026, 3, 31), value=D("27.0"), user=commissioner)

    april_run, april = _build(commissioner, datetime(2026, 4, 1, 8, tzinfo=UTC))

    # Between the two builds: the value corrected, a new value, a new target and benchmark figure, the
    # action completed with a later note, the contract's end moved and decided, the provider renamed.
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=False):
        measurement_record(indicator=kpi, period_end=date(2026, 3, 31), value=D("31.0"), user=commissioner)
        measurement_record(indicator=kpi, period_end=date(2026, 6, 30), value=D("18.0"), user=commissioner)
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

    november_run, november = _build(commissioner, datetime(2026, 11, 30, 9, tzinfo=UTC))

    assert november == april
    # what the quarter looked like on 31 March, and none of the later changes
    assert "27.0%" in april and "At most 22.4% (England, 2025/26); amber up to 24.4%" in april
    assert "Re-referrals within 12 months" in april and "IN PROGRESS" in april
    assert "Draft with the head of service" in april and "30 Sep 2026" in april
    for later in [
        "31.0%",
        "30.0%",
        "Statement published",
        "Renamed Fostering",
        "31 May 2026",
        "Re-procure",
        "children's social care",
        "COMPLETE (",
        "18.0%",
    ]:
        assert later not in april, later
    assert november_run.as_of == april_run.as_of == date(2026, 3, 31)


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


def test_placements_and_finance_as_the_council_held_them_at_the_quarters_end(commissioner):
    """Placements, costs and the budget as held at the end of 31 March: a placement a corrected return removed and
    created again is counted once, and a move, a cost or a budget change recorded later is not in the report."""
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

    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=False):
        # A corrected return: one home placement removed and created again with a corrected start date.
        moved = homes[0]
        child = moved.child
        Placement.objects.filter(pk=moved.pk).delete()
        again = PlacementFactory(child=child, placement_type="K2", provider_kind="PR4", route="spot",
                                 start=date(2025, 9, 3))
        CostLineFactory(placement=again, weekly_amount=D("4900.00"))
        # Recorded late: a fostering placement that ended in February, a child placed on 20 March, a backdated fee
        # rise, and a bigger budget.
        fostered[1].end = date(2026, 2, 15)
        fostered[1].save()
        late = PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot", start=date(2026, 3, 20))
        CostLineFactory(placement=late, weekly_amount=D("6000.00"))
        CostLineFactory(placement=homes[1], kind="uplift", weekly_amount=D("400.00"), effective_from=date(2026, 1, 1))
        budget = BudgetLine.objects.get(code="HOMES")
        budget.amount = D("1800000")
        budget.save()

    with time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=UTC), tick=False):
        # The finance pages keep today's forecast for 31 March in the cache: the report must not take it.
        assert forecast(year=2025, as_of=date(2026, 3, 31)).budget == D("2050000")
    november_run, november = _build(commissioner, datetime(2026, 11, 30, 9, tzinfo=UTC),
                                    sections=["placements", "finance"])

    assert november == april
    assert "On 31 March 2026, 14 children were looked after" in april
    assert "The weekly cost of current placements is £33,400" in april  # 8 x £500 + 6 x £4,900
    assert "£1,500,000" in april and "£1,800,000" not in april
    assert "15 children were looked after" not in april and "£34,400" not in april
    # Today's figures do count them all, once each.
    assert Placement.objects.filter(covering_q(date(2026, 3, 31))).count() == 14


def test_a_quarter_recorded_only_after_it_ended_is_read_as_first_recorded(commissioner):
    """A council that starts with the product loads past returns: the first quarter it reports on held nothing
    at its end, so the records are read as first recorded, and one removed since is not counted."""
    with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=UTC), tick=False):
        placements = [PlacementFactory(start=date(2025, 6, 1)) for _ in range(7)]
    with time_machine.travel(datetime(2026, 10, 2, 9, tzinfo=UTC), tick=False):
        Placement.objects.filter(pk=placements[0].pk).delete()
        placements[1].end = date(2025, 12, 1)
        placements[1].save()
    with time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=UTC), tick=False):
        html = render_sections(["placements"], period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
                               as_of=date(2026, 3, 31))[0].html
    assert "On 31 March 2026, 6 children were looked after" in html


def test_the_real_tables_are_read_again_after_the_block_and_after_an_error():
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False):
        PlacementFactory(start=date(2025, 6, 1))
    with time_machine.travel(datetime(2026, 6, 10, 9, tzinfo=UTC), tick=False):
        PlacementFactory(start=date(2025, 6, 1))
        with tables_as_at([Placement], date(2026, 3, 31)):
            assert Placement.objects.count() == 1
            with pytest.raises(RuntimeError), tables_as_at([Placement], date(2026, 3, 31)):
                pass
        assert Placement.objects.count() == 2
        with pytest.raises(ZeroDivisionError), tables_as_at([Placement], date(2026, 3, 31)):
            assert Placement.objects.count() == 1
            1 / 0  # noqa: B018
        assert Placement.objects.count() == 2
        with tables_as_at([Placement], date(2026, 6, 10)):  # the day has not ended: the tables as they are
            assert Placement.objects.count() == 2
