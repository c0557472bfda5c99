import json

from django.core.management.base import BaseCommand, CommandError

from contracts import dates
from contracts.selectors import contracts_due

from ._as_of import as_of_date


class Command(BaseCommand):
    help = "List live contracts whose current end falls within N days of a date (sorted by current end, reference)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Date, YYYY-MM-DD (default today).")
        parser.add_argument("--within-days", dest="within_days", type=int, default=182)
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print a JSON array.")

    def handle(self, *args, as_of=None, within_days=182, as_json=False, **options):
        as_of = as_of_date(as_of)
        if within_days < 0:
            raise CommandError("--within-days must be 0 or more")
        rows = [
            {
                "reference": c.reference,
                "current_end": c.current_end.isoformat(),
                "final_end": c.final_end.isoformat(),
                "extension_available": dates.extension_available(
                    c.extension_months, c.extensions_used, remaining=dates.remaining_extensions(
                        decision_due_on=c.decision_due_on, decision_recorded=c.decision_recorded, as_of=as_of)),
                "decision_recorded": bool(c.decision_recorded),
                "days_to_end": dates.days_to(c.current_end, as_of),
            }
            for c in contracts_due(as_of=as_of, within_days=within_days)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write(f"No live contracts end between {as_of} and {within_days} days later.")
        for r in rows:
            self.stdout.write(
                f"{r['reference']:<20} ends {r['current_end']} ({r['days_to_end']} days)"
                f"{'  extension available' if r['extension_available'] else ''}"
                f"{'  decision recorded' if r['decision_recorded'] else '  NO DECISION'}"
            )
