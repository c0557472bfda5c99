from django.core.management.base import BaseCommand, CommandError

from core.import_command import import_file_read
from core.imports import ImportFailed
from placements.importers import load_postcode_districts


class Command(BaseCommand):
    help = "Load postcode-district centroids (columns: district, latitude, longitude, optional local_authority)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        _, _, table = import_file_read(file)
        try:
            summary = load_postcode_districts(table, user=None)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing loaded: {len(failed.errors)} problem(s) found.") from failed
        self.stdout.write(self.style.SUCCESS(f"Postcode districts: {summary}."))
