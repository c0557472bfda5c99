from datetime import date

import pytest

from plans.models import Action
from plans.tests.factories import ActionFactory
from reports.models import ReportRun
from reports.services import report_run_execute
from tests.pdf import pdf_text as read_pdf_text

from .factories import ReportRunFactory


def pdf_text(run) -> str:
    with run.file.open("rb") as fh:
        return read_pdf_text(fh.read())


@pytest.mark.django_db
def test_actions_report_builds_a_pdf_with_the_front_sheet_and_section(settings):
    settings.AUTHORITY_NAME = "Shireham County Council"
    ActionFactory(subject="Tenders", description="Re-tender the supported lodgings contract", due_on=date(2026, 1, 15))
    ActionFactory(subject="Residential care", description="Map residential provision", due_on=date(2099, 1, 1))
    run = ReportRunFactory(kind="actions", period="2025-Q4", as_of=date(2026, 3, 31))
    run = report_run_execute(run_id=run.pk)
    assert run.status == ReportRun.Status.COMPLETE, run.error
    assert run.page_count >= 2
    text = pdf_text(run)
    assert "Shireham County Council" in text
    assert "5. ACTION PLAN PROGRESS" in text.upper()
    assert "Re-tender the supported lodgings contract" in text
    assert "Page 1 of" in text
    assert "OVERDUE" in text.upper()
    assert Action.objects.count() == 2
