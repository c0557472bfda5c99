import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sufficiency import engine
from sufficiency.selectors import care_spells

LABELS = engine.CATEGORY_LABELS


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option} must be a date such as 2024-03-31, not '{value}'") from exc


class Command(BaseCommand):
    help = ("Children looked after at each month end after the reference window, by placement category, "
            "with a 95% interval, from the episodes and placements held.")

    def add_arguments(self, parser):
        parser.add_argument("--reference-start", required=True, help="First day of the window the rates come from.")
        parser.add_argument("--reference-end", required=True, help="Last day of the window; the forecast starts here.")
        parser.add_argument("--months", type=int, required=True, help="How many month ends to forecast (1 to 60).")
        parser.add_argument("--scenario", default="", help="A saved scenario's name (the baseline when left out).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, reference_start, reference_end, months, scenario="", json=False, **options):
        start, end = _day(reference_start, "--reference-start"), _day(reference_end, "--reference-end")
        if end <= start:
            raise CommandError("--reference-end must be after --reference-start")
        if not 1 <= months <= 60:
            raise CommandError("--months must be from 1 to 60 (five years)")
        adjustment = engine.BASELINE
        if scenario:
            from sufficiency.selectors import scenario_adjustment

            adjustment = scenario_adjustment(name=scenario)
            if adjustment is None:
                raise CommandError(f"There is no saved scenario called '{scenario}'")
        children = engine.clean_spells(care_spells())
        months_out = engine.forecast(children, reference_start=start, reference_end=end, months=months,
                                     adjustment=adjustment)
        if json:
            self.stdout.write(_dumps({"months": [month.as_json() for month in months_out]}))
            return
        for month in months_out:
            mix = ", ".join(f"{label.lower()} {month.by_category[c]:.1f}" for c, label in LABELS.items())
            self.stdout.write(f"{month.date:%d/%m/%Y}: {month.total:.1f} children "
                              f"({month.total_low:.1f} to {month.total_high:.1f}); {mix}")


def _dumps(payload):
    return json.dumps(payload)
