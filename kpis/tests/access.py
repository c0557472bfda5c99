from core.access import allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER


def url_cases():
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory

    indicator = IndicatorFactory()
    measurement = MeasurementFactory(indicator=indicator)
    editors = allowed(ADMINISTRATOR, COMMISSIONER)
    return {
        "kpis:index": ({}, everyone()),
        "kpis:detail": ({"pk": indicator.pk}, everyone()),
        "kpis:measurement_add": ({"pk": indicator.pk}, editors),
        "kpis:target_add": ({"pk": indicator.pk}, editors),
        # Commentary: the KPI's owner (none here) or a commissioner; approval: commissioners.
        "kpis:measurement_commentary": ({"pk": indicator.pk, "measurement_pk": measurement.pk}, editors),
        "kpis:measurement_approve": ({"pk": indicator.pk, "measurement_pk": measurement.pk}, editors),
        "kpis:awaiting_approval": ({}, allowed(ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER)),
        "kpis:import_indicators": ({}, editors),
        "kpis:import_targets": ({}, editors),
        "kpis:import_measurements": ({}, editors),
        "kpis:import_benchmarks": ({}, editors),
        "kpis:import_framework": ({}, editors),
        "kpis:imports": ({}, editors),
    }
