"""No lost work: a form refused by the CSRF check answers with a page in the service's look that says what to do;
long forms keep a draft in the browser (static/js/drafts.js), never a form about a child."""

import logging
import re
from pathlib import Path

import pytest
from django.test import Client

from core.roles import COMMITTEE_OFFICER

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "test-password-123"


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_a_form_left_open_across_a_sign_in_gets_the_service_page_that_says_what_to_do(make_user, caplog):
    make_user(COMMITTEE_OFFICER)
    tab = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.9")
    sign_in = tab.get("/sign-in/").content.decode()
    tab.post("/sign-in/", {"username": "committee_officer", "password": PASSWORD,
                           "csrfmiddlewaretoken": _token(sign_in)})
    form_page = tab.get("/reports/new/").content.decode()
    old_token = _token(form_page)
    # Signed out and in again in another tab: the CSRF token changes, the open form still carries the old one.
    tab.post("/sign-out/", {"csrfmiddlewaretoken": old_token})
    sign_in = tab.get("/sign-in/").content.decode()
    tab.post("/sign-in/", {"username": "committee_officer", "password": PASSWORD,
                           "csrfmiddlewaretoken": _token(sign_in)})

    caplog.set_level(logging.INFO)
    caplog.clear()
    response = tab.post("/reports/new/", {"csrfmiddlewaretoken": old_token, "title": "Quarter 2 performance"},
                        HTTP_REFERER="http://testserver/reports/new/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "govuk-header" in page and "Example Borough Council" in page, "the service's own look"
    assert "Committee Tester" in page, "still signed in, as the header shows"
    assert "<title>Your form was not sent" in page
    assert "you signed in again in another tab or window" in page
    assert "Reload the page." in page and "send the form again" in page
    assert "keep a draft of what you type in this browser" in page
    assert '<a class="govuk-link" href="http://testserver/reports/new/">Go back to the page you were on</a>' in page
    assert "CSRF verification failed" not in page
    refusals = [r for r in caplog.records if "/reports/new/" in r.getMessage()]
    assert len(refusals) == 1, [r.getMessage() for r in caplog.records]
    assert refusals[0].getMessage().startswith("Forbidden (CSRF token")
    assert refusals[0].exc_info is None


@pytest.mark.django_db
def test_the_csrf_page_links_only_back_into_the_service():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "x", "password": "y"}, HTTP_REFERER="https://elsewhere.example/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "elsewhere.example" not in page
    assert '<a class="govuk-link" href="/">Go back to the page you were on</a>' in page


KEEP_DRAFT = [
    "reports/templates/reports/report_request.html",
    "kpis/templates/kpis/measurement_form.html",
    "kpis/templates/kpis/commentary_form.html",
    "contracts/templates/contracts/contract_form.html",
]


@pytest.mark.parametrize("template", KEEP_DRAFT)
def test_long_forms_keep_a_draft(template):
    assert "data-keep-draft" in (ROOT / template).read_text()


def test_no_form_about_a_child_keeps_a_draft_in_the_browser():
    templates = list((ROOT / "placements").rglob("*.html"))
    assert templates, "the placements templates were found"
    marked = [str(t.relative_to(ROOT)) for t in templates if "data-keep-draft" in t.read_text()]
    assert not marked, f"child-level data must never be stored in the browser: {marked}"


@pytest.mark.django_db
def test_drafts_are_kept_per_signed_in_person(committee_client, committee_officer):
    page = committee_client.get("/reports/new/?kind=actions").content.decode()  # the form after choosing the report
    assert f'data-user-id="{committee_officer.pk}"' in page
    assert "/static/js/drafts.js" in page
    assert re.search(r"<form [^>]*data-keep-draft", page)
    committee_client.logout()
    assert "data-user-id" not in Client().get("/sign-in/").content.decode(), "no drafts without a signed-in person"


@pytest.mark.django_db
def test_a_sign_in_lasts_a_working_day_however_active_and_idle_time_ends_it_sooner(client, make_user, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    make_user(COMMITTEE_OFFICER)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.post("/sign-in/", {"username": "committee_officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
        for minutes in range(20, 8 * 60, 20):  # busy all day, never idle for 30 minutes
            clock.move_to(start + timedelta(minutes=minutes))
            assert client.get("/reports/").status_code == 200, f"still signed in after {minutes} minutes"
        clock.move_to(start + timedelta(hours=8, minutes=1))
        response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/reports/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you signed in more than 8 hours ago. Sign in again to carry on." in page
    assert client.get("/reports/").status_code == 302

    with time_machine.travel(start + timedelta(days=1), tick=False) as clock:
        client.post("/sign-in/", {"username": "committee_officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
        assert client.get("/reports/").status_code == 200, "a new sign-in starts a new day"
        clock.move_to(start + timedelta(days=1, minutes=31))
        response = client.get("/reports/")
    assert response.status_code == 302
    assert "you had done nothing for 30 minutes" in client.get(response["Location"]).content.decode()
