import sys

from django.core.management.base import BaseCommand

from contracts.exports import transparency_csv

from ._as_of import as_of_date


class Command(BaseCommand):
    help = "Write the Local Government Transparency Code 2015 contracts register (CSV) for a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Date, YYYY-MM-DD (default today).")
        parser.add_argument("--output", "-o", help="File to write (default standard output).")

    def handle(self, *args, as_of=None, output=None, **options):
        day = as_of_date(as_of)
        data = transparency_csv(as_of=day)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            sys.stdout.flush()
