from core.imports import read_sheets

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the outcomes framework and its KPIs from one Excel workbook with the sheets Outcomes, Indicators, "
        "Targets, Benchmarks and Measurements: every row of every sheet is checked first; nothing is saved if any "
        "is wrong."
    )
    kind = "framework"

    def read(self, data, name):
        return read_sheets(data, name)

    def run(self, parsed, *, user):
        from kpis.framework import import_framework

        return import_framework(parsed, user=user, queue=False)
