"""The action plan section of a committee report gives each action as it stood at the report's day."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.template.loader import render_to_string

from plans.models import Action
from plans.reports import section_context
from plans.services import action_record_progress, action_save
from plans.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db
Q4 = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31), "as_of": date(2026, 3, 31)}


def _render(context):
    return render_to_string("plans/pdf/section.html", {**context, **Q4, "section": {"number": 6}})


def test_status_and_notes_on_the_day_by_their_own_dates_and_the_wording_as_now(commissioner):
    with time_machine.travel(datetime(2026, 2, 1, 9, tzinfo=UTC), tick=False):
        action = ActionFactory(subject="Tenders", description="Re-tender the IFA framework", due_on=date(2026, 3, 1))
        action_record_progress(
            action=action,
            note="Market engagement held",
            author=commissioner,
            noted_on=date(2026, 2, 1),
            new_status=Action.Status.IN_PROGRESS,
        )
    with time_machine.travel(datetime(2026, 10, 20, 9, tzinfo=UTC), tick=False):
        action_record_progress(
            action=action, note="Framework awarded", author=commissioner, new_status=Action.Status.COMPLETE
        )
        action.refresh_from_db()
        action.description = "Re-tender the IFA framework (South Central)"
        action_save(action=action, user=commissioner)

    context = section_context(**Q4)
    [row] = context["overdue_actions"]
    assert (row.status, row.latest_note, row.description) == (
        "in_progress",
        "Market engagement held",
        "Re-tender the IFA framework (South Central)",
    )
    html = _render(context)
    assert "1 action is overdue" in html and "IN PROGRESS (overdue)" in html
    assert "Framework awarded" not in html and "COMPLETE" not in html


def test_an_action_typed_in_later_takes_its_status_at_the_day_from_its_dated_notes(commissioner):
    action = ActionFactory(
        subject="Sufficiency",
        description="Publish the sufficiency statement",
        due_on=date(2026, 6, 30),
        status=Action.Status.YET_TO_COMMENCE,
    )
    action_record_progress(
        action=action,
        note="Data gathered",
        author=commissioner,
        noted_on=date(2026, 2, 10),
        new_status=Action.Status.IN_PROGRESS,
    )
    action_record_progress(
        action=action,
        note="Published",
        author=commissioner,
        noted_on=date(2026, 7, 1),
        new_status=Action.Status.COMPLETE,
    )
    later = ActionFactory(
        subject="Sufficiency",
        description="Review the statement",
        due_on=date(2026, 1, 31),
        status=Action.Status.YET_TO_COMMENCE,
    )
    action_record_progress(
        action=later,
        note="Review started",
        author=commissioner,
        noted_on=date(2026, 5, 2),
        new_status=Action.Status.IN_PROGRESS,
    )

    context = section_context(**Q4)
    rows = {a.description: a for group in context["groups"].values() for a in group}
    assert rows["Publish the sufficiency statement"].status == "in_progress"
    assert rows["Publish the sufficiency statement"].latest_note == "Data gathered"
    assert rows["Review the statement"].status == "yet_to_commence" and rows["Review the statement"].is_overdue
    assert context["counts"]["complete"] == 0 and context["completed_in_period"] == 0
    html = _render(context)
    assert "Published" not in html and "Review started" not in html and "No update recorded" in html
