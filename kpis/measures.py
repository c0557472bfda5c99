"""Computed measures other apps provide (placements, finance...), kept in `core.registry.measures`.

An app registers each measure once, in its `registrations.py`:

    register_measure("placements.stability_3plus", label="...", unit="percentage", compute=fn)

where `fn(period_start: date, period_end: date) -> MeasureValue | None`. An Indicator whose
`measure_key` names a registered measure has its measurements filled by the task
`kpis.tasks.kpi_computed_measures_fill` for each period, then statuses are recomputed. Registering a
key twice with a different measure raises.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.registry import MeasureSpec, registry

# A registered measure: its key, label, unit and compute function.
Measure = MeasureSpec


@dataclass(frozen=True)
class MeasureValue:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def register_measure(key: str, *, label: str, unit: str, compute: Callable[[date, date], MeasureValue | None]):
    """Register the measure `key` (again with the same values is harmless; with different ones, an error)."""
    registry.measure(MeasureSpec(key=key, label=label, unit=unit, compute=compute))
    return registry.measures[key]


def unregister_measure(key: str) -> None:
    # For tests that register a measure of their own.
    registry.measures.pop(key, None)


def get_measure(key: str) -> Measure | None:
    return registry.measures.get(key)


def registered_measures() -> list[Measure]:
    return sorted(registry.measures.values(), key=lambda m: m.key)


def measure_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in registered_measures()]
