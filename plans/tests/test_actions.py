from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.filters import ActionFilter
from plans.models import Action, ActionUpdate
from plans.selectors import action_list, action_status_counts
from plans.services import action_record_progress, action_save

from .factories import ActionFactory, ActionUpdateFactory, PriorityFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_overdue_is_derived_from_due_date_and_status():
    today = date(2026, 11, 23)
    late = ActionFactory(due_on=today - timedelta(days=1), status=Action.Status.IN_PROGRESS)
    ActionFactory(due_on=today - timedelta(days=1), status=Action.Status.COMPLETE)
    ActionFactory(due_on=today - timedelta(days=1), status=Action.Status.CANCELLED)
    ActionFactory(due_on=today, status=Action.Status.YET_TO_COMMENCE)  # due today is not yet overdue
    ActionFactory(due_on=None)
    flagged = {a.pk for a in action_list(as_of=today) if a.is_overdue}
    assert flagged == {late.pk}
    counts = action_status_counts(as_of=today)
    assert counts["overdue"] == 1 and counts["complete"] == 1 and counts["total"] == 5


def test_progress_update_can_change_status_and_records_before_and_after(commissioner):
    action = ActionFactory(status=Action.Status.YET_TO_COMMENCE)
    update = action_record_progress(
        action=action, note="Started market engagement", author=commissioner, new_status=Action.Status.IN_PROGRESS
    )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert (update.status_before, update.status_after) == ("yet_to_commence", "in_progress")
    done = action_record_progress(
        action=action,
        note="Contract awarded",
        author=commissioner,
        noted_on=date(2026, 11, 1),
        new_status=Action.Status.COMPLETE,
    )
    action.refresh_from_db()
    assert action.completed_on == date(2026, 11, 1) and done.changed_status
    note_only = action_record_progress(action=action, note="Mobilisation going well", author=commissioner)
    assert not note_only.changed_status
    assert action.history.count() == 3  # created + two status changes, with the author recorded
    assert action.history.first().history_user == commissioner


def test_action_save_sets_and_clears_completed_on(commissioner):
    action = ActionFactory.build(status=Action.Status.COMPLETE, subject="Tenders", description="x")
    action_save(action=action, user=commissioner)
    assert action.completed_on == timezone.localdate()
    action.status = Action.Status.IN_PROGRESS
    action_save(action=action, user=commissioner)
    assert action.completed_on is None


def test_filterset_directly():
    today = date(2026, 11, 23)
    a = ActionFactory(subject="Tenders", due_on=today - timedelta(days=3))
    ActionFactory(subject="Contracts", due_on=today + timedelta(days=3))
    qs = action_list(as_of=today)
    f = ActionFilter({"subject": "Tenders"}, queryset=qs, subjects=["Tenders", "Contracts"], as_of=today)
    assert [x.pk for x in f.qs] == [a.pk]
    f = ActionFilter({"overdue": "true"}, queryset=qs, subjects=[], as_of=today)
    assert [x.pk for x in f.qs] == [a.pk]
    f = ActionFilter({"status": "nonsense", "owner": "abc", "strategy": "-1"}, queryset=qs, subjects=[], as_of=today)
    assert f.qs.count() == 2  # invalid values are ignored, never a 500


