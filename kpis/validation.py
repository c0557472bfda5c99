"""Checks on a measurement's values, shared by the entry form, the importers and the services."""

from datetime import date
from decimal import Decimal

from .periods import has_ended, is_period_end, not_ended_message

FREQUENCY_RULE = {
    "monthly": "the last day of a month",
    "quarterly": "the last day of a quarter (31 March, 30 June, 30 September or 31 December)",
    "annual": "the last day of a month",
}


def measurement_errors(
    *, unit: str, frequency: str, period_end: date | None, value: Decimal | None,
    numerator: Decimal | None = None, denominator: Decimal | None = None, today: date,
) -> dict[str, str]:
    """Problems by field name; empty when the measurement is sound."""
    errors = {}
    if period_end is not None:
        if not is_period_end(period_end, frequency):
            errors["period_end"] = f"The period end must be {FREQUENCY_RULE[frequency]}"
        elif not has_ended(period_end, today):
            errors["period_end"] = not_ended_message(period_end, frequency)
    if value is not None:
        if unit == "percentage" and not (Decimal(0) <= value <= Decimal(100)):
            errors["value"] = "A percentage must be between 0 and 100"
        elif unit != "percentage" and value < 0:
            errors["value"] = "The value must be 0 or more"
        elif unit == "count" and value != value.to_integral_value():
            errors["value"] = "A count must be a whole number"
    if numerator is not None and numerator < 0:
        errors["numerator"] = "The numerator must be 0 or more"
    if denominator is not None and denominator <= 0:
        errors["denominator"] = "The denominator must be more than 0"
    if (numerator is None) != (denominator is None):
        missing = "numerator" if numerator is None else "denominator"
        errors[missing] = "Give both the numerator and the denominator, or neither"
    return errors


def decimal_places_error(value: Decimal | None, places: int = 4) -> str | None:
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return f"Use at most {places} decimal places"
    if abs(value) >= Decimal(10) ** 14:
        return "The number is too large"
    return None
