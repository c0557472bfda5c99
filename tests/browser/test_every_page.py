"""Every page an administrator can open, on the demo data, in a real browser: axe-core reports
no WCAG 2.2 A/AA violations, and every page has one h1 and a title naming the council."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.roles import ADMINISTRATOR, COMMITTEE_OFFICER
from tests.test_permission_matrix import _declared_cases

from .conftest import axe_violations, sign_in


@pytest.fixture
def demo_data(transactional_db):
    from django.apps import apps

    from placements.reference import load_codes

    load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


# The administrator sees every page; the committee officer sees the aggregate, suppressed versions.
@pytest.mark.parametrize("role", [ADMINISTRATOR, COMMITTEE_OFFICER])
def test_every_page_is_accessible_on_the_demo_data(demo_data, page, live_server, role_user, role):
    user = role_user(role)
    client = Client()
    client.force_login(user)
    pages = []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        if expected[role] != 200:
            continue
        url = reverse(name, kwargs=kwargs or None)
        response = client.get(url)
        is_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if is_page and response.content.lstrip().startswith(b"<!DOCTYPE html>"):  # not an htmx fragment
            pages.append((name, url))
    assert len(pages) > 20, pages

    sign_in(page, live_server, user.username)
    problems = []
    for name, url in pages:
        response = page.goto(f"{live_server.url}{url}")
        if response.status != 200:
            problems.append(f"{name} {url}: HTTP {response.status}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{name} {url}: {page.locator('h1').count()} h1 elements")
        if "Example Borough Council" not in page.title():
            problems.append(f"{name} {url}: title {page.title()!r}")
        problems += [f"{name} {url}: {v}" for v in axe_violations(page)]
    assert not problems, f"{len(pages)} pages checked:\n" + "\n".join(problems)


FORM_PAGE_WORDS = ("add", "new", "edit", "create", "record", "import", "decide", "cost")


def test_every_form_shows_an_accessible_error_summary_when_sent_empty(demo_data, page, live_server, role_user):
    admin = role_user(ADMINISTRATOR)
    sign_in(page, live_server, admin.username)
    problems, with_errors = [], []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        if expected[ADMINISTRATOR] != 200 or not any(word in name for word in FORM_PAGE_WORDS):
            continue
        url = reverse(name, kwargs=kwargs or None)
        page.goto(f"{live_server.url}{url}")
        form = page.locator("main form[method=post]").last
        if form.count() == 0:
            continue
        for field in form.locator("input[type=text], input[type=date], input:not([type]), textarea").all():
            if field.is_visible():
                field.fill("")
        form.locator("button[type=submit], button:not([type])").last.click()
        page.wait_for_load_state()
        if page.locator(".govuk-error-summary").count() == 0:
            continue
        with_errors.append(name)
        if not page.title().startswith("Error:"):
            problems.append(f"{name} {url}: title should start 'Error:' but is {page.title()!r}")
        links = page.locator(".govuk-error-summary a").all()
        for link in links:
            target = (link.get_attribute("href") or "").lstrip("#")
            if target and page.locator(f"[id='{target}']").count() == 0:
                problems.append(f"{name} {url}: error summary links to #{target}, which is not on the page")
        problems += [f"{name} {url}: {v}" for v in axe_violations(page)]
    assert len(with_errors) >= 8, with_errors
    assert not problems, f"forms checked: {with_errors}\n" + "\n".join(problems)
