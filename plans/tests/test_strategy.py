import pytest
from django.urls import reverse

from plans.models import Action, Priority, Strategy
from plans.selectors import strategy_current

from .factories import ActionFactory, CommitteeFactory, PriorityFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_strategy_page_lists_priorities_with_open_and_overdue_actions(viewer_client):
    strategy = StrategyFactory(title="Interim commissioning strategy", principles="Outcomes first\nValue for money")
    p1 = PriorityFactory(
        strategy=strategy,
        number=1,
        title="Reduce the number of children needing care",
        corporate_priority="2. Safeguarding and protecting those most vulnerable",
    )
    PriorityFactory(strategy=strategy, number=2, title="Place children closer to home")
    ActionFactory(strategy=strategy, priority=p1, due_on="2020-01-01")
    ActionFactory(strategy=strategy, priority=p1, status=Action.Status.COMPLETE)
    html = viewer_client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert "1. Reduce the number of children needing care" in html
    assert "2. Place children closer to home" in html
    assert "2. Safeguarding and protecting those most vulnerable" in html
    assert "1 (1 overdue)" in html
    assert "Value for money" in html


def test_strategy_list_and_current(viewer_client):
    old = StrategyFactory(title="Old", starts_on="2016-04-01", ends_on="2017-03-31", status=Strategy.Status.SUPERSEDED)
    current = StrategyFactory(title="Current one")
    assert strategy_current(as_of=current.starts_on) == current
    assert strategy_current(as_of=old.starts_on) != old  # superseded: falls back to the latest
    html = viewer_client.get(reverse("strategy")).content.decode()
    assert "The strategy in force is" in html and "Current one" in html and "Old" in html


def test_create_strategy_requires_approval_details_when_approved(commissioner_client):
    data = {"title": "Sufficiency strategy", "starts_on": "2026-04-01", "ends_on": "2029-03-31", "status": "approved"}
    response = commissioner_client.post(reverse("strategy_create"), data)
    assert "Enter the approving body" in response.content.decode()
    cabinet = CommitteeFactory(name="Cabinet")
    response = commissioner_client.post(
        reverse("strategy_create"), {**data, "approved_by": cabinet.pk, "approved_on": "2026-03-10"}
    )
    strategy = Strategy.objects.get()
    assert response["Location"] == strategy.get_absolute_url()


def test_priority_numbers_are_unique_per_strategy(commissioner_client):
    strategy = StrategyFactory()
    PriorityFactory(strategy=strategy, number=1)
    response = commissioner_client.post(
        reverse("strategy_priority_create", args=[strategy.pk]), {"number": 1, "title": "Duplicate"}
    )
    assert "Priority 1 already exists" in response.content.decode()
    response = commissioner_client.post(
        reverse("strategy_priority_create", args=[strategy.pk]), {"number": 2, "title": "Second"}
    )
    assert response.status_code == 302
    assert Priority.objects.filter(strategy=strategy).count() == 2
