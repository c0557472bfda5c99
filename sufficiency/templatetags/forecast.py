"""Formatting for the forecast pages and papers."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """A stored forecast's "YYYY-MM-DD" as a date (for the date filter)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@register.filter
def percent_1(value):
    return f"{float(value) * 100:.1f}%"


@register.filter
def percent_0(value):
    return f"{float(value) * 100:.0f}%"


@register.filter
def signed_0(value):
    """A change in children: +12, −3 (a minus sign, as money shows) or 0 (never -0)."""
    rounded = round(float(value))
    return f"+{rounded}" if rounded > 0 else f"−{-rounded}" if rounded < 0 else "0"
