"""Small-number suppression for anything that leaves the system (PDF reports, exports of aggregates).

Rules (the ones councils use in their published committee papers):

* Primary suppression: a count of children from 1 to 5 is shown as ``[c]``. Zero is shown: it
  identifies nobody.
* Secondary suppression: any figure from which a suppressed count could be worked back is
  suppressed too.
  - In a line of categories with a visible total, one hidden cell could be worked back as
    ``total - sum(visible)``. So when exactly one cell of such a line is hidden, the next smallest
    visible cell is hidden as well (the smallest non-zero one; a zero only when nothing else is
    left; the total itself when the line has no other cell).
  - A percentage is hidden when its numerator or its denominator is hidden (or is itself a
    count of 1 to 5), because ``numerator = percentage x denominator``.
  - Where published counts are sums of others beyond one line (a group and the providers it
    owns, the children placed with the largest groups), each sum is a line of its own
    (``suppress_linked``).
* Totals and shares of 6 or more are shown unless a line above would give a hidden count back.
* Money is not a count of children: a budget line's forecast or a group's weekly spend is shown
  however few children it covers, with their count beside it as ``[c]``. An amount per child is
  a rate on that count, hidden where the count is (``amount / average`` would give it back).

Everything here is a pure function of plain values: no database, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MARKER = "[c]"
FOOTNOTE = (
    "[c] Not shown to protect confidentiality: a count of 1 to 5 children, "
    "or a figure from which such a count could be worked out."
)
SMALL_MIN = 1
SMALL_MAX = 5
MISSING = "–"

PRIMARY = "primary"
SECONDARY = "secondary"

Number = int | Decimal | float


def is_small(count: Number | None) -> bool:
    """True for a count that must never be published: 1 to 5 (inclusive)."""
    if count is None:
        return False
    return SMALL_MIN <= count <= SMALL_MAX


@dataclass(frozen=True)
class Cell:
    """One published figure: its value and whether it must be hidden."""

    value: Number | None
    suppressed: bool = False
    reason: str | None = None
    places: int = 0
    suffix: str = ""

    @property
    def display(self) -> str:
        if self.suppressed:
            return MARKER
        if self.value is None:
            return MISSING
        if self.places:
            quantum = Decimal(1).scaleb(-self.places)
            text = f"{Decimal(str(self.value)).quantize(quantum, rounding=ROUND_HALF_UP):,}"
        elif isinstance(self.value, float | Decimal):
            text = f"{Decimal(str(self.value)).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
        else:
            text = f"{self.value:,}"
        return f"{text}{self.suffix}"

    def __str__(self) -> str:
        return self.display

    def __html__(self) -> str:  # safe for templates: the marker and numbers carry no HTML
        return self.display

    def hidden(self, reason: str = SECONDARY) -> Cell:
        return Cell(self.value, True, self.reason or reason, self.places, self.suffix)


def suppress_count(count: int | None) -> Cell:
    """A single count of children: hidden when it is 1 to 5."""
    if is_small(count):
        return Cell(count, True, PRIMARY)
    return Cell(count)


def percentage(numerator: Number | None, denominator: Number | None, *, places: int = 1) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(str(numerator)) * 100 / Decimal(str(denominator))).quantize(quantum, rounding=ROUND_HALF_UP)


def suppress_percentage(numerator: int | Cell | None, denominator: int | Cell | None, *, places: int = 1) -> Cell:
    """numerator / denominator as a percentage, hidden when either count is (or must be) hidden.

    Accepts plain counts (then the 1 to 5 rule applies to both) or cells that have already been
    through line suppression (then their decision stands).
    """
    num = numerator if isinstance(numerator, Cell) else suppress_count(numerator)
    den = denominator if isinstance(denominator, Cell) else suppress_count(denominator)
    value = percentage(num.value, den.value, places=places)
    if num.suppressed or den.suppressed:
        return Cell(value, True, SECONDARY, places, "%")
    return Cell(value, False, None, places, "%")


def _protect_line(cells: list[Cell], total_index: int | None) -> bool:
    """Apply secondary suppression to one line in place. Returns True if anything changed.

    ``total_index`` names the cell holding the line's total (None: the line has no total shown,
    so a single hidden cell cannot be worked back). The parts and the total are one equation:
    when exactly one of them is hidden (a part, or the total beside parts all shown), the others
    give it back, so one more is hidden: the smallest non-zero part shown, else a zero, else the
    total.
    """
    if total_index is None:
        return False
    parts = [i for i in range(len(cells)) if i != total_index and cells[i].value is not None]
    members = [*parts, total_index]
    if sum(cells[i].suppressed for i in members) != 1:
        return False
    visible = [i for i in parts if not cells[i].suppressed]
    non_zero = [i for i in visible if cells[i].value]
    candidates = non_zero or visible
    if candidates:
        target = min(candidates, key=lambda i: (cells[i].value, i))
    else:
        target = total_index
    cells[target] = cells[target].hidden(SECONDARY)
    return True


@dataclass(frozen=True)
class SuppressedRow:
    cells: list[Cell]
    total: Cell | None

    @property
    def any_suppressed(self) -> bool:
        return any(c.suppressed for c in self.cells) or bool(self.total and self.total.suppressed)

    def shares(self, *, places: int = 1) -> list[Cell]:
        """Each cell as a percentage of the total, hidden where the count or the total is."""
        if self.total is None:
            raise ValueError("shares need a total")
        return [suppress_percentage(c, self.total, places=places) for c in self.cells]


def suppress_row(counts: Sequence[int | None], *, with_total: bool = True) -> SuppressedRow:
    """A line of category counts (e.g. children by placement type), optionally with its total."""
    cells = [suppress_count(c) for c in counts]
    if not with_total:
        return SuppressedRow(cells, None)
    total_value = sum(c for c in counts if c is not None)
    line = [*cells, suppress_count(total_value)]
    while _protect_line(line, len(line) - 1):
        pass
    return SuppressedRow(line[:-1], line[-1])


def suppress_linked(counts: Sequence[int | None], lines: Iterable[tuple[Sequence[int], int]]) -> list[Cell]:
    """Counts published side by side where some are sums of others: a group and each provider it owns, a
    total and the part of it held by the largest groups. Each line ``(parts, total)`` says that the counts at
    positions ``parts`` add up to the count at position ``total``.

    Counts of 1 to 5 are hidden, then every line is protected (as in a row with its total) until no line
    has a single hidden figure that the rest of it would give back. A figure shown in two places (an
    independent provider listed as an owner too) is a line of one part, so it is hidden in both or neither.
    """
    lines = [(list(parts), total) for parts, total in lines]
    for parts, total in lines:
        if sum(counts[i] or 0 for i in parts) != (counts[total] or 0):
            raise ValueError(f"the parts {parts} do not add up to the total at {total}")
    cells = [suppress_count(c) for c in counts]
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = [*parts, total]
            line = [cells[i] for i in members]
            if _protect_line(line, len(parts)):
                changed = True
                for i, cell in zip(members, line, strict=True):
                    cells[i] = cell
    return cells


def any_suppressed(cells: Iterable[Cell | None]) -> bool:
    """For templates: does this block need the [c] footnote?"""
    return any(c is not None and c.suppressed for c in cells)
