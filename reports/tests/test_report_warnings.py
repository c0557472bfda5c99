"""Before a report is built it warns of red or amber KPIs with no approved commentary, as it warns of what would
print "Not set": on the request form (for a meeting), on the report's page and from build_report."""

from datetime import date, datetime
from decimal import Decimal as D
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kpis.services import statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from plans.tests.factories import CommitteeFactory, MeetingFactory
from reports.models import ReportRun
from reports.tests.test_council_template import FULL

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def quarter():
    """2025-Q4: one red KPI with no commentary, one amber with commentary not yet approved, one amber with approved
    commentary and one green with none."""
    with time_machine.travel(TODAY, tick=False):
        for code, value, commentary, approved in [
            ("RED1", "60", "", False), ("AMB1", "67", "Awaiting sign-off.", False),
            ("AMB2", "68", "Signed off.", True), ("GRN1", "80", "", False),
        ]:
            kpi = IndicatorFactory(code=code, frequency="quarterly")
            TargetFactory(indicator=kpi, kind="at_least", value=D(70), tolerance=D(5))
            MeasurementFactory(indicator=kpi, period_end=date(2026, 3, 31), value=D(value), commentary=commentary,
                               approved_at=timezone.now() if approved else None)
        statuses_recompute()
        yield


def test_the_form_warns_of_exceptions_without_approved_commentary_and_waits_for_confirmation(committee_client):
    meeting = MeetingFactory(committee=CommitteeFactory(name="Scrutiny"), date=date(2026, 5, 12))
    data = {**FULL, "kind": "performance", "meeting": meeting.pk}
    response = committee_client.post(reverse("reports_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 red or amber KPIs have no approved commentary" in html
    assert not ReportRun.objects.exists()

    response = committee_client.post(reverse("reports_new"), {**data, "confirm_not_set": "on"})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.parameters["warnings"] == ["2 red or amber KPIs have no approved commentary"]
    page = committee_client.get(run.get_absolute_url()).content.decode()
    assert "2 red or amber KPIs have no approved commentary." in page


def test_build_report_warns_of_them_with_what_prints_not_set():
    stderr = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("build_report", "performance", "--period", "2025-Q4", stdout=StringIO(), stderr=stderr)
    assert "Printed as Not set:" in stderr.getvalue()
    assert "2 red or amber KPIs have no approved commentary." in stderr.getvalue()


def test_a_report_of_other_sections_does_not_warn_of_kpi_commentary():
    stderr = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("build_report", "contracts", "--period", "2025-Q4", stdout=StringIO(), stderr=stderr)
    assert "commentary" not in stderr.getvalue()


def test_a_report_for_a_meeting_shows_the_drafted_summary_to_check_and_change_before_it_is_built(committee_client):
    meeting = MeetingFactory(committee=CommitteeFactory(name="Scrutiny"), date=date(2026, 5, 12))
    data = {**FULL, "kind": "performance", "meeting": meeting.pk, "summary": "", "financial_implications": "",
            "risk_implications": "", "confirm_not_set": "on"}
    response = committee_client.post(reverse("reports_new"), data)
    assert response.status_code == 200 and not ReportRun.objects.exists()
    form = response.context["form"]
    drafted = form["summary"].value()
    assert drafted.startswith("Of the 4 key performance indicators, 1 is red, 2 amber and 1 green;")
    assert "The most pressing exceptions: RED1" in drafted
    assert form["risk_implications"].value().startswith("1 indicator is rated red, a risk to the outcome it measures. "
                                                        "It has no remedial action recorded: RED1.")
    assert "The executive summary has been drafted from the quarter&#x27;s figures" in response.content.decode()

    edited = drafted.replace("The most pressing", "Above all, the most pressing")
    response = committee_client.post(reverse("reports_new"), {**data, "summary": edited,
                                                              "risk_implications": form["risk_implications"].value()})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.summary == edited
    assert run.risk_implications.endswith("Risks are managed through the directorate risk register.")
