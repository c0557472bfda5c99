import json

from django.core.management.base import BaseCommand

from contracts.management.commands._as_of import as_of_date
from programme.selectors import project_status_rows


class Command(BaseCommand):
    help = ("Where each commissioning project is on a day: stage, next gateway (and whether it is overdue), open "
            "risks by RAG, highest risk score, and the products the next gateway still needs.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Date, YYYY-MM-DD (default today).")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print a JSON array.")

    def handle(self, *args, as_of=None, as_json=False, **options):
        day = as_of_date(as_of)
        rows = project_status_rows(as_of=day)
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No commissioning projects.")
        for r in rows:
            risks = r["risks"]
            self.stdout.write(
                f"{r['reference']:<16} {r['stage']:<10} gateway {r['next_gateway_due'] or 'not set'}"
                f"{'  OVERDUE' if r['gateway_overdue'] else ''}"
                f"  risks {risks['red']} red, {risks['amber']} amber, {risks['green']} green"
                f"{'  missing: ' + ', '.join(r['missing']) if r['missing'] else ''}"
            )
