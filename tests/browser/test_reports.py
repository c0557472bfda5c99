"""A committee officer builds a report, watches it complete (htmx polling) and downloads the PDF."""

from unittest import mock

import pytest
from playwright.sync_api import expect

from core.roles import COMMISSIONER, COMMITTEE_OFFICER
from plans.tests.factories import ActionFactory, PriorityFactory, StrategyFactory
from reports.models import ReportRun
from reports.services import report_run_execute
from tests.pdf import pdf_text

pytestmark = pytest.mark.browser


def test_committee_officer_builds_watches_and_downloads_a_report(
    signed_in_page, live_server, assert_accessible, tmp_path
):
    ActionFactory(subject="Sufficiency", description="Refresh the sufficiency statement")
    page = signed_in_page(COMMITTEE_OFFICER)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Build a report").click()
    assert_accessible(page)
    page.get_by_label("Action plan progress report").check(force=True)  # GOV.UK radios: the label covers the input
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Build report")).to_be_visible()  # the kind's form, not the page before
    assert_accessible(page)
    # The worker is not running in this test: the build is queued, and run below by hand.
    with mock.patch("reports.tasks.report_build.apply_async"):
        page.get_by_role("button", name="Build report").click()
        page.wait_for_load_state()
    run = ReportRun.objects.get()
    row = page.locator(f"#run-{run.pk}")
    expect(row).to_contain_text("Queued")
    assert_accessible(page)

    report_run_execute(run_id=run.pk)
    expect(row).to_contain_text("Complete", timeout=10_000)  # htmx polled the row
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = pdf_text(target)
    assert "Refresh the sufficiency statement" in text


def test_commissioner_dashboard_strategy_and_action_plan_are_accessible(signed_in_page, live_server, assert_accessible):
    strategy = StrategyFactory(title="Children's commissioning strategy")
    PriorityFactory(strategy=strategy, number=1, title="Place children closer to home")
    ActionFactory(subject="Tenders", description="Prepare the fostering framework tender", due_on="2020-01-01")
    page = signed_in_page(COMMISSIONER)
    expect(page.locator("#needs-attention")).to_contain_text("Actions overdue")
    assert_accessible(page)
    page.locator("[data-item=actions_overdue] [data-count=team] a").click()
    expect(page.locator("#action-summary")).to_contain_text("1 action")
    assert_accessible(page)
    page.get_by_role("link", name="commissioning strategy and its priorities").click()
    page.get_by_role("link", name="Children's commissioning strategy").first.click()
    expect(page.locator("h3")).to_contain_text("1. Place children closer to home")
    assert_accessible(page)
