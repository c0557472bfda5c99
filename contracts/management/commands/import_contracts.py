from core.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import the contracts register from a CSV or XLSX file: all rows or none, idempotent by reference."
    area = "contracts"
    kind = "contracts"

    def run(self, parsed, *, user):
        from contracts.imports import import_contracts

        return import_contracts(parsed, user=user)
