from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER


def url_cases():
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory

    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator)
    editors = allowed(ADMINISTRATOR, COMMISSIONER)
    return {
        "kpis:index": ({}, everyone()),
        "kpis:detail": ({"pk": indicator.pk}, everyone()),
        "kpis:measurement_add": ({"pk": indicator.pk}, editors),
        "kpis:target_add": ({"pk": indicator.pk}, editors),
        "kpis:import_indicators": ({}, editors),
        "kpis:import_targets": ({}, editors),
        "kpis:import_measurements": ({}, editors),
        "kpis:import_benchmarks": ({}, editors),
        "kpis:import_framework": ({}, editors),
        "kpis:imports": ({}, editors),
    }
