"""A committee officer builds two reports for the same meeting, at desktop and phone widths: which report first,
then only its questions; the second report's front sheet is already filled in; the report is then copied as
another kind. Prints the pages, boxes, clicks and seconds each report took (the figures for the task)."""

import time
from unittest import mock

import pytest
from playwright.sync_api import expect

from core.roles import COMMITTEE_OFFICER
from plans.tests.factories import CommitteeFactory, MeetingFactory
from reports.models import ReportRun

pytestmark = pytest.mark.browser

FRONT_SHEET = {
    "agenda_item": "7", "lead_officer": "Sam Patel, Head of Commissioning",
    "lead_officer_contact": "01234 567890, sam.patel@example.gov.uk",
    "portfolio_holder": "Cllr Gavin, Children's Services", "wards_affected": "All wards",
}
VISIBLE_BOXES = """() => Array.from(document.querySelectorAll('main form :is(input, select, textarea)'))
  .filter(e => e.type !== 'hidden' && e.getClientRects().length > 0).length"""


def build(page, live_server, *, kind_label, meeting, type_front_sheet):
    """One report, as a person does it, from the reports page; returns what it took (pages: loaded after it)."""
    start, clicks, typed, pages = time.monotonic(), 0, 0, 0
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Build a report").click()
    clicks, pages = clicks + 1, pages + 1
    page.get_by_label(kind_label).check(force=True)  # GOV.UK radios: the label covers the input
    page.get_by_label("Committee meeting").select_option(str(meeting.pk))
    page.get_by_role("button", name="Continue").click()
    clicks, pages = clicks + 3, pages + 1
    expect(page.get_by_role("heading", level=1)).to_have_text(kind_label)
    boxes = page.evaluate(VISIBLE_BOXES)
    height = page.evaluate("document.documentElement.scrollHeight")
    if type_front_sheet:
        for name, value in FRONT_SHEET.items():
            page.locator(f"#id_{name}").fill(value)
            clicks, typed = clicks + 1, typed + 1
    else:
        expect(page.locator("#id_lead_officer")).to_have_value(FRONT_SHEET["lead_officer"])
        expect(page.locator("#id_agenda_item")).to_have_value(FRONT_SHEET["agenda_item"])
    with mock.patch("reports.tasks.report_build.apply_async"):
        page.get_by_role("button", name="Build report").click()
        clicks, pages = clicks + 1, pages + 1
        page.wait_for_load_state()
        # For a meeting, the executive summary drafted from the figures is shown to check before it is built.
        if page.locator(".govuk-error-summary").count():
            if not type_front_sheet:  # remembered: the front sheet is complete; the summary and background are not
                for label in ("agenda item", "lead officer", "portfolio holder", "wards affected"):
                    expect(page.locator(".govuk-error-summary")).not_to_contain_text(label)
            if page.locator("#id_confirm_not_set").count():
                page.get_by_label("Build it anyway, as warned above").check(force=True)
                clicks += 1
            page.get_by_role("button", name="Build report").click()
            clicks, pages = clicks + 1, pages + 1
        expect(page.get_by_role("heading", level=1)).to_have_text("Committee reports")
    return {"pages": pages, "boxes": boxes, "height": height, "clicks": clicks, "typed": typed,
            "seconds": round(time.monotonic() - start, 1)}


def test_two_reports_for_one_meeting_then_a_copy_as_another_kind(signed_in_page, live_server, assert_accessible):
    page = signed_in_page(COMMITTEE_OFFICER)
    # Both widths in one test: the live server's database is emptied once, not once a width.
    for width, committee in ((1280, "Children and Families Committee"), (390, "Corporate Parenting Panel")):
        walk(page, live_server, assert_accessible, width, MeetingFactory(committee=CommitteeFactory(name=committee)))


def walk(page, live_server, assert_accessible, width, meeting):
    page.set_viewport_size({"width": width, "height": 900})
    first = build(page, live_server, kind_label="Action plan progress report", meeting=meeting,
                  type_front_sheet=True)
    second = build(page, live_server, kind_label="Contracts report", meeting=meeting, type_front_sheet=False)
    for n, figures in enumerate((first, second), start=1):
        print(f"AFTER width={width} report={n} " + " ".join(f"{k}={v}" for k, v in figures.items()))
    assert second["typed"] == 0 and second["clicks"] < first["clicks"]
    runs = list(ReportRun.objects.filter(meeting=meeting).order_by("pk"))
    assert [r.kind for r in runs] == ["actions", "contracts"]
    assert runs[1].lead_officer == FRONT_SHEET["lead_officer"] and runs[1].not_set == ["Background"]

    # The list says which report, for which meeting, for which quarter.
    row = page.locator(f"#run-{runs[1].pk}")
    expect(row).to_contain_text("Contracts report")
    expect(row).to_contain_text(meeting.committee.name)
    expect(row).to_contain_text("Q2 (July to September")
    expect(row).to_contain_text("Queued")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"

    # Its page: sections by title, and a copy as another kind starts from it.
    row.get_by_role("link", name="Contracts report").first.click()
    expect(page.locator("#report-sections")).not_to_contain_text("contracts")
    expect(page.locator("#run-status")).to_contain_text("Queued")
    assert_accessible(page)
    page.locator("#copy-as").get_by_role("link", name="Placements and sufficiency report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Placements and sufficiency report")
    expect(page.locator("#id_portfolio_holder")).to_have_value(FRONT_SHEET["portfolio_holder"])
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the form scrolls sideways"
