import pytest
from django.utils import timezone

from core.demo import demo_users_create
from plans import demo as demo_plans
from plans.models import Action, ActionUpdate, Committee, Meeting, Strategy
from plans.selectors import action_status_counts

pytestmark = pytest.mark.django_db


def test_demo_plans_load_once_with_every_status_and_overdue_actions():
    users = demo_users_create()
    demo_plans.load(users=users)
    counts = {m: m.objects.count() for m in (Strategy, Action, ActionUpdate, Committee, Meeting)}
    demo_plans.load(users=users)  # second run changes nothing
    assert counts == {m: m.objects.count() for m in counts}
    status = action_status_counts(as_of=timezone.localdate())
    assert all(status[s] > 0 for s in ("yet_to_commence", "in_progress", "complete", "cancelled", "overdue"))
    subjects = set(Action.objects.values_list("subject", flat=True))
    assert {"Residential care", "Tenders", "Contracts", "Sufficiency"} <= subjects
    assert {"Children and Families Committee", "Overview and Scrutiny", "Cabinet"} <= set(
        Committee.objects.values_list("name", flat=True)
    )
    assert Meeting.objects.filter(date__gt=timezone.localdate()).exists()
    current = Strategy.objects.get(status="approved")
    assert current.priorities.count() == 3


def test_demo_committees_meet_on_working_days():
    from core.working_days import is_working_day

    demo_plans.load(users=demo_users_create())
    days = list(Meeting.objects.values_list("date", flat=True))
    assert len(days) >= 9
    assert [d for d in days if not is_working_day(d)] == []
