"""Shared shape of the four KPI import commands."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.imports import ImportFailed, read_table


class ImportCommand(BaseCommand):
    kind = ""  # key in kpis.imports.IMPORTERS

    def add_arguments(self, parser):
        parser.add_argument("path", help="A CSV file or an Excel workbook (.xlsx) with a header row.")
        parser.add_argument("--user", help="Username recorded as the one who imported (default: none).")

    def handle(self, *args, path, user=None, **options):
        from kpis.imports import IMPORTERS
        from kpis.services import statuses_recompute

        importer = IMPORTERS[self.kind][0]
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"No user called {user}")
        try:
            table = read_table(file.read_bytes(), file.name)
            summary = importer(table, user=acting, queue=False)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{file.name} was not imported: {len(failed.errors)} problem(s). Nothing was saved."
            ) from None
        # Recompute what the import touched now, so a script can read the statuses at once.
        changed = statuses_recompute(indicator_ids=summary.indicator_ids) if summary.indicator_ids else 0
        self.stdout.write(f"{file.name}: {summary}.")
        for note in summary.notes:
            self.stdout.write(note)
        if summary.indicator_ids:
            self.stdout.write(f"Statuses recomputed for {len(summary.indicator_ids)} indicator(s), {changed} changed.")
