from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import ImportFailed, read_table
from placements.importers import load_postcode_districts


class Command(BaseCommand):
    help = "Load postcode-district centroids (columns: district, latitude, longitude, optional local_authority)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            table = read_table(Path(file).read_bytes(), file)
        except OSError as exc:
            raise CommandError(f"Could not read the file: {exc}") from exc
        try:
            summary = load_postcode_districts(table, user=None)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing loaded: {len(failed.errors)} problem(s) found.") from failed
        self.stdout.write(self.style.SUCCESS(f"Postcode districts: {summary}."))
