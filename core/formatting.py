"""Money as the council writes it: pounds with thousands separators, whole pounds for contract and
annual values, pence (`places=2`) for weekly costs and prices. Halves round up, as in finance reports.
And cells for downloaded spreadsheets that a spreadsheet will not run as formulas."""

from decimal import ROUND_HALF_UP, Decimal


def format_money(value, *, places: int = 0) -> str:
    """'£1,234' (or '£1,234.50' with places=2); '' when there is no value."""
    if value is None or value == "":
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.{places}f}"


def spreadsheet_safe(value):
    """Stop a spreadsheet treating a text cell as a formula (CSV injection): a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
