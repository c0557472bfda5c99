"""The shape every import command shares: read a file, check every row, save all or nothing.

`--dry-run` checks and reports what would change, saving nothing. A saved import is recorded
(core.models.ImportRecord) with the file's name and hash.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from . import imports
from .imports import ImportFailed, ImportSummary, read_table
from .services import import_record_create


class ImportCommand(BaseCommand):
    area = ""  # the app, for the imports page
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help="A CSV file or an Excel workbook (.xlsx) with a header row.")
        parser.add_argument("--user", help="Username recorded as the one who imported (default: none).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would change; "
                                                                   "save nothing.")

    def read(self, data: bytes, name: str):
        return read_table(data, name)

    def run(self, parsed, *, user) -> ImportSummary:
        raise NotImplementedError

    def after(self, summary: ImportSummary) -> None:
        """Work done once a real import is saved (e.g. recompute statuses)."""

    def handle(self, *args, path, user=None, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"No user called {user}")
        data = file.read_bytes()
        try:
            parsed = self.read(data, file.name)
            if dry_run:
                summary = imports.dry_run(lambda: self.run(parsed, user=acting))
            else:
                summary = self.run(parsed, user=acting)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{file.name} was not imported: {len(failed.errors)} problem(s). Nothing was saved."
            ) from None
        if dry_run:
            self.stdout.write(f"{file.name} checked, nothing saved. It would make: {summary}.")
            for change in summary.changes:
                self.stdout.write(f"  {change.record}: {change.field} {change.old} -> {change.new}")
        else:
            import_record_create(area=self.area, kind=self.kind, filename=file.name, data=data, summary=summary,
                                 user=acting)
            self.stdout.write(f"{file.name}: {summary}.")
        for note in summary.notes:
            self.stdout.write(note)
        if not dry_run:
            self.after(summary)
