from core.import_command import ImportCommand
from placements.importers import load_postcode_districts


class Command(ImportCommand):
    help = "Load postcode-district centroids (columns: district, latitude, longitude, optional local_authority)."
    area, kind, label = "placements", "postcode_districts", "Postcode districts"

    def run(self, parsed, *, user):
        return load_postcode_districts(parsed, user=user)
