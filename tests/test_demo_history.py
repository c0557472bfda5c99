"""Every record the demo makes has its creation in its history, and a record with no history says so."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from contracts.models import Contract
from core.roles import ADMINISTRATOR
from placements.models import Placement
from plans.models import Action, ActionUpdate, Meeting, Priority, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="history-admin", password="x-test-password-1",
                                                 is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    client.force_login(user)
    return client


def test_after_seed_demo_every_kind_of_record_shows_its_history(admin_client, settings, tmp_path,
                                                               django_capture_on_commit_callbacks):
    # As `make run` loads it with no email settings: the demo's alert email goes to a file, not the terminal.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    assert "Subject:" not in out.getvalue() and "Ofsted judgement downgraded" not in out.getvalue()
    assert f"Emails are written to files in {tmp_path}/, not sent." in out.getvalue()
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert "Subject: Provider alert: Ofsted judgement downgraded" in written
    for model in (Action, ActionUpdate, Meeting, Priority, Strategy, Contract, Placement):
        without = model.objects.exclude(pk__in=model.history.values("id"))
        assert model.objects.exists() and not without.exists(), f"a demo {model.__name__} has no history"
    for obj in (Action.objects.first(), Strategy.objects.first(), Contract.objects.first(),
                Placement.objects.first()):
        url = reverse("record_history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
        html = admin_client.get(url).content.decode()
        assert "Record created" in html, url
        assert "No changes have been recorded" not in html


def test_a_record_with_no_history_shows_an_empty_history(admin_client):
    from plans.tests.factories import ActionFactory

    action = ActionFactory()
    action.history.all().delete()  # as a record made by bulk_create without history rows
    response = admin_client.get(reverse("record_history", args=["plans", "action", action.pk]))
    assert response.status_code == 200
    assert "No changes have been recorded for this action." in response.content.decode()
