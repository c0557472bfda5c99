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


def test_demo_values_are_approved_by_different_people_weeks_after_the_period(users):
    from datetime import timedelta

    from django.utils import timezone

    from core.working_days import is_working_day

    outcome_demo.load(users=users)
    kpi_demo.load(users=users)
    approved = list(Measurement.objects.exclude(approved_by=None).values_list(
        "period_end", "approved_at", "approved_by", "entered_by"))
    assert len(approved) > 300
    assert len({who for _, _, who, _ in approved}) >= 4
    assert all(who != author for _, _, who, author in approved)
    # After the period ends, within seven weeks, on a working day in office hours, and not in the future.
    odd = [(end, at) for end, at, _, _ in approved
           if not end < timezone.localdate(at) <= min(end + timedelta(days=50), timezone.localdate())]
    assert odd == []
    days = [timezone.localtime(at) for _, at, _, _ in approved]
    assert all(is_working_day(d.date()) and 9 <= d.hour <= 16 for d in days)
    assert len({d.date() for d in days}) > 50  # not all on one day
