import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.periods import financial_year_of
from finance import selectors


class Command(BaseCommand):
    help = ("The forecast outturn of each budget line for a financial year (2025 is 2025/26) as at a day: budget, "
            "actual to date (1 April to the day, the day included), committed (the nights after it to 31 March), "
            "forecast and variance.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The year the financial year starts (default: the as-of day's).")
        parser.add_argument("--as-of", help="ISO date, e.g. 2025-10-31 (default: today).")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print a JSON array sorted by code.")

    def handle(self, *args, year=None, as_of=None, as_json=False, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2025-10-31, not '{as_of}'") from None
        figures = selectors.forecast(year=financial_year_of(day) if year is None else year, as_of=day)
        rows = [line.as_json() for line in figures.lines]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write(f"Placements budget {figures.year_label}, forecast as at {day:%d/%m/%Y}")
        self.stdout.write(f"{'Code':<12}{'Budget':>15}{'Actual':>15}{'Committed':>15}{'Forecast':>15}{'Variance':>15}")
        for r in rows:
            self.stdout.write(f"{r['code']:<12}{r['budget']:>15}{r['actual_to_date']:>15}{r['committed']:>15}"
                              f"{r['forecast']:>15}{r['variance']:>15}")

