"""A registry of computed measures that other apps provide (placements, contracts...).

An app registers each measure once, usually in its AppConfig.ready():

    register_measure("placements.stability_3plus", label="...", unit="percentage", compute=fn)

where `fn(period_start: date, period_end: date) -> MeasureValue | None`. An Indicator whose
`measure_key` names a registered measure has its measurements filled by the task
`kpis.tasks.kpi_computed_measures_fill` for each period, then statuses are recomputed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class MeasureValue:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    compute: Callable[[date, date], MeasureValue | None]


_registry: dict[str, Measure] = {}


def register_measure(key: str, *, label: str, unit: str, compute: Callable[[date, date], MeasureValue | None]):
    """Register (or replace: ready() may run more than once in tests) the measure `key`."""
    if not key:
        raise ValueError("A measure needs a key")
    _registry[key] = Measure(key=key, label=label, unit=unit, compute=compute)
    return _registry[key]


def unregister_measure(key: str) -> None:
    _registry.pop(key, None)


def get_measure(key: str) -> Measure | None:
    return _registry.get(key)


def registered_measures() -> list[Measure]:
    return sorted(_registry.values(), key=lambda m: m.key)


def measure_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in registered_measures()]
