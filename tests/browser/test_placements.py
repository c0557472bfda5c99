"""Placements pages in a real browser, checked by axe-core (WCAG 2.2 A/AA)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import COMMITTEE_OFFICER, PLACEMENTS_OFFICER

pytestmark = pytest.mark.browser


@pytest.fixture
def placements_data(transactional_db):
    from django.apps import apps

    from placements.reference import load_codes
    from placements.tests.factories import (
        AgreementFactory,
        CostLineFactory,
        PanelReviewFactory,
        PlacementFactory,
    )

    load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables
    today = timezone.localdate()
    placements = []
    for i in range(8):
        placement = PlacementFactory(start=today - timedelta(days=40 + 30 * i), placement_type="K2" if i % 3 == 0
                                     else "U4", provider_kind="PR4", route="spot" if i % 2 else "framework",
                                     distance_miles=Decimal(5 + 6 * i))
        CostLineFactory(placement=placement, weekly_amount=Decimal(900 + 400 * i))
        if i % 2:
            AgreementFactory(placement=placement, status="drafted", drafted_on=placement.start)
        PanelReviewFactory(placement=placement, due_on=today + timedelta(days=i))
        placements.append(placement)
    return placements


def test_placements_officer_works_through_the_pages(signed_in_page, live_server, assert_accessible,
                                                    placements_data):
    page = signed_in_page(PLACEMENTS_OFFICER)
    page.goto(f"{live_server.url}/placements/")
    assert page.locator("#looked-after").inner_text() == "8"
    assert page.locator("svg[role=img]").count() >= 2
    assert_accessible(page)
    page.get_by_role("link", name="IPAs not signed (8)").click()
    page.wait_for_load_state()
    assert page.locator("#ipa-queue tbody tr").count() == 8
    assert_accessible(page)
    page.goto(f"{live_server.url}/placements/list/?over_20_miles=on")
    assert "5 placements shown" in page.locator("#placement-total").inner_text()
    assert_accessible(page)
    page.locator("#placement-total ~ div table tbody a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Child ")
    assert_accessible(page)
    page.goto(f"{live_server.url}/placements/panel-reviews/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/placements/{placements_data[0].pk}/costs/add/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_committee_officer_sees_suppressed_aggregates_only(signed_in_page, live_server, assert_accessible,
                                                         placements_data):
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/placements/")
    assert page.locator("#looked-after").inner_text() == "8"
    assert "[c]" in page.locator("#by-type").inner_text()
    assert page.get_by_role("link", name="All placements").count() == 0
    assert_accessible(page)


@pytest.fixture
def codes(transactional_db):
    from django.apps import apps

    from placements.reference import load_codes

    load_codes(lambda name: apps.get_model("placements", name))


def test_officer_loads_a_return_then_a_corrected_one(signed_in_page, live_server, assert_accessible, codes,
                                                    tmp_path):
    from placements.tests.test_import_903 import EPISODES, HEADER

    header, episodes = tmp_path / "header.csv", tmp_path / "episodes.csv"
    header.write_text(HEADER)
    episodes.write_text(EPISODES)
    page = signed_in_page(PLACEMENTS_OFFICER)

    def rows(table):
        return [[cell.inner_text() for cell in row.locator("th, td").all()]
                for row in page.locator(f"{table} tbody tr").all()]

    def upload():
        """Upload both files; the worker's check runs at once in tests. What the import would do."""
        page.goto(f"{live_server.url}/placements/import/903/")
        page.get_by_label("Header file").set_input_files(str(header))
        page.get_by_label("Episodes file").set_input_files(str(episodes))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_load_state()
        return rows("#changes")

    def confirm():
        page.get_by_role("button", name="Import the return").click()
        page.wait_for_load_state()
        return rows("#import-result")

    assert upload()[1] == ["Placements", "3", "0", "0"]
    assert_accessible(page)
    assert confirm()[1] == ["Placements", "3", "0", "0"]
    assert page.get_by_role("link", name="100001").is_visible()
    assert_accessible(page)
    episodes.write_text("\n".join(line for line in EPISODES.splitlines() if not line.startswith("100001,15/09/2024")))
    assert upload()[1:] == [["Placements", "0", "0", "1"], ["Episodes", "0", "0", "1"]]
    assert page.locator("#removed-placements").inner_text() == "100001 from 15/09/2024 (K2)"
    confirm()  # without confirming the removal apart: refused, with the error summary linking to the box
    page.locator(".govuk-error-summary a", has_text="Confirm that the placements listed").click()
    assert_accessible(page)
    page.get_by_label("Yes, remove the 1 placement listed above").check()
    assert confirm()[1:] == [["Placements", "0", "0", "1"], ["Episodes", "0", "0", "1"]]
    assert page.locator("#removed-placements").inner_text() == "100001 from 15/09/2024 (K2)"
    assert_accessible(page)
