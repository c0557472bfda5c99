from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.import_command import import_file_read
from core.imports import ImportFailed
from market.services import import_ofsted_providers


class Command(BaseCommand):
    help = ("Import Ofsted's provider-level data for children's social care (CSV or XLSX). Columns are found by "
            "their headings, in any case or order; nothing is saved if any row is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="Username recorded in the history of the changes.")

    def handle(self, *args, file, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user called {user}")
        name, _, table = import_file_read(file)
        try:
            summary = import_ofsted_providers(table, user=actor)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(failed.errors)} problem(s) in {name}: nothing was saved") from failed
        self.stdout.write(f"{name}: {summary} Ofsted settings. " + " ".join(f"{n}." for n in summary.notes))
