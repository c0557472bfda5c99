from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import KPI indicators from CSV or XLSX: every row is checked first; nothing is saved if any is wrong."
    kind = "indicators"