def test_action_plan_page_groups_by_subject_and_flags_overdue(viewer_client):
    ActionFactory(
        subject="Residential care",
        description="Map residential provision across the region",
        due_on=timezone.localdate() - timedelta(days=10),
    )
    ActionFactory(subject="Tenders", description="Re-tender supported accommodation")
    response = viewer_client.get(reverse("actions"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Residential care</caption>' in html
    assert "Tenders</caption>" in html
    assert "Overdue</strong>" in html
    assert "1 overdue" in html
    assert "Add an action" not in html  # viewers cannot add


def test_action_plan_bad_query_params_do_not_fail(viewer_client):
    ActionFactory()
    response = viewer_client.get(
        reverse("actions"), {"owner": "x", "strategy": "99999", "status": "<b>", "overdue": "maybe"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_action_plan_query_count_is_fixed(viewer_client, django_assert_max_num_queries, n, commissioner):
    strategy = StrategyFactory()
    for i in range(n):
        action = ActionFactory(subject=f"Subject {i % 4}", owner=commissioner, strategy=strategy)
        ActionUpdateFactory(action=action)
    with django_assert_max_num_queries(12):
        response = viewer_client.get(reverse("actions"))
    assert response.content.decode().count("Work continues.") == n


def test_commissioner_adds_and_edits_an_action(commissioner_client, commissioner):
    strategy = StrategyFactory()
    priority = PriorityFactory(strategy=strategy)
    response = commissioner_client.post(
        reverse("actions_create"),
        {
            "subject": "Sufficiency",
            "description": "Publish the sufficiency statement",
            "strategy": strategy.pk,
            "priority": priority.pk,
            "owner": commissioner.pk,
            "due_on": "2027-03-31",
            "timescale": "By March 2027",
            "status": "yet_to_commence",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.history.first().history_user == commissioner
    response = commissioner_client.post(
        reverse("actions_edit", args=[action.pk]),
        {
            "subject": "Sufficiency",
            "description": "Publish the sufficiency statement",
            "strategy": strategy.pk,
            "priority": "",
            "owner": "",
            "due_on": "not a date",
            "timescale": "",
            "status": "in_progress",
        },
    )
    assert response.status_code == 200
    assert "Error: " in response.content.decode()


def test_priority_must_belong_to_the_strategy(commissioner_client):
    s1, s2 = StrategyFactory(), StrategyFactory()
    p2 = PriorityFactory(strategy=s2)
    response = commissioner_client.post(
        reverse("actions_create"),
        {
            "subject": "Tenders",
            "description": "x",
            "strategy": s1.pk,
            "priority": p2.pk,
            "status": "in_progress",
        },
    )
    assert "Choose a priority of the selected strategy" in response.content.decode()


def test_progress_form_posts_and_shows_status_change(commissioner_client):
    action = ActionFactory(status=Action.Status.IN_PROGRESS)
    response = commissioner_client.post(
        reverse("actions_progress", args=[action.pk]),
        {
            "noted_on": timezone.localdate().isoformat(),
            "note": "Contract signed",
            "new_status": "complete",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Status is now complete" in html
    assert "status changed from in progress to complete" in html
    assert ActionUpdate.objects.get().author is not None


def test_progress_form_refuses_future_dates(commissioner_client):
    action = ActionFactory()
    response = commissioner_client.post(
        reverse("actions_progress", args=[action.pk]),
        {
            "noted_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "note": "x",
            "new_status": "",
        },
    )
    assert response.status_code == 400
    assert "The date of the update must be today or in the past" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_viewer_cannot_post_progress(viewer_client):
    action = ActionFactory()
    response = viewer_client.post(reverse("actions_progress", args=[action.pk]), {"note": "x"})
    assert response.status_code == 403


def test_missing_action_is_404(viewer_client):
    assert viewer_client.get(reverse("actions_detail", args=[987654])).status_code == 404


def test_owner_filter_for_someone_with_no_actions_shows_none(viewer_client, make_user):
    ActionFactory()
    nobody = make_user("Commissioner", username="no_actions")
    html = viewer_client.get(reverse("actions"), {"owner": nobody.pk}).content.decode()
    assert "No action matches these filters." in html


@pytest.mark.django_db
def test_completing_an_action_in_the_admin_records_the_day_as_its_page_does(admin_user_client):
    from django.urls import reverse
    from django.utils import timezone

    from core.tests.admin_forms import admin_change_form_data
    from plans.tests.factories import ActionFactory

    action = ActionFactory()
    url = reverse("admin:plans_action_change", args=[action.pk])
    response = admin_user_client.post(url, admin_change_form_data(admin_user_client.get(url), status="complete"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("complete", timezone.localdate())
