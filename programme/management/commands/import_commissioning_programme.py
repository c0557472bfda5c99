from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import imports
from core.import_command import import_file_read
from core.imports import ImportFailed
from core.services import import_record_create
from programme.imports import import_programme, read_programme


class Command(BaseCommand):
    help = ("Import the commissioning programme from an Excel workbook with a 'projects' and a 'risks' sheet, or "
            "from one CSV per sheet: every row is checked first; nothing is saved if any is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE",
                            help="A workbook (.xlsx), or the projects and risks CSV files.")
        parser.add_argument("--user", help="Username recorded as the one who imported (default: none).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and say what would change; save nothing.")

    def handle(self, *args, paths, user=None, dry_run=False, **options):
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"No user called {user}")
        sheets, files = {}, []
        for path in paths:
            name, data, parsed = import_file_read(path, read_programme)
            sheets.update(parsed)
            files.append((name, data))
        names = ", ".join(name for name, _ in files)
        try:
            if dry_run:
                summary = imports.dry_run(lambda: import_programme(sheets, user=acting))
            else:
                summary = import_programme(sheets, user=acting)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{names} was not imported: {len(failed.errors)} problem(s). Nothing was saved.") \
                from None
        if dry_run:
            self.stdout.write(f"{names} checked, nothing saved. It would make: {summary}.")
            for change in summary.changes:
                self.stdout.write(f"  {change.record}: {change.field} {change.old} -> {change.new}")
        else:
            for name, data in files:
                import_record_create(area="programme", kind="programme", filename=name, data=data, summary=summary,
                                     user=acting)
            self.stdout.write(f"{names}: {summary}.")
        for note in summary.notes:
            self.stdout.write(note)
