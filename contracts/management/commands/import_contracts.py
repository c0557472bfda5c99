from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from contracts.imports import import_contracts
from core.imports import ImportFailed, read_table


class Command(BaseCommand):
    help = "Import the contracts register from a CSV or XLSX file: all rows or none, idempotent by reference."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="Username recorded in the history as making the change.")

    def handle(self, *args, file, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"No user named {user}")
        try:
            table = read_table(path.read_bytes(), path.name)
            summary = import_contracts(table, user=acting)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            count = len(failed.errors)
            raise CommandError(f"{path.name} was not imported: {count} problem(s). Nothing was saved.") from None
        self.stdout.write(f"{path.name} imported: {summary}.")
        for note in summary.notes:
            self.stdout.write(note)
