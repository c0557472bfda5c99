"""Contracts in the browser: the register, a contract page, recording a decision and the create form's
error summary, each checked by axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from commissioning.roles import COMMISSIONER, VIEWER

pytestmark = pytest.mark.browser


@pytest.fixture
def contracts(transactional_db):
    from contracts.tests.factories import ContractFactory, FrameworkFactory, MembershipFactory, ReviewFactory

    today = timezone.localdate()
    framework = FrameworkFactory(name="Regional fostering framework")
    soon = ContractFactory(reference="BR-001", title="Independent fostering placements", framework=framework,
                           start_date=date(2024, 4, 1), end_date=today + timedelta(days=60), service_area="fostering")
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
