
from django.core.management.base import BaseCommand

from contracts.services import contracts_send_alerts

from ._as_of import as_of_date


class Command(BaseCommand):
    help = "Send today's contract alerts now (the daily beat task does this at 07:15)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of")

    def handle(self, *args, as_of=None, **options):
        day = as_of_date(as_of)
        result = contracts_send_alerts(as_of=day)
        line = f"{result['emails']} email(s), {result['alerts']} new alert(s); {result['pending']} open."
        if result.get("locked"):
            line += f" {result['locked']} digest(s) left to a scan already running."
        self.stdout.write(line)
