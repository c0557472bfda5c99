from datetime import date
from decimal import Decimal

import factory

from kpis.models import Benchmark, Indicator, Measurement, Target
from outcomes.tests.factories import ThemeFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"K{n:03d}")
    name = factory.Sequence(lambda n: f"Assessments completed within 45 working days ({n})")
    theme = factory.SubFactory(ThemeFactory, name="Safeguarding and Looked After Children")
    unit = "percentage"
    polarity = "higher_is_better"
    frequency = "monthly"
    decimals = 1


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    kind = "at_least"
    value = Decimal("85")
    tolerance = Decimal("5")
    starts_on = date(2020, 4, 1)


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = date(2025, 3, 31)
    source = "england"
    value = Decimal("80")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = date(2025, 3, 31)
    value = Decimal("86")
