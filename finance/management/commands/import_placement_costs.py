from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.import_command import import_file_read
from core.imports import ImportFailed
from finance.importers import COST_COLUMNS, import_placement_costs


class Command(BaseCommand):
    help = (f"Load placement cost lines from the finance system (CSV or XLSX; columns: {', '.join(COST_COLUMNS)}), "
            "taken as in force. Matched to placements by the 903 child reference and the placement's start date; "
            "the same file twice changes nothing. Nothing is saved if any row is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="Username recorded as agreeing the costs (default: the first superuser).")

    def handle(self, *args, file, user=None, **options):
        User = get_user_model()
        agreed_by = (User.objects.filter(username=user).first() if user
                     else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first())
        if agreed_by is None:
            raise CommandError(f"No user named {user}." if user else "Name the user who agreed the costs with --user.")
        _, _, table = import_file_read(file)
        try:
            summary = import_placement_costs(table, user=agreed_by)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(failed.errors)} problem(s) found.") from failed
        self.stdout.write(self.style.SUCCESS(f"Placement cost lines: {summary}."))
