import pytest

from kpis import demo as kpi_demo
from kpis.models import Indicator, Measurement, Polarity, TargetKind, Unit
from kpis.selectors import indicators_with_latest
from outcomes import demo as outcome_demo
from outcomes.models import AgeBand, Outcome, Theme

pytestmark = pytest.mark.django_db


def test_demo_covers_everything_shows_every_status_and_is_idempotent(users):
    outcome_demo.load(users=users)
    kpi_demo.load(users=users)
    assert Theme.objects.count() == 3 and AgeBand.objects.count() == 6
    assert 55 <= Outcome.objects.count() <= 65
    assert 33 <= Indicator.objects.count() <= 40
    assert set(Indicator.objects.values_list("unit", flat=True)) == set(Unit.values)
    assert set(Indicator.objects.values_list("polarity", flat=True)) == set(Polarity.values)
    kinds = set(Indicator.objects.values_list("targets__kind", flat=True)) - {None}
    assert kinds == set(TargetKind.values)
    statuses = set(indicators_with_latest().values_list("latest_status", flat=True))
    assert statuses == {"red", "amber", "green", "no_data", "no_target"}
    assert set(Indicator.objects.exclude(measure_key="").values_list("measure_key", flat=True)) == {
        "placements.looked_after_rate", "placements.stability_3plus"}
    before = (Outcome.objects.count(), Indicator.objects.count(), Measurement.objects.count(),
              Measurement.history.count())
    outcome_demo.load(users=users)
    kpi_demo.load(users=users)
    assert (Outcome.objects.count(), Indicator.objects.count(), Measurement.objects.count(),
            Measurement.history.count()) == before
