"""Placement measures offered to KPIs as data sources (registered in placements/registrations.py).

Each takes the KPI period (start, end) and answers for the period's end: counts on the last day,
stability for the year ending then, IPA timeliness for IPAs signed within the period. Each measure's
name and definition are written once, in definitions.py (the "How each figure is worked out" page).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings

from . import selectors
from .definitions import DEFINITIONS


def _value(numerator, denominator, *, scale=100):
    from kpis.measures import MeasureValue

    if not denominator:
        return None
    value = (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.1"))
    return MeasureValue(value=value, numerator=Decimal(numerator), denominator=Decimal(denominator))


def looked_after(period_start: date, period_end: date):
    from kpis.measures import MeasureValue

    return MeasureValue(value=Decimal(selectors.looked_after_count(period_end)))


def looked_after_rate(period_start: date, period_end: date):
    """The same figure as the placements pages and report print (selectors.rate_per_10000)."""
    from kpis.measures import MeasureValue

    count = selectors.looked_after_count(period_end)
    rate = selectors.rate_per_10000(count)
    if rate is None:
        return None
    return MeasureValue(value=rate, numerator=Decimal(count), denominator=Decimal(settings.PLACEMENTS_CHILD_POPULATION))


def stability_three_plus(period_start: date, period_end: date):
    figures = selectors.stability(period_end)
    return _value(figures["three_plus"], figures["cohort"])


def long_term_stability(period_start: date, period_end: date):
    figures = selectors.long_term_stability(period_end)
    return _value(figures["stable"], figures["cohort"])


def over_20_miles(period_start: date, period_end: date):
    figures = selectors.distance_figures(period_end)
    return _value(figures["over_threshold"], figures["distance_known"])


def outside_area_over_20_miles(period_start: date, period_end: date):
    figures = selectors.distance_figures(period_end)
    return _value(figures["over_threshold_and_outside"], figures["total"])


def agency_fostering_share(period_start: date, period_end: date):
    groups = selectors.by_type_group(period_end)
    agency = groups.get("agency_fostering", 0)
    return _value(agency, agency + groups.get("in_house_fostering", 0))


def residential_count(period_start: date, period_end: date):
    from kpis.measures import MeasureValue

    return MeasureValue(value=Decimal(selectors.by_type_group(period_end).get("childrens_homes", 0)))


def framework_share(period_start: date, period_end: date):
    figures = selectors.framework_share(period_end)
    return _value(figures["framework"], figures["framework"] + figures["spot"])


def ipas_unsigned(period_start: date, period_end: date):
    from kpis.measures import MeasureValue

    return MeasureValue(value=Decimal(selectors.placements_without_signed_ipa(as_of=period_end).count()))


def ipa_median_days(period_start: date, period_end: date):
    from kpis.measures import MeasureValue

    median = selectors.median_days_to_signature(period_start, period_end)
    return None if median is None else MeasureValue(value=median.quantize(Decimal("0.1")))


# How each figure is computed; what it means (its name, unit and DfE definition) is in definitions.py.
COMPUTE = {
    "placements.looked_after": looked_after,
    "placements.looked_after_rate": looked_after_rate,
    "placements.stability_3plus": stability_three_plus,
    "placements.long_term_stability": long_term_stability,
    "placements.over_20_miles": over_20_miles,
    "placements.outside_area_over_20_miles": outside_area_over_20_miles,
    "placements.agency_fostering_share": agency_fostering_share,
    "placements.residential_count": residential_count,
    "placements.framework_share": framework_share,
    "placements.ipas_unsigned": ipas_unsigned,
    "placements.ipa_median_days": ipa_median_days,
}
MEASURES = [(key, DEFINITIONS[key].name, DEFINITIONS[key].unit, compute) for key, compute in COMPUTE.items()]
