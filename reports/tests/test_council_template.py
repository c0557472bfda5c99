"""The council's report template: the front sheet, the fixed sections, the "Not set" warning before a report
for a meeting is built, past meetings, and KPI commentary in the PDF."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.roles import COMMISSIONER, VIEWER
from kpis.services import measurement_approve, measurement_comment, statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from plans.tests.factories import CommitteeFactory, MeetingFactory
from reports.models import ReportRun
from reports.services import report_run_execute, report_run_request
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))

FULL = {
    "kind": "actions",
    "period": "2025-Q4",
    "agenda_item": "11",
    "report_of": "Director of Children's Services",
    "lead_officer": "Angela Dakin, Head of Commissioning and Improvement",
    "lead_officer_contact": "0118 937 4752, commissioning@example.gov.uk",
    "portfolio_holder": "Cllr Gavin, Children's Services",
    "wards_affected": "All wards",
    "key_decision": "on",
    "forward_plan_reference": "FP/2026/14",
    "summary": "Most actions are on track; two are overdue.",
    "recommendations": "That the Committee notes progress.",
    "reasons": "To let the Committee scrutinise the action plan.",
    "background": "The Committee approved the action plan in July 2025.",
    "financial_implications": "Within the approved budget.",
    "legal_implications": "None arising directly.",
    "equality_implications": "No change to services.",
    "risk_implications": "Two overdue actions are on the risk register.",
    "childrens_rights_implications": "Supports article 20 of the UNCRC.",
    "background_papers": "Commissioning strategy 2025-28\nSufficiency statement 2025",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def past_meeting():
    return MeetingFactory(committee=CommitteeFactory(name="Children and Families Committee"), date=date(2026, 4, 20))


def test_past_meetings_can_be_chosen_so_a_late_report_goes_to_its_meeting(committee_client, past_meeting):
    future = MeetingFactory(committee=past_meeting.committee, date=date(2027, 1, 12))
    html = committee_client.get(reverse("reports_new")).content.decode()
    assert "Children and Families Committee, 20 April 2026 (past)" in html
    assert "Children and Families Committee, 12 January 2027" in html and future.pk

    response = committee_client.post(reverse("reports_new"), {**FULL, "meeting": past_meeting.pk})
    assert response.status_code == 302
    assert ReportRun.objects.get().meeting == past_meeting


def test_a_report_for_a_meeting_lists_what_would_print_not_set_and_waits_for_confirmation(
    committee_client, past_meeting
):
    data = {**FULL, "meeting": past_meeting.pk, "portfolio_holder": "", "background": "", "legal_implications": ""}
    response = committee_client.post(reverse("reports_new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not ReportRun.objects.exists()
    assert "govuk-error-summary" in html and 'id="not-set-warning"' in html
    assert '<a class="govuk-link" href="#id_portfolio_holder">Portfolio holder</a>' in html
    assert '<a class="govuk-link" href="#id_background">Background</a>' in html
    # Each is an error on its own box, linked from the error summary by the box's label.
    said = "Enter the portfolio holder, or the report prints &quot;Not set&quot;"
    assert f'<a href="#id_portfolio_holder">{said}</a>' in html
    # An empty implication takes the council's standard wording, so it is not missing.
    assert ">Legal implications</a>" not in html and ">Wards affected</a>" not in html

    response = committee_client.post(reverse("reports_new"), {**data, "confirm_not_set": "on"})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.not_set == ["Portfolio holder", "Background"]


def test_a_complete_front_sheet_needs_no_confirmation_and_a_report_for_no_meeting_is_not_held_up(
    committee_client, past_meeting
):
    assert committee_client.post(reverse("reports_new"), {**FULL, "meeting": past_meeting.pk}).status_code == 302
    assert committee_client.post(reverse("reports_new"), {"kind": "actions", "period": "2025-Q4"}).status_code == 302
    assert ReportRun.objects.count() == 2


def test_front_sheet_form_errors(committee_client):
    data = {**FULL, "forward_plan_reference": "", "exempt": "on", "exempt_reason": " "}
    html = committee_client.post(reverse("reports_new"), data).content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the forward plan reference of the key decision" in html
    assert "Enter the paragraph of Schedule 12A the report is exempt under" in html
    assert not ReportRun.objects.exists()


def test_implications_start_from_settings_and_each_report_can_change_them(settings, committee_officer):
    settings.REPORTS_LEGAL_IMPLICATIONS = "Legal Services have no comment."
    standard = report_run_request(kind="actions", period="2025-Q4", requested_by=committee_officer, queue=False)
    assert standard.legal_implications == "Legal Services have no comment."
    # The figures first (here: no budget loaded), then the council's standard wording.
    assert standard.financial_implications == (
        "No placements budget has been loaded for 2025/26, so no forecast outturn can be given. "
        + settings.REPORTS_FINANCIAL_IMPLICATIONS
    )
    assert standard.risk_implications == settings.REPORTS_RISK_IMPLICATIONS  # no indicator, so nothing to add
    own = report_run_request(
        kind="actions",
        period="2025-Q4",
        requested_by=committee_officer,
        queue=False,
        legal_implications="The contract extension needs a waiver.",
    )
    assert own.legal_implications == "The contract extension needs a waiver."


def test_the_pdf_prints_the_council_front_sheet_and_fixed_sections(committee_client, past_meeting):
    committee_client.post(reverse("reports_new"), {**FULL, "meeting": past_meeting.pk})
    run = report_run_execute(run_id=ReportRun.objects.get().pk)
    assert run.status == "complete", run.error
    text = pdf_text(run.file.open("rb").read())
    for phrase in [
        "Public report",
        "Report to Children and Families Committee",
        "Date of meeting 20 April 2026",
        "Agenda item 11",
        "Report of Director of Children's Services",
        "Lead officer Angela Dakin, Head of Commissioning and Improvement",
        "Contact details 0118 937 4752, commissioning@example.gov.uk",
        "Portfolio holder Cllr Gavin, Children's Services",
        "Wards affected All wards",
        "Key decision Yes: forward plan reference FP/2026/14",
        "Public or exempt Public",
        "1.2 Most actions are on track; two are overdue.",
        "3. REASONS FOR THE RECOMMENDATIONS",
        "3.1 To let the Committee scrutinise the action plan.",
        "4. BACKGROUND",
        "5. ACTION PLAN PROGRESS",
        "6. IMPLICATIONS",
        "6.1 Financial implications Within the approved budget.",
        "6.5 Children's rights implications Supports article 20 of the UNCRC.",
        "7. BACKGROUND PAPERS",
        "7.2 Sufficiency statement 2025",
    ]:
        assert phrase.upper() in text.upper(), phrase
    assert "Not set" not in text


def test_an_exempt_report_says_so_and_missing_items_print_not_set(committee_officer):
    run = report_run_request(
        kind="actions",
        period="2025-Q4",
        requested_by=committee_officer,
        queue=False,
        exempt=True,
        exempt_reason="Paragraph 3 (financial or business affairs)",
    )
    run = report_run_execute(run_id=run.pk)
    text = pdf_text(run.file.open("rb").read()).upper()  # the print style sets some headings in capitals
    assert "EXEMPT REPORT: NOT FOR PUBLICATION" in text
    assert "PUBLIC OR EXEMPT EXEMPT: PARAGRAPH 3 (FINANCIAL OR BUSINESS AFFAIRS)" in text
    assert "PORTFOLIO HOLDER NOT SET" in text and "KEY DECISION NO" in text


def test_the_pdf_prints_approved_commentary_under_an_exception_and_marks_the_rest_provisional(
    committee_officer, make_user
):
    owner, approver = make_user(VIEWER, "head_of_service"), make_user(COMMISSIONER, "approver")
    red = IndicatorFactory(code="EH02", name="Cases stepped down to early help", owner=owner)
    TargetFactory(indicator=red, value=D(30), tolerance=D(3))
    value = MeasurementFactory(indicator=red, period_end=date(2026, 3, 31), value=D(25))
    measurement_comment(
        measurement=value,
        commentary="Two vacancies in the MASH.",
        remedial_action="Agency social workers start in April.",
        user=owner,
    )
    measurement_approve(measurement=value, user=approver)
    amber = IndicatorFactory(code="EH11", name="Referrals seen within 4 weeks", owner=owner)
    TargetFactory(indicator=amber, value=D(80), tolerance=D(5))
    late = MeasurementFactory(indicator=amber, period_end=date(2026, 3, 31), value=D(77))
    measurement_comment(measurement=late, commentary="A senior practitioner left.", user=owner)
    statuses_recompute()

    run = report_run_request(kind="performance", period="2025-Q4", requested_by=committee_officer, queue=False)
    run = report_run_execute(run_id=run.pk)
    assert run.status == "complete", run.error
    text = pdf_text(run.file.open("rb").read())
    assert "Commentary: Two vacancies in the MASH." in text
    assert "Remedial action: Agency social workers start in April." in text
    assert "77.0% (provisional)" in text and "25.0% (provisional)" not in text
    assert "Commentary (provisional: not yet approved): A senior practitioner left." in text
