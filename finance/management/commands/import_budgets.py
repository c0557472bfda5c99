from core.import_command import ImportCommand
from finance.importers import BUDGET_COLUMNS, import_budgets


class Command(ImportCommand):
    help = (f"Load a year's placement budget lines (CSV or XLSX; columns: {', '.join(BUDGET_COLUMNS)}). Every row "
            "is checked first; nothing is saved if any row is wrong, or if the year's budget is already loaded.")
    area, kind, label = "finance", "budgets", "Budget lines"

    def run(self, parsed, *, user):
        return import_budgets(parsed, user=user)
