import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.exports import transparency_csv


class Command(BaseCommand):
    help = "Write the Local Government Transparency Code 2015 contracts register (CSV) for a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Date, YYYY-MM-DD (default today).")
        parser.add_argument("--output", "-o", help="File to write (default standard output).")

    def handle(self, *args, as_of=None, output=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be a date like 2026-11-23, not '{as_of}'") from None
        data = transparency_csv(as_of=day)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            sys.stdout.flush()
