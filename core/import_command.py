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


def import_file_read(path: str, read=read_table):
    """The file's name, bytes and what `read(data, name)` makes of them, for an import command.

    Every way the file cannot be read (missing, a folder, no permission, not a spreadsheet, the wrong encoding,
    over IMPORT_MAX_ROWS) is a CommandError of one line, which manage.py prints without a traceback."""
    file = Path(path)
    if not file.exists():
        raise CommandError(f"No such file: {path}")
    if not file.is_file():
        raise CommandError(f"{path} is not a file")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path} could not be read: {exc.strerror or exc}") from None
    try:
        parsed = read(data, file.name)
    except ImportFailed as failed:
        problems = " ".join(str(error) for error in failed.errors).replace("\n", " ").replace("\r", " ")
        raise CommandError(f"{file.name} was not imported: {problems} Nothing was saved.") from None
    return file.name, data, parsed


class ImportCommand(BaseCommand):
    area = ""  # the app, for the imports page
    kind = ""
    label = ""  # what the summary counts, e.g. "Budget lines" (default: the file's name)

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

    def acting_user(self, username: str | None):
        """The user recorded as the one who imported (and in the history of each change)."""
        if not username:
            return None
        acting = get_user_model().objects.filter(username=username).first()
        if acting is None:
            raise CommandError(f"No user called {username}")
        return acting

    def handle(self, *args, path, user=None, dry_run=False, **options):
        acting = self.acting_user(user)
        name, data, parsed = import_file_read(path, self.read)
        try:
            if dry_run:
                summary = imports.dry_run(lambda: self.run(parsed, user=acting))
            else:
                summary = self.run(parsed, user=acting)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{name} was not imported: {len(failed.errors)} problem(s). Nothing was saved."
            ) from None
        if dry_run:
            self.stdout.write(f"{name} checked, nothing saved. It would make: {summary}.")
            for change in summary.changes:
                self.stdout.write(f"  {change.record}: {change.field} {change.old} -> {change.new}")
        else:
            import_record_create(area=self.area, kind=self.kind, filename=name, data=data, summary=summary,
                                 user=acting)
            self.stdout.write(f"{self.label or name}: {summary}.")
        for note in summary.notes:
            self.stdout.write(note)
        if not dry_run:
            self.after(summary)
