from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from plans.tests.factories import ActionFactory, MeetingFactory
from reports.models import ReportRun
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_sync_build_writes_the_pdf(tmp_path):
    ActionFactory(subject="Sufficiency", description="Refresh the sufficiency statement")
    out = tmp_path / "actions.pdf"
    stdout = StringIO()
    call_command("build_report", "actions", "--period", "2025-Q4", "--sync", "--output", str(out), stdout=stdout)
    assert "complete" in stdout.getvalue()
    text = pdf_text(out)
    assert "Refresh the sufficiency statement" in text
    run = ReportRun.objects.get()
    assert run.status == "complete" and run.requested_by is None and run.attempts == 1


def test_queued_build_uses_the_worker(django_capture_on_commit_callbacks):
    with mock.patch("reports.tasks.report_build.apply_async") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("build_report", "pack", "--period", "2025/26-Q3", "--sections", "actions", stdout=StringIO())
    run = ReportRun.objects.get()
    delay.assert_called_once_with((run.pk,), {}, retry=False)
    assert run.period == "2025-Q3" and run.parameters == {"sections": ["actions"]}


def test_the_front_sheet_can_be_given_and_what_is_missing_is_listed(tmp_path):
    meeting = MeetingFactory()
    out, stderr = tmp_path / "actions.pdf", StringIO()
    call_command(
        "build_report", "actions", "--period", "2025-Q4", "--sync", "--output", str(out), "--meeting", str(meeting.pk),
        "--agenda-item", "7", "--lead-officer", "Sam Head", "--lead-officer-contact", "sam.head@example.gov.uk",
        "--portfolio-holder", "Cllr Ada Lovelace", "--key-decision", "--forward-plan-reference", "FP-2026-014",
        stdout=StringIO(), stderr=stderr,
    )
    run = ReportRun.objects.get()
    assert (run.meeting, run.agenda_item, run.lead_officer, run.key_decision) == (meeting, "7", "Sam Head", True)
    text = pdf_text(out)
    assert "Cllr Ada Lovelace" in text and "Yes: forward plan reference FP-2026-014" in text
    assert stderr.getvalue().startswith("Printed as Not set: Wards affected, Executive summary,")
    assert "Lead officer" not in stderr.getvalue() and "Committee and date of meeting" not in stderr.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actions", "--period", "2025-Q7", "--sync"], "Enter a quarter"),
        (["actions", "--period", "2025-Q4", "--output", "x.pdf"], "--output needs --sync"),
        (["pack", "--period", "2025-Q4", "--sections", "actions,nope"], "Unknown section"),
        (["actions", "--period", "2025-Q4", "--meeting", "999999"], "There is no meeting with id 999999"),
    ],
)
def test_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command(*["build_report", *args], stdout=StringIO())
    assert not ReportRun.objects.exists()
