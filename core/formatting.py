"""Money as the council writes it, one formatter for every page, report, chart and email: whole pounds on
dashboards and in reports ("£1,235", "−£33,318" with a real minus sign), pence only for unit prices such as
weekly fees and agreed prices (`places=2`), and thousands of pounds for a table headed "£000"
(`thousands=True`). Halves round up (ROUND_HALF_UP), as finance reports do, never to even.
And cells for downloaded spreadsheets that a spreadsheet will not run as formulas."""

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"  # a real minus sign: a hyphen is shorter than the figures and reads as a dash


def format_money(value, *, places: int = 0, thousands: bool = False) -> str:
    """'£1,235' (or '£1,234.50' with places=2); '−£33,318' when negative; '' when there is no value.
    With `thousands`, the figure in £000 without the £, for a column whose heading carries it:
    14,612,340 -> '14,612'."""
    if value is None or value == "":
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if thousands:
        amount, places = amount.scaleb(-3), 0
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    return f"{sign}{'' if thousands else '£'}{abs(rounded):,.{places}f}"


def spreadsheet_safe(value):
    """Stop a spreadsheet treating a text cell as a formula (CSV injection): a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
