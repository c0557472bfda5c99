"""Every form an administrator may open, sent empty in a real browser on the demo data: the error summary is
accessible (a title starting "Error:", links to fields that are on the page, no WCAG 2.2 A/AA violations).

Apart from the walk through every page, which shares one load of the demo data: these posts may write."""

from django.urls import reverse

from core.roles import ADMINISTRATOR
from tests.test_permission_matrix import _declared_cases

from .conftest import axe_violations, sign_in

FORM_PAGE_WORDS = ("add", "new", "edit", "create", "record", "import", "decide", "cost")


def test_every_form_shows_an_accessible_error_summary_when_sent_empty(demo_data, page, live_server, role_user):
    admin = role_user(ADMINISTRATOR)
    sign_in(page, live_server, admin.username)
    problems, with_errors = [], []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        if expected[ADMINISTRATOR] != 200 or not any(word in name for word in FORM_PAGE_WORDS):
            continue
        url = reverse(name, kwargs=kwargs or None)
        if not page.request.get(f"{live_server.url}{url}").headers.get("content-type", "").startswith("text/html"):
            continue  # a download (a template file to fill in), not a form
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
