"""No lost work in the browser: the report form keeps a draft of what is typed, restores it after a reload or
a refused submission (the CSRF page), and forgets it when discarded or when the report is requested."""

from unittest import mock

import pytest
from playwright.sync_api import expect

from core.roles import COMMITTEE_OFFICER
from reports.models import ReportRun
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser

BANNER = "We restored what you typed earlier"


def drafts_in_browser(page) -> dict:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('draft:'))"
        ".map(k => [k, localStorage.getItem(k)]))"
    )


def test_the_report_form_restores_what_was_typed_until_it_is_discarded(signed_in_page, live_server,
                                                                      assert_accessible):
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    expect(page.get_by_text(BANNER)).to_have_count(0)
    page.get_by_label("Title (optional)", exact=True).fill("Action plan for the March committee")

    page.reload()
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text(BANNER)
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("Action plan for the March committee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan progress report")
    assert_accessible(page)
    (key, saved), = drafts_in_browser(page).items()
    user_id = page.evaluate("() => document.body.dataset.userId")
    assert key == f"draft:{user_id}:/reports/new/?kind=actions"  # the kind is chosen on the page before
    assert "csrfmiddlewaretoken" not in saved and "Action plan for the March committee" in saved

    banner.get_by_role("button", name="Discard").click()
    expect(page.get_by_text(BANNER)).to_have_count(0)
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("")
    assert drafts_in_browser(page) == {}
    page.reload()
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("")
    expect(page.get_by_text(BANNER)).to_have_count(0)


def test_a_form_refused_after_signing_in_again_elsewhere_keeps_what_was_typed(signed_in_page, live_server,
                                                                             role_user, assert_accessible):
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    page.get_by_label("Title (optional)", exact=True).fill("Typed before signing in again")

    # In another tab, the same person signs out and in again: the open form's CSRF token is now stale.
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/")
    other_tab.get_by_role("button", name="Sign out").click()
    sign_in(other_tab, live_server, role_user(COMMITTEE_OFFICER).username)
    other_tab.close()

    page.get_by_role("button", name="Build report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form was not sent")
    expect(page.locator("main")).to_contain_text("you signed in again in another tab or window")
    expect(page.locator(".govuk-header")).to_be_visible()
    assert_accessible(page)
    assert ReportRun.objects.count() == 0

    page.get_by_role("link", name="Go back to the page you were on").click()
    expect(page.get_by_role("region", name="Important")).to_contain_text(BANNER)
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("Typed before signing in again")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan progress report")

    with mock.patch("reports.tasks.report_build.apply_async"):
        page.get_by_role("button", name="Build report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Committee reports")
    assert ReportRun.objects.get().title == "Typed before signing in again"
    # drafts.js clears the draft once the page after the redirect has run it (a module script, after the heading).
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('draft:'))", timeout=15000)
    assert drafts_in_browser(page) == {}, "the report was requested: the draft is gone"
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("")
    expect(page.get_by_text(BANNER)).to_have_count(0)


def test_a_session_that_ended_loses_nothing_and_another_person_never_sees_the_draft(
    signed_in_page, live_server, role_user, django_user_model
):
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    page.get_by_label("Title (optional)", exact=True).fill("Typed before the session ended")

    # The sign-in ends while the form is open (the day is over, or idle): sending it leads to the sign-in page.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Build report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert ReportRun.objects.count() == 0

    # Someone else signs in on this browser: the form is theirs to fill, without the first person's draft.
    other = django_user_model.objects.create_user(username="second_officer", password=PASSWORD)
    other.groups.set(role_user(COMMITTEE_OFFICER).groups.all())
    sign_in(page, live_server, "second_officer")
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("")
    expect(page.get_by_text(BANNER)).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # The first person signs in again and finds what they typed.
    sign_in(page, live_server, role_user(COMMITTEE_OFFICER).username)
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    expect(page.get_by_role("region", name="Important")).to_contain_text(BANNER)
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("Typed before the session ended")


def test_a_form_shown_again_with_errors_shows_what_was_sent_and_no_banner(signed_in_page, live_server):
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/reports/new/?kind=actions")
    page.get_by_label("Title (optional)", exact=True).fill("Sent with a mistake")
    page.get_by_label("This is a key decision").check(force=True)
    page.get_by_role("button", name="Build report").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the forward plan reference")
    expect(page.get_by_label("Title (optional)", exact=True)).to_have_value("Sent with a mistake")
    expect(page.get_by_text(BANNER)).to_have_count(0)
    assert len(drafts_in_browser(page)) == 1, "kept until the report is accepted"

    # The error summary's link adds #id_... to the address; the draft still goes once the report is accepted.
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter the forward plan reference").click()
    page.get_by_label("Forward plan reference (optional)", exact=True).fill("FP/2026/12")
    with mock.patch("reports.tasks.report_build.apply_async"):
        page.get_by_role("button", name="Build report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Committee reports")
    assert ReportRun.objects.get().title == "Sent with a mistake"
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('draft:'))", timeout=15000)
    assert drafts_in_browser(page) == {}
