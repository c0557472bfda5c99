"""How values and targets read on screen and in reports."""

from decimal import ROUND_HALF_UP, Decimal

from core.formatting import format_money
from core.suppression import is_small


def format_value(value: Decimal | None, *, unit: str, decimals: int = 1) -> str:
    if value is None:
        return "No data"
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if unit == "percentage":
        return f"{text}%"
    if unit == "money":
        return format_money(rounded, places=decimals)
    if unit == "days":
        return f"{text} days"
    return text


def _n(value: Decimal | None) -> str:
    if value is None:
        return "?"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_target(target) -> str:
    """'At least 85', 'Between 40 and 60 (tolerance 5)', 'At most the England average'."""
    source = {"england": "England", "region": "the region", "statistical_neighbours": "statistical neighbours"}
    kind = target.kind
    if kind == "at_least":
        text = f"At least {_n(target.value)}"
    elif kind == "at_most":
        text = f"At most {_n(target.value)}"
    elif kind == "between":
        text = f"Between {_n(target.value)} and {_n(target.upper)}"
    elif kind == "at_most_benchmark":
        text = f"At most {source.get(target.benchmark_source, 'the benchmark')}"
    elif kind == "at_least_benchmark":
        text = f"At least {source.get(target.benchmark_source, 'the benchmark')}"
    elif kind == "within_benchmark_range":
        text = "Within the statistical neighbours' range"
    else:
        text = kind
    if target.tolerance:
        text += f" (amber within {_n(target.tolerance)})"
    return text


def hides_small_count(*, counts_children: bool, unit: str, value, numerator=None, denominator=None) -> bool:
    """Whether a value must leave the system as [c]: a count of 1 to 5 children, or a rate or
    percentage worked out from one."""
    if not counts_children:
        return False
    if unit == "count" and is_small(value):
        return True
    return is_small(numerator) or is_small(denominator)
