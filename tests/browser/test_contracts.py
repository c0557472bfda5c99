"""Contracts in the browser: the register, a contract page, recording a decision and the create form's
error summary, each checked by axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.roles import COMMISSIONER, VIEWER
from tests.browser.conftest import fill_date

pytestmark = pytest.mark.browser


@pytest.fixture
def contracts(transactional_db):
    from contracts.tests.factories import ContractFactory, FrameworkFactory, MembershipFactory, ReviewFactory

    today = timezone.localdate()
    framework = FrameworkFactory(name="Regional fostering framework")
    soon = ContractFactory(reference="BR-001", title="Independent fostering placements", framework=framework,
                           start_date=date(2024, 4, 1), end_date=today + timedelta(days=60),
                           service_area_id="fostering")
    ReviewFactory(contract=soon, findings="Placement stability good")
    MembershipFactory(framework=framework, provider=soon.provider, tier=1)
    ContractFactory(reference="BR-002", title="Supported accommodation", end_date=today + timedelta(days=700))
    return soon


def test_register_filters_and_contract_page(signed_in_page, live_server, assert_accessible, contracts):
    page = signed_in_page(VIEWER)
    page.goto(f"{live_server.url}/contracts/")
    assert page.locator("h1").inner_text() == "Contracts register"
    assert_accessible(page)
    page.get_by_label("Alert").select_option("decision_due")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    rows = page.get_by_role("table", name="Contracts register").locator("tbody tr")
    assert rows.count() == 1 and "BR-001" in rows.first.inner_text()
    page.get_by_role("link", name="BR-001").click()
    page.wait_for_load_state()
    assert "Independent fostering placements" in page.locator("h1").inner_text()
    assert "Placement stability good" in page.content()
    assert_accessible(page)
    for path in ["due/", "providers/", "frameworks/", "pipeline/", f"providers/{contracts.provider_id}/",
                 f"frameworks/{contracts.framework_id}/", "open-data/"]:
        page.goto(f"{live_server.url}/contracts/{path}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_commissioner_records_a_decision_and_sees_form_errors(signed_in_page, live_server, assert_accessible,
                                                              contracts):
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/contracts/{contracts.pk}/decision/")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert "Select what will happen at the end of the contract" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.locator("label", has_text="Re-procure").click()  # GOV.UK radios: the label covers the input
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert "Decision recorded for BR-001: re-procure" in page.content()

    page.goto(f"{live_server.url}/contracts/new/")
    assert_accessible(page)
    page.get_by_label("Reference").fill("BR-003")
    page.get_by_label("Extension options").fill("12 then 12")
    page.get_by_role("button", name="Save contract").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the contract title" in summary and "Extension options must be months separated by +" in summary
    assert_accessible(page)


def test_commissioner_plans_a_procurement_and_manages_framework_providers(signed_in_page, live_server,
                                                                         assert_accessible, contracts):
    from contracts.tests.factories import ProviderFactory

    ProviderFactory(name="Harbour Fostering")
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/contracts/pipeline/")
    page.get_by_role("link", name="Add a planned procurement").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Title").fill("Edge of care family support")
    page.get_by_label("Service area").select_option("early_help")
    page.get_by_label("Estimated whole-life value").fill("£1,800,000")
    fill_date(page, "Procurement starts", "01/06/2027")
    fill_date(page, "Contract award", "01/05/2027")
    page.locator("label", has_text="Yes, approved").click()
    page.get_by_role("button", name="Save procurement").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The contract award date must be the same as or after the procurement starts" in summary
    assert "Enter the date the key decision was approved" in summary
    assert_accessible(page)
    fill_date(page, "Contract award", "01/09/2027")
    page.locator("label", has_text="Yes, awaiting approval").click()
    page.get_by_label("Approving body").fill("Cabinet")
    page.get_by_role("button", name="Save procurement").click()
    page.wait_for_load_state()
    assert "Procurement added to the pipeline: Edge of care family support" in page.content()
    assert page.get_by_role("table", name="Key decisions").get_by_text("Awaiting approval").count() == 1

    page.goto(f"{live_server.url}/contracts/frameworks/{contracts.framework_id}/")
    page.get_by_role("link", name="Add a provider").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Provider").select_option(label="Harbour Fostering")
    page.get_by_label("Tier").fill("2")
    page.get_by_label("Agreed weekly price (£)").fill("£1,025.50")
    page.get_by_role("button", name="Add provider").click()
    page.wait_for_load_state()
    members = page.get_by_role("table", name="Providers on Regional fostering framework")
    assert "Harbour Fostering added to Regional fostering framework" in page.content()
    assert "£1,025.50" in members.inner_text()
    page.get_by_role("link", name="Remove Harbour Fostering").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Remove provider").click()
    page.wait_for_load_state()
    assert "Harbour Fostering removed from Regional fostering framework" in page.content()
    assert "Harbour Fostering" not in members.inner_text()


def test_commissioner_adds_then_edits_a_provider(signed_in_page, live_server, assert_accessible, contracts):
    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/contracts/providers/")
    page.get_by_role("link", name="Add a provider").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Name").fill("Little Oaks Children's Homes")
    page.get_by_label("Companies House number").fill("1234ABCD")
    page.get_by_label("Ofsted rating").select_option("good")
    page.get_by_role("button", name="Save provider").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the Companies House number as 8 characters" in summary
    assert "Enter the Ofsted URN, or remove the rating" in summary
    assert_accessible(page)
    page.get_by_label("Companies House number").fill("1234567")
    page.get_by_label("Ofsted URN").fill("sc 401234")
    page.get_by_role("button", name="Save provider").click()
    page.wait_for_load_state()
    assert "Provider added: Little Oaks Children's Homes" in page.content()
    assert "01234567" in page.content() and "SC401234" in page.content()
    page.get_by_role("link", name="Edit provider").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Status").select_option("suspended")
    page.get_by_role("button", name="Save provider").click()
    page.wait_for_load_state()
    assert "Provider updated: Little Oaks Children's Homes" in page.content()
    assert "Suspended (no new placements)" in page.content()


def test_register_pages_on_to_the_last_contract_and_fits_a_phone(signed_in_page, live_server, assert_accessible,
                                                                 transactional_db):
    from contracts.tests.factories import ContractFactory

    today = timezone.localdate()
    for n in range(50):
        ContractFactory(reference=f"PG-{n:03d}", end_date=today + timedelta(days=100 + n))
    for n, days in enumerate((402, 251, 98)):
        ContractFactory(reference=f"STALE-{n}", status="live", start_date=date(2020, 4, 1), extension_options="",
                        end_date=today - timedelta(days=days))
    page = signed_in_page(VIEWER)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/contracts/?risk=medium")
        assert page.get_by_text("Showing 1 to 50 of 53 contracts").is_visible()
        first = page.get_by_role("table", name="Contracts register").locator("tbody tr").first
        assert "STALE-0" in first.inner_text() and "Ended: no decision" in first.inner_text()
        assert_accessible(page)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"the page is {scroll}px wide at {width}px"
        page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next").click()
        page.wait_for_load_state()
        assert "risk=medium" in page.url and "page=2" in page.url
        assert page.get_by_text("Showing 51 to 53 of 53 contracts").is_visible()
        rows = page.get_by_role("table", name="Contracts register").locator("tbody tr")
        assert "PG-049" in rows.last.inner_text()
        assert_accessible(page)
