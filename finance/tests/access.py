from datetime import date
from decimal import Decimal

from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER

# Budgets and forecasts are commissioning data that every role reads; commissioners load budgets and keep
# forecasts. Pages that list placements are child-level: placements officers, commissioners and administrators.
CHILD_LEVEL = (ADMINISTRATOR, PLACEMENTS_OFFICER, COMMISSIONER)
COMMISSIONERS = (ADMINISTRATOR, COMMISSIONER)
COST_EDITORS = (ADMINISTRATOR, PLACEMENTS_OFFICER)


def url_cases():
    from finance.tests.factories import BudgetLineFactory
    from placements.tests.factories import CostLineFactory, PlacementFactory

    line = BudgetLineFactory(financial_year=2025, code="PL01", amount=Decimal("50000"))
    CostLineFactory(placement=PlacementFactory(start=date(2025, 5, 1)))
    return {
        "finance:index": ({}, everyone()),
        "finance:budgets": ({}, everyone()),
        "finance:line": ({"year": line.financial_year, "code": line.code}, allowed(*CHILD_LEVEL)),
        "finance:history": ({}, everyone()),
        "finance:high_cost": ({}, allowed(*CHILD_LEVEL)),
        "finance:savings": ({}, everyone()),
        "finance:import_budgets": ({}, allowed(*COMMISSIONERS)),
        "finance:import_costs": ({}, allowed(*COST_EDITORS)),
        "finance:imports": ({}, allowed(*COMMISSIONERS, *COST_EDITORS)),
    }
