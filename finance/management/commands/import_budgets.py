from django.core.management.base import BaseCommand, CommandError

from core.import_command import import_file_read
from core.imports import ImportFailed
from finance.importers import BUDGET_COLUMNS, import_budgets


class Command(BaseCommand):
    help = (f"Load a year's placement budget lines (CSV or XLSX; columns: {', '.join(BUDGET_COLUMNS)}). Every row "
            "is checked first; nothing is saved if any row is wrong, or if the year's budget is already loaded.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        _, _, table = import_file_read(file)
        try:
            summary = import_budgets(table, user=None)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(failed.errors)} problem(s) found.") from failed
        self.stdout.write(self.style.SUCCESS(f"Budget lines: {summary}."))
