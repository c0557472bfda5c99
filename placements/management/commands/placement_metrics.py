import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from placements.selectors import placement_metrics


class Command(BaseCommand):
    help = "Placement figures at 31 March and for the year ending then (children looked after, types, stability)."

    def add_arguments(self, parser):
        parser.add_argument("--year-ending", required=True, help="The 31 March the year ends, e.g. 2025-03-31.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, year_ending, json: bool = False, **options):
        try:
            day = date.fromisoformat(year_ending)
        except ValueError as exc:
            raise CommandError(f"--year-ending must be a date such as 2025-03-31, not '{year_ending}'") from exc
        figures = placement_metrics(year_ending=day)
        if json:
            self.stdout.write(_dumps(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key}: {value}")


def _dumps(figures):
    return json.dumps(figures, sort_keys=False)
