"""One figure, one value: the demo's last closed quarter, built as a committee officer would build it, prints each
KPI's value as the KPI's page shows it for that period, and a figure printed in two sections prints the same.

The demo data is loaded once for the module, with the clock at a fixed day (its figures are relative to today).
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from core.periods import Quarter
from core.roles import COMMITTEE_OFFICER
from kpis.reports import section_context as kpi_section
from placements import selectors as placements_selectors
from placements.reports import section_context as placements_section
from reports.build import build_pdf
from reports.services import report_run_request
from reports.tests.demo import demo_data_at
from tests.pdf import pdf_text

# One test process runs the module, so that its module-scoped build happens once, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("report-one-figure")]

BUILT_ON = datetime(2026, 10, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))
QUARTER = Quarter.parse("2026-Q2")  # July to September 2026, the last quarter closed on BUILT_ON


@pytest.fixture(scope="module")
def demo_pack(django_db_setup, django_db_blocker):
    """The pack's text, each KPI row the performance section printed, the placements section's context and, for
    each KPI, the value its page shows for the row's period (as a committee officer sees it)."""
    with django_db_blocker.unblock(), demo_data_at(BUILT_ON):
        run = report_run_request(kind="pack", period=QUARTER.code, requested_by=None, queue=False)
        text = pdf_text(build_pdf(run).pdf)
        dates = {"period_start": QUARTER.start, "period_end": QUARTER.end, "as_of": run.as_of}
        kpis = [row for theme in kpi_section(**dates)["themes"] for row in theme["kpis"]]
        placements = placements_section(**dates)
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        officer = get_user_model().objects.create_user(username="one-figure-officer", password="x-test-password-1")
        officer.groups.add(Group.objects.get(name=COMMITTEE_OFFICER))
        client = Client()
        client.force_login(officer)
        pages = {}
        for row in kpis:
            if row["latest"] is None:
                continue
            context = client.get(f"/kpis/{row['indicator'].pk}/").context
            on_page = {r["m"].period_end: r for r in context["rows"]}
            pages[row["indicator"].code] = on_page.get(row["latest"].period_end)
        rate = placements_selectors.rate_per_10000(placements_selectors.looked_after_count(run.as_of))
    return {"text": text, "kpis": kpis, "placements": placements, "pages": pages, "rate": rate}


def test_every_kpi_value_printed_is_the_value_its_page_shows_for_the_period(demo_pack):
    checked = 0
    for row in demo_pack["kpis"]:
        code = row["indicator"].code
        if row["latest"] is None:
            assert row["value"] == "No data"
            continue
        page = demo_pack["pages"][code]
        assert page is not None, f"{code}: the KPI page has no value for {row['latest'].period_end}"
        assert row["value"] == page["value"], f"{code}: report {row['value']}, page {page['value']}"
        assert row["status"] == page["m"].status, f"{code}: report {row['status']}, page {page['m'].status}"
        checked += 1
    assert checked >= 30


def test_children_looked_after_per_10000_is_one_figure_in_the_kpi_and_placements_sections(demo_pack):
    sc08 = next(r for r in demo_pack["kpis"] if r["indicator"].code == "SC08")
    assert sc08["latest"].period_end == QUARTER.end
    placements_rate = demo_pack["placements"]["show"]["rate"]
    assert placements_rate == demo_pack["rate"]
    assert sc08["latest"].value == placements_rate
    text = demo_pack["text"]
    assert f"{placements_rate} per 10,000 children in the area" in text


def test_the_pack_prints_no_figure_twice_with_two_values(demo_pack):
    """The children looked after on the quarter's last day: the placements summary and its tables' totals."""
    text = demo_pack["text"]
    said = re.search(r"On 30 September 2026, ([\d,]+) children were looked after", text)
    assert said, "the placements section states the children looked after"
    assert int(said[1].replace(",", "")) == demo_pack["placements"]["figures"].looked_after
    totals = re.findall(r"Children looked after by (?:placement type|who provides the placement).*?Total ([\d,]+)",
                        text)
    assert totals and set(totals) == {said[1]}
