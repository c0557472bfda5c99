"""python manage.py build_report KIND --period 2025-Q4 [--sync] [--output FILE.pdf] [--meeting ID] [--lead-officer ...]

Every front-sheet field can be given (`--help` lists them); what would print as "Not set" is listed as a
warning before the build."""

import shutil
import time

from django.core.management.base import BaseCommand, CommandError

from core.periods import PERIOD_HELP, PeriodError, Quarter
from plans.models import Meeting
from reports.models import FRONT_SHEET_FIELDS, ReportRun
from reports.sections import sections_for
from reports.services import report_run_execute, report_run_request

FLAGS = {"key_decision", "exempt"}


class Command(BaseCommand):
    help = "Build a committee report as a PDF, on the worker (default) or here (--sync)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportRun.Kind.values)
        parser.add_argument("--period", required=True, help=PERIOD_HELP)
        parser.add_argument("--sync", action="store_true", help="Build here and now instead of queueing on the worker.")
        parser.add_argument("--output", help="Copy the finished PDF to this file (needs --sync).")
        parser.add_argument("--sections", help=f"For a pack: comma-separated, from {', '.join(sections_for('pack'))}.")
        parser.add_argument("--meeting", type=int, help="The id of the committee meeting the report goes to.")
        for name in FRONT_SHEET_FIELDS:
            option = "--" + name.replace("_", "-")
            if name in FLAGS:
                parser.add_argument(option, action="store_true")
            else:
                parser.add_argument(option, default="", metavar="TEXT")

    def _warn_not_set(self, run):
        # The council's defaults (report of, implications) are filled in by then: only what is really missing.
        if run.not_set:
            self.stderr.write(f"Printed as Not set: {', '.join(run.not_set)}.")
        for warning in run.parameters.get("warnings", []):
            self.stderr.write(f"{warning}.")

    def handle(self, *args, kind, period, sync, output, sections, meeting, **options):
        try:
            Quarter.parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if output and not sync:
            raise CommandError("--output needs --sync (a queued build finishes later, on the worker)")
        chosen = [s.strip() for s in sections.split(",")] if sections else None
        unknown = [s for s in chosen or [] if s not in sections_for('pack')]
        if unknown:
            raise CommandError(f"Unknown section(s): {', '.join(unknown)}")

        front_sheet = {name: options[name] for name in FRONT_SHEET_FIELDS}
        if meeting is not None:
            meeting_id, meeting = meeting, Meeting.objects.filter(pk=meeting).first()
            if meeting is None:
                raise CommandError(f"There is no meeting with id {meeting_id}")
        started = time.perf_counter()
        request = {"kind": kind, "period": period, "requested_by": None, "sections": chosen, "meeting": meeting,
                   **front_sheet}
        if sync:
            run = report_run_request(**request, queue=False)
            self._warn_not_set(run)
            run = report_run_execute(run_id=run.pk)
        else:
            run = report_run_request(**request)
            self._warn_not_set(run)
            self.stdout.write(f"Queued report run {run.pk}: {run.title} ({run.period_label}).")
            return

        if run.status != ReportRun.Status.COMPLETE:
            raise CommandError(f"Report run {run.pk} failed: {run.error}")
        elapsed = time.perf_counter() - started
        if output:
            with run.file.open("rb") as src, open(output, "wb") as dst:
                shutil.copyfileobj(src, dst)
        self.stdout.write(
            self.style.SUCCESS(
                f"Report run {run.pk} complete: {run.page_count} pages in {elapsed:.1f} s "
                f"({run.pdf_seconds:.1f} s in WeasyPrint){f', written to {output}' if output else ''}."
            )
        )
