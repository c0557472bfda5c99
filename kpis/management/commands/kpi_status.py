import json

from django.core.management.base import BaseCommand

from kpis.selectors import status_rows


class Command(BaseCommand):
    help = "Print each indicator's latest status (or every measurement's with --all), sorted by code then period."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print a JSON array (the default and only format).")
        parser.add_argument("--all", action="store_true", help="One object per measurement, not only the latest.")

    def handle(self, *args, **options):
        rows = status_rows(all_measurements=options["all"])
        self.stdout.write(json.dumps(rows, indent=2 if not options["json"] else None))
