"""Placements pages in a real browser, checked by axe-core (WCAG 2.2 A/AA)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.roles import COMMITTEE_OFFICER, PLACEMENTS_OFFICER

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
