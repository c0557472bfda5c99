"""Template helpers for small-number suppression: {% load suppression %}{{ count|suppress }}."""

from django import template

from core.suppression import FOOTNOTE, Cell, suppress_count, suppress_percentage

register = template.Library()


@register.filter
def suppress(value):
    """A count of children as published: 1 to 5 become [c]. Cells pass through unchanged."""
    if isinstance(value, Cell):
        return value.display
    return suppress_count(value).display


@register.simple_tag
def suppressed_percentage(numerator, denominator, places=1):
    return suppress_percentage(numerator, denominator, places=places).display


@register.simple_tag
def suppression_footnote():
    return FOOTNOTE
