from core.import_command import ImportCommand
from market.services import import_ofsted_providers


class Command(ImportCommand):
    help = ("Import Ofsted's provider-level data for children's social care (CSV or XLSX). Columns are found by "
            "their headings, in any case or order; nothing is saved if any row is wrong.")
    area, kind, label = "market", "ofsted", "Ofsted settings"

    def run(self, parsed, *, user):
        return import_ofsted_providers(parsed, user=user)
