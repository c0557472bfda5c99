from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.registry import ReportSectionSpec, registry
from core.suppression import suppress_row
from plans.tests.factories import ActionFactory, CommitteeFactory, MeetingFactory
from reports import sections, services
from reports.build import render_report_html
from reports.models import ReportRun, ReportSubscription
from reports.services import report_run_execute, report_run_request, report_schedule_quarterly
from tests.pdf import pdf_text

from .factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def test_request_queues_the_build_on_commit_and_the_build_completes(
    committee_client, committee_officer, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee=CommitteeFactory(name="Children and Families Committee"), date=date(2026, 12, 9))
    ActionFactory(subject="Contracts", description="Review all block contracts before renewal")
    with mock.patch("reports.tasks.report_build.apply_async") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = committee_client.post(
                reverse("reports_new"),
                {
                    "kind": "actions",
                    "period": "2026-Q2",
                    "meeting": meeting.pk,
                    "agenda_item": "7",
                    "lead_officer": "Head of Commissioning",
                    "recommendations": "That the Committee notes progress.",
                    "confirm_not_set": "on",  # the rest of the front sheet prints "Not set", knowingly
                },
            )
        run = ReportRun.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"?run={run.pk}")
        assert run.status == "queued" and run.requested_by == committee_officer
        assert (run.period_start, run.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
        assert delay.call_count == 0  # nothing is queued before the transaction commits
        for callback in callbacks:
            callback()
        delay.assert_called_once_with((run.pk,), {}, retry=False)

    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "complete" and run.page_count >= 2 and run.attempts == 1
    assert run.render_seconds is not None and run.pdf_seconds > 0

    html = committee_client.get(reverse("reports")).content.decode()
    assert "Download PDF" in html and "hx-get" not in html

    response = committee_client.get(reverse("reports_download", args=[run.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Example Borough Council - Commissioning action plan progress report - 2026-27 Q2.pdf"'
    )
    text = pdf_text(b"".join(response.streaming_content))
    upper = text.upper()
    assert "CHILDREN AND FAMILIES COMMITTEE" in upper
    assert "9 DECEMBER 2026" in upper
    assert "HEAD OF COMMISSIONING" in upper
    assert "1. PURPOSE OF REPORT" in upper and "2. RECOMMENDED ACTION" in upper
    assert "2.1" in text and "That the Committee notes progress." in text
    assert "5. ACTION PLAN PROGRESS" in upper
    assert "Review all block contracts before renewal" in text
    assert "APPENDIX A: DATA NOTES" in upper


def test_eager_celery_builds_on_commit(committee_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(kind="actions", period="2025-Q4", requested_by=committee_officer)
    run.refresh_from_db()
    assert run.status == "complete"


def test_pdf_is_tagged_pdf_ua(committee_officer):
    run = ReportRunFactory(kind="actions")
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    with run.file.open("rb") as fh:
        reader = PdfReader(fh)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert root["/MarkInfo"]["/Marked"]
        assert root.get("/Lang") in ("en-GB", "en-gb")
        assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def test_complete_run_is_not_rebuilt_and_a_failure_shows_error_and_retry(
    committee_client, django_capture_on_commit_callbacks
):
    run = ReportRunFactory(kind="actions")
    with mock.patch("reports.build.render_report_html", side_effect=RuntimeError("template broke")):
        report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "template broke" in run.error and not run.file
    html = committee_client.get(reverse("reports")).content.decode()
    assert "template broke" in html and "Try again" in html
    detail = committee_client.get(reverse("reports_detail", args=[run.pk])).content.decode()
    assert "The report could not be built" in detail
    assert committee_client.get(reverse("reports_download", args=[run.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = committee_client.post(reverse("reports_retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "complete" and run.attempts == 2 and run.error == ""
    first_file = run.file.name

    # A redelivered message (worker killed after finishing) does nothing: no rebuild, same file.
    with mock.patch("reports.build.build_pdf") as build:
        report_run_execute(run_id=run.pk)
        build.assert_not_called()
    run.refresh_from_db()
    assert run.file.name == first_file and run.attempts == 2
    # Retrying a complete run is refused.
    response = committee_client.post(reverse("reports_retry", args=[run.pk]), follow=True)
    assert "Only a failed report can be retried" in response.content.decode()


def test_run_left_running_by_a_killed_worker_is_rebuilt_on_redelivery():
    run = ReportRunFactory(kind="actions", status="running", attempts=1)  # worker died mid-build
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "complete" and run.attempts == 2 and run.file
    assert ReportRun.objects.count() == 1


def test_a_half_written_file_left_by_a_killed_attempt_is_deleted_when_the_run_completes(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    run = ReportRunFactory(kind="actions", status="running", attempts=1)
    stray = tmp_path / "reports" / str(run.pk) / "0123456789abcdef0123456789abcdef.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.7 half")  # the worker was killed while writing this
    neighbour = tmp_path / "reports" / f"{run.pk}0" / "other.pdf"  # another run's folder is not touched
    neighbour.parent.mkdir(parents=True)
    neighbour.write_bytes(b"%PDF")
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "complete"
    assert sorted(p.name for p in stray.parent.iterdir()) == [run.file.name.rsplit("/", 1)[1]]
    assert neighbour.exists()


def test_a_second_delivery_failing_after_the_first_completed_leaves_the_run_complete():
    run = ReportRunFactory(kind="actions", status="complete", page_count=3)
    services._report_run_fail(run.pk, "RuntimeError: late duplicate")
    run.refresh_from_db()
    assert run.status == "complete" and run.error == ""


def test_failure_while_saving_leaves_no_file_and_the_run_not_complete(tmp_path, settings):
    run = ReportRunFactory(kind="actions")
    saved = []
    original = ReportRun.save

    def failing_save(self, *args, **kwargs):
        if self.status == "complete":
            saved.append(self.file.name)
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    with mock.patch.object(ReportRun, "save", failing_save), pytest.raises(OSError):
        report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "running" and not run.file
    assert saved and not run.file.storage.exists(saved[0])  # the written file was removed


def test_status_fragment_polls_only_while_pending(committee_client):
    queued = ReportRunFactory(status="queued")
    done = ReportRunFactory(status="complete", page_count=4)
    html = committee_client.get(reverse("reports_status", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Queued" in html
    html = committee_client.get(reverse("reports_status", args=[done.pk])).content.decode()
    assert "hx-get" not in html and "Download PDF" in html and "4 pages" in html
    panel = committee_client.get(reverse("reports_status", args=[queued.pk]), {"panel": "1"}).content.decode()
    # The banner says what the tag says: queued, not "being built".
    assert 'id="run-status"' in panel and ">Queued<" in panel and "The report is queued" in panel
    assert "being built" not in panel
    running = ReportRunFactory(status="running", started_at=timezone.now(), heartbeat_at=timezone.now())
    panel = committee_client.get(reverse("reports_status", args=[running.pk]), {"panel": "1"}).content.decode()
    assert ">Building<" in panel and "The report is being built" in panel


def test_preview_is_the_same_html(committee_client):
    ActionFactory(description="Agree a regional residential framework")
    run = ReportRunFactory(kind="actions", title="Action plan progress report")
    html = committee_client.get(reverse("reports_preview", args=[run.pk])).content.decode()
    assert "Agree a regional residential framework" in html
    assert "Preview of the report" in html
    assert "/static/reports/pdf/report.css" in html
    assert "/static/reports/pdf/preview.css" in html  # the page edges, for the screen only
    assert "preview.css" not in render_report_html(run)  # what WeasyPrint prints from


def test_viewer_cannot_list_or_download_reports(viewer_client):
    run = ReportRunFactory(status="complete")
    assert viewer_client.get(reverse("reports")).status_code == 403
    assert viewer_client.get(reverse("reports_download", args=[run.pk])).status_code == 403


def test_request_form_refuses_bad_period(committee_client):
    response = committee_client.post(reverse("reports_new"), {"kind": "pack", "period": "2025-Q9"})
    assert response.status_code == 200
    assert "Error: " in response.content.decode()
    assert not ReportRun.objects.exists()


def test_bad_pk_is_404(committee_client):
    assert committee_client.get(reverse("reports_detail", args=[999999])).status_code == 404


def test_pack_uses_the_chosen_sections_in_report_order():
    keys = sections.sections_for("pack", None)
    assert keys == ["performance", "contracts", "placements", "finance", "market", "actions", "programme"]
    assert sections.sections_for("pack", ["actions", "contracts"]) == ["contracts", "actions"]
    run = ReportRunFactory(kind="pack", parameters={"sections": ["contracts", "actions"]})
    html = render_report_html(run)
    assert "5. Contracts" in html
    assert "6. Action plan progress" in html
    assert "Performance against key indicators" not in html


def test_an_error_in_a_section_fails_the_build_instead_of_leaving_the_section_out():
    failing = mock.Mock(side_effect=KeyError("x"))
    broken = ReportSectionSpec("contracts", "Contracts", "contracts/pdf/section.html", failing)
    run = ReportRunFactory(kind="contracts")
    with mock.patch.dict(registry.report_sections, {"contracts": broken}), pytest.raises(KeyError):
        render_report_html(run)


def test_a_section_registered_twice_is_refused():
    spec = registry.report_sections["contracts"]
    registry.report_section(spec)  # the same registration again (a second ready()) is harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.report_section(ReportSectionSpec("contracts", "Other", "x.html", mock.Mock()))


def test_suppressed_figures_in_a_section_bring_the_footnote():
    """A section that shows [c] gets the footnote in the PDF text."""
    row = suppress_row([3, 40, 12])
    spec = ReportSectionSpec(
        "placements",
        "Placements and sufficiency",
        "fake_section.html",
        mock.Mock(return_value={"cells": row.cells, "total": row.total}),
    )
    with (
        mock.patch.dict(registry.report_sections, {"placements": spec}),
        mock.patch(
            "reports.sections.render_to_string",
            side_effect=lambda t, c: " ".join(x.display for x in c["cells"]) + " total " + c["total"].display,
        ),
    ):
        rendered = sections.render_sections(
            ["placements"], period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), as_of=date(2026, 3, 31)
        )
    assert rendered[0].html == "[c] 40 [c] total 55"
    assert rendered[0].uses_suppression


def test_quarterly_schedule_builds_once_and_emails_subscribers(
    commissioner, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_SCHEDULED_RECIPIENTS = ["scrutiny@example.gov.uk"]
    settings.REPORTS_SCHEDULED_KIND = "actions"
    ReportSubscription.objects.create(user=commissioner, kind="actions")
    with django_capture_on_commit_callbacks(execute=True):
        run = report_schedule_quarterly(today=date(2026, 10, 10))
    run.refresh_from_db()
    assert run.period == "2026-Q2" and run.scheduled and run.status == "complete"
    assert run.as_of == date(2026, 9, 30)  # figures as at the quarter's end, not the day the schedule ran
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {commissioner.email, "scrutiny@example.gov.uk"}
    assert f"/reports/{run.pk}/" in message.body and message.subject.endswith("2026/27 Q2 (July to September 2026)")
    assert report_schedule_quarterly(today=date(2026, 10, 11)) is None  # once per quarter


def test_beat_entry_is_configured(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-quarterly-build"]
    assert entry["task"] == "reports.tasks.report_schedule_quarterly_build"
    assert services.report_schedule_quarterly  # the task calls this


def test_a_run_stuck_running_after_its_worker_was_lost_can_be_retried(committee_client, settings):
    from datetime import timedelta

    from django.utils import timezone

    fresh = ReportRunFactory(status="running", started_at=timezone.now())
    stuck = ReportRunFactory(status="running", started_at=timezone.now() - timedelta(hours=2))
    assert fresh.is_pending and not fresh.can_retry
    assert stuck.is_stale and stuck.can_retry and stuck.is_pending  # restarted by itself, so the page polls
    html = committee_client.get(reverse("reports_detail", args=[stuck.pk])).content.decode()
    assert "the background worker was lost. It starts again by itself" in html and "Try again" in html
    assert "hx-get" in html
    with mock.patch("reports.tasks.report_build.apply_async"):
        committee_client.post(reverse("reports_retry", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == "queued"


@pytest.mark.parametrize("n", [2, 20])
def test_report_list_query_count_is_fixed(committee_client, committee_officer, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for i in range(n):
        ReportRunFactory(
            requested_by=committee_officer, meeting=meeting, status=["queued", "complete", "failed"][i % 3]
        )
    committee_client.get(reverse("reports"))
    with django_assert_num_queries(7):  # session, user, header groups, permissions (2), runs, subscription
        response = committee_client.get(reverse("reports"))
    assert response.content.decode().count('class="govuk-table__row') == n + 1


def test_unsupported_pdf_variant_falls_back_to_untagged(settings):
    from reports.pdf import pdf_variant

    settings.REPORTS_PDF_VARIANT = "pdf/ua-9"
    assert pdf_variant() is None
    settings.REPORTS_PDF_VARIANT = "pdf/ua-1"
    assert pdf_variant() == "pdf/ua-1"


def test_subscribe_and_unsubscribe_from_scheduled_reports(committee_client, committee_officer, settings):
    settings.REPORTS_SCHEDULED_KIND = "performance"
    html = committee_client.get(reverse("reports")).content.decode()
    assert "Email me when it is ready" in html
    response = committee_client.post(reverse("reports_subscribe"), {"subscribe": "yes"}, follow=True)
    assert "You will be emailed" in response.content.decode()
    assert ReportSubscription.objects.filter(user=committee_officer, kind="performance").exists()
    assert "Stop emailing me" in response.content.decode()
    committee_client.post(reverse("reports_subscribe"), {"subscribe": "no"})
    assert not ReportSubscription.objects.exists()


def test_a_build_whose_worker_went_silent_is_queued_again_and_completed_once(
    settings, committee_officer, django_capture_on_commit_callbacks
):
    """A worker killed mid-build stops its heartbeat; the sweep (beat, every minute) queues the build again
    once the run has been silent for REPORTS_STALE_SECONDS, and the build completes it exactly once."""
    from datetime import timedelta

    from django.utils import timezone

    from reports.services import report_runs_restart_stalled

    settings.REPORTS_STALE_SECONDS = 60
    now = timezone.now()
    ActionFactory(subject="Tenders", description="Prepare the residential care framework tender")
    silent = ReportRunFactory(kind="actions", period="2025-Q4", status="running", attempts=1,
                              started_at=now - timedelta(minutes=5), heartbeat_at=now - timedelta(seconds=61))
    alive = ReportRunFactory(kind="actions", period="2025-Q4", status="running", attempts=1,
                             started_at=now - timedelta(minutes=5), heartbeat_at=now - timedelta(seconds=20))
    never_beat = ReportRunFactory(kind="actions", period="2025-Q4", status="running", attempts=1,
                                  started_at=now - timedelta(seconds=90), heartbeat_at=None)
    queued = ReportRunFactory(kind="actions", period="2025-Q4", status="queued")
    assert silent.is_stale and never_beat.is_stale and not alive.is_stale

    with django_capture_on_commit_callbacks(execute=True):  # eager: the queued builds run at once
        restarted = report_runs_restart_stalled(now=now)
    assert sorted(restarted) == sorted([silent.pk, never_beat.pk])
    for run in (silent, never_beat):
        run.refresh_from_db()
        assert (run.status, run.attempts) == ("complete", 2), run.error
        assert run.history.filter(status="complete").count() == 1
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert (alive.status, queued.status) == ("running", "queued")  # a live build and a queued one are left alone

    # A second sweep (or the broker's late redelivery of the killed message) changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert report_runs_restart_stalled(now=now + timedelta(minutes=5)) == [alive.pk]
    silent.refresh_from_db()
    assert silent.attempts == 2


@pytest.mark.django_db(transaction=True)  # the heartbeat thread has its own connection: it must see the row
def test_a_build_records_signs_of_life_while_it_runs(settings, monkeypatch):
    """The heartbeat thread updates the run while WeasyPrint works, so a long build is never taken for a
    lost one."""
    import time

    from reports import build
    from reports.services import report_run_execute

    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    seen = []
    real_build_pdf = build.build_pdf

    def slow_build_pdf(run):
        first = ReportRun.objects.get(pk=run.pk).heartbeat_at
        time.sleep(0.5)
        seen.append((first, ReportRun.objects.get(pk=run.pk).heartbeat_at))
        return real_build_pdf(run)

    monkeypatch.setattr(build, "build_pdf", slow_build_pdf)
    run = ReportRunFactory(kind="actions", period="2025-Q4")
    report_run_execute(run_id=run.pk)
    [(first, later)] = seen
    assert first is not None and later > first
    run.refresh_from_db()
    assert run.status == "complete"


def test_beat_restarts_stalled_builds_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-restart-stalled"]
    assert entry["task"] == "reports.tasks.report_runs_restart_stalled" and entry["schedule"] == 60.0
    assert settings.CELERY_BEAT_SCHEDULE["outbox-send"]["schedule"] == 60.0


def test_a_member_summary_can_be_requested_and_previewed(committee_client):
    with mock.patch("reports.tasks.report_build.apply_async"):
        response = committee_client.post(reverse("reports_new"), {"kind": "member_summary", "period": "2025-Q4"})
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert run.title == "Children's services performance: summary for members"
    assert run.parameters == {"sections": ["performance"]} and "the indicators off target" in run.purpose
    response = committee_client.get(reverse("reports_preview", args=[run.pk]))
    html = response.content.decode()
    assert "2.2 Summary by theme" in html and "Other indicators" not in html
    # the printed charts are data: images, which the preview page (only) allows
    assert "data:" in response["Content-Security-Policy"].split("img-src")[1].split(";")[0]
