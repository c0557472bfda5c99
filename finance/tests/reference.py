"""The forecast worked night by night in plain Python: the definition itself, used only to check the SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from core.periods import financial_year_bounds
from finance import rules


@dataclass
class Line:
    weekly: Decimal
    start: date
    end: date | None  # last day covered, or None
    in_force: bool = True


@dataclass
class Spell:
    start: date
    end: date | None  # the day it ended (not a night of it), or None
    category: str
    provision: str
    child: str = ""
    lines: list[Line] = field(default_factory=list)


def _pence(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def spell_costs(spell: Spell, year: int, as_of: date) -> tuple[Decimal, Decimal]:
    """(actual, committed) for one placement, each rounded to pence."""
    first, last = financial_year_bounds(year)
    actual = committed = Fraction(0)
    night = max(first, spell.start)
    stop = min(spell.end or last + timedelta(days=1), last + timedelta(days=1))
    while night < stop:
        weekly = sum((Fraction(line.weekly) for line in spell.lines if line.in_force and line.start <= night
                      and (line.end is None or line.end >= night)), Fraction(0))
        if night <= as_of:
            actual += weekly / 7
        else:
            committed += weekly / 7
        night += timedelta(days=1)
    return _pence(actual), _pence(committed)


def forecast(spells: list[Spell], lines: list[tuple[str, str, str]], year: int, as_of: date) -> dict[str, tuple]:
    """{code: (actual, committed)} for lines with any placement costing something."""
    keys = rules.line_keys(lines)
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for spell in spells:
        actual, committed = spell_costs(spell, year, as_of)
        exact = spell_costs_exact_nonzero(spell, year)
        if not exact:
            continue
        code = rules.line_for(spell.category, spell.provision, keys)
        a, c = totals.get(code, (Decimal("0.00"), Decimal("0.00")))
        totals[code] = (a + actual, c + committed)
    return totals


def spell_costs_exact_nonzero(spell: Spell, year: int) -> bool:
    """Whether the placement costs (or would cost, once approved) anything in the year."""
    first, last = financial_year_bounds(year)
    in_year = spell.start <= last and (spell.end is None or spell.end > first)
    if not in_year:
        return False
    actual, committed = spell_costs(spell, year, last)
    awaiting = any(not line.in_force and line.start <= last and (line.end is None or line.end >= first)
                   for line in spell.lines)
    return bool(actual or committed) or awaiting
