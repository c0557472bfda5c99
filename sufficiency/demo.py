"""Demo: two scenarios a commissioner might try, and the forecast worked out from the demo placements."""

from decimal import Decimal

from . import services
from .models import ForecastRun, Scenario

DEMO_SCENARIOS = [
    {"name": "Edge of care: 10 to 16", "entry_band": "10_16", "entry_change_percent": Decimal("-10"),
     "description": "The adolescent edge-of-care service cuts entries into care at 10 to 16 by a tenth."},
    {"name": "Residential to fostering", "residential_to_fostering_percent": Decimal("15"), "shift_months": 24,
     "extra_foster_places": 4, "extra_foster_months": 12,
     "description": "A fifth of residential need met by specialist fostering over two years, and four new "
                    "in-house foster homes this year."},
]


def load(*, users):
    commissioner = users.get("Commissioner")
    if commissioner is None or Scenario.objects.exists():
        return
    for data in DEMO_SCENARIOS:
        services.scenario_save(scenario=Scenario(**data), user=commissioner)
    # Worked out here rather than in the worker so the demo's pages and papers have it at once.
    for run in ForecastRun.objects.filter(status="queued"):
        services.forecast_run_execute(run=run)
