from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.services import contracts_send_alerts


class Command(BaseCommand):
    help = "Send today's contract alerts now (the daily beat task does this at 07:15)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of")

    def handle(self, *args, as_of=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2026-11-23, not '{as_of}'") from None
        result = contracts_send_alerts(as_of=day)
        line = f"{result['emails']} email(s), {result['alerts']} new alert(s); {result['pending']} open."
        if result.get("locked"):
            line += f" {result['locked']} digest(s) left to a scan already running."
        self.stdout.write(line)
