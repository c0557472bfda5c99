import json

from django.core.management.base import BaseCommand, CommandError

from contracts.exports import ocds_package, validate_ocds_package

from ._as_of import as_of_date


class Command(BaseCommand):
    help = "Write the contracts as an Open Contracting Data Standard 1.1 release package (JSON), validated first."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="Date, YYYY-MM-DD (default today).")
        parser.add_argument("--output", "-o", help="File to write (default standard output).")

    def handle(self, *args, as_of=None, output=None, **options):
        day = as_of_date(as_of)
        package = ocds_package(as_of=day)
        errors = validate_ocds_package(package)
        if errors:
            for e in errors[:50]:
                self.stderr.write(e)
            raise CommandError(f"The package does not match the OCDS 1.1.5 schema ({len(errors)} problem(s)).")
        text = json.dumps(package, indent=2)
        if output:
            with open(output, "w") as fh:
                fh.write(text)
            self.stderr.write(f"Wrote {output}: {len(package['releases'])} releases")
        else:
            self.stdout.write(text)
