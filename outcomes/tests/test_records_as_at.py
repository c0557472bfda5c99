"""core.history.records_as_at: audited records as they stood at the end of a day (shown with themes)."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db.models import Q

from core.history import history_as_at, records_as_at
from outcomes.models import Theme

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 31)


def _at(when):
    return time_machine.travel(when, tick=False)


def test_each_record_as_it_stood_at_the_end_of_the_day():
    with _at(datetime(2026, 3, 1, 9, tzinfo=UTC)):
        edited = Theme.objects.create(name="Education", order=1)
        deleted_after = Theme.objects.create(name="Early Help", order=2)
        deleted_before = Theme.objects.create(name="Youth Justice", order=3)
    with _at(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)):  # 23:30 on 31 March in London: still that day
        edited.name = "Education and Learning"
        edited.save()
    with _at(datetime(2026, 3, 20, 9, tzinfo=UTC)):
        deleted_before.delete()
    with _at(datetime(2026, 4, 1, 0, 30, tzinfo=UTC)):  # 01:30 on 1 April in London: the next day
        edited.name = "Learning"
        edited.save()
    with _at(datetime(2026, 5, 1, 9, tzinfo=UTC)):
        deleted_after.delete()
        late = Theme.objects.create(name="Safeguarding", order=4)
        late.order = 9
        late.save()
        Theme.objects.create(name="Entered by mistake", order=5).delete()

    themes = records_as_at(Theme, DAY)
    assert [(t.name, t.order, t.recorded_later) for t in themes] == [
        ("Education and Learning", 1, False),
        ("Early Help", 2, False),
        ("Safeguarding", 4, True),  # first entered after the day: as first entered
    ]
    assert records_as_at(Theme, DAY, filters=Q(order__lte=2)) == themes[:2]
    assert sorted(history_as_at(Theme, DAY).values_list("name", flat=True)) == [
        "Early Help",
        "Education and Learning",
        "Safeguarding",
    ]


def test_a_record_saved_without_history_is_taken_as_it_is():
    Theme.objects.bulk_create([Theme(name="Seeded", order=1)])
    assert [t.name for t in records_as_at(Theme, DAY)] == ["Seeded"]
