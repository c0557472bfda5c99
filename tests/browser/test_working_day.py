"""Two everyday tasks end to end, as each role does them, at desktop and phone widths: a commissioner records a
quarter's value with its commentary and a second commissioner approves it; a placements officer loads a 903
return, sees what it would change, confirms it and opens a child it created. Every page visited is checked by
axe-core and, at 390 px, for sideways scroll. Prints the pages, clicks, boxes typed and seconds each task took
(the figures for the task; a report's are printed by test_report_in_one_step.py)."""

import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.roles import COMMISSIONER, PLACEMENTS_OFFICER
from kpis.tests.factories import IndicatorFactory, TargetFactory

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


class Walk:
    """Counts what a person does: pages loaded, clicks (a select or a tick is one), boxes typed into; checks
    each page loaded with axe-core and, on a phone, that it does not scroll sideways."""

    def __init__(self, page, assert_accessible, width):
        self.page, self.assert_accessible, self.width = page, assert_accessible, width
        self.start, self.pages, self.clicks, self.typed = time.monotonic(), 0, 0, 0
        self.checked = 0.0  # seconds spent by the checks, not by the person

    def click(self, locator, *, loads=True):
        locator.click()
        self.clicks += 1
        if loads:
            self.page.wait_for_load_state()
            self.pages += 1
            self.look()

    def type(self, locator, text):
        locator.fill(text)
        self.clicks, self.typed = self.clicks + 1, self.typed + 1

    def choose(self, locator, **option):
        locator.select_option(**option)
        self.clicks += 1

    def look(self):
        began = time.monotonic()
        self.assert_accessible(self.page)
        if self.width < 640:
            assert self.page.evaluate("document.documentElement.scrollWidth") <= self.width, (
                f"{self.page.url} scrolls sideways at {self.width} px")
        self.checked += time.monotonic() - began

    def figures(self):
        return {"pages": self.pages, "clicks": self.clicks, "typed": self.typed,
                "seconds": round(time.monotonic() - self.start - self.checked, 1)}


def report(task, width, figures):
    print(f"AFTER task={task} width={width} " + " ".join(f"{k}={v}" for k, v in figures.items()))


# --- (a) A quarter's value, with commentary, then a second person's approval ---

def test_a_commissioner_records_a_quarter_and_another_approves_it(page, live_server, assert_accessible,
                                                                 role_user, django_user_model):
    author = role_user(COMMISSIONER)
    approver = django_user_model.objects.create_user(username="second_commissioner", password=PASSWORD,
                                                     first_name="Robin", last_name="Approver")
    approver.groups.add(*author.groups.all())
    for width in (1280, 390):  # both widths in one test: the live server's database is emptied once
        indicator = IndicatorFactory(frequency="quarterly", unit="percentage", name=f"Care leavers in touch ({width})")
        TargetFactory(indicator=indicator, kind="at_least", value=Decimal("85"), tolerance=Decimal("5"))
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        sign_in(page, live_server, author.username)
        page.goto(f"{live_server.url}/kpis/")
        walk = Walk(page, assert_accessible, width)
        walk.click(page.get_by_role("link", name=indicator.code, exact=True))
        walk.click(page.get_by_role("link", name=f"Enter a value for {indicator.code}"))
        # A quarterly KPI: the quarters that have ended, newest first, in the council's words.
        period = page.get_by_label("Period")
        label = period.locator("option").nth(1).inner_text()
        assert label.startswith("20") and " Q" in label and "(" in label, label
        walk.choose(period, index=1)
        walk.type(page.locator("#id_value"), "82")
        walk.type(page.locator("#id_commentary"), "Two personal advisers left in the quarter.")
        walk.type(page.locator("#id_remedial_action"), "Agency advisers cover until March.")
        walk.click(page.get_by_role("button", name="Save value"))
        expect(page.locator(".govuk-notification-banner")).to_contain_text("value and commentary")
        row = page.locator("#measurements tbody tr").first
        expect(row).to_contain_text("82.0%")
        expect(row.locator("[data-provisional]")).to_have_text("Provisional")
        expect(row.locator("[data-own]")).to_be_visible()  # the author is not offered the approval
        author_figures = walk.figures()

        page.context.clear_cookies()
        sign_in(page, live_server, approver.username)
        walk = Walk(page, assert_accessible, width)
        walk.look()  # the home page, where the day starts
        walk.click(page.get_by_role("link", name="KPI values awaiting approval").first)
        walk.click(page.get_by_label(f"Approve {indicator.code},"), loads=False)
        walk.click(page.get_by_role("button", name="Approve the values ticked"))
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"1 value approved: {indicator.code}")
        # Then to the KPI, as the committee will see it: the message links to it.
        walk.click(page.locator(".govuk-notification-banner").get_by_role("link", name=indicator.code))
        expect(page.locator("#kpi-summary")).to_contain_text("82.0%")
        expect(page.locator("#kpi-summary")).to_contain_text("Amber")
        row = page.locator("#measurements tbody tr").first
        expect(row).to_contain_text("Amber")
        expect(row).to_contain_text("Approved by Robin Approver")
        expect(row.locator("[data-provisional]")).to_have_count(0)
        report("a-record", width, author_figures)
        report("a-approve", width, walk.figures())


# --- (b) A 903 return: upload, see what would change, confirm, see the children ---

HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
{a},M,14/07/2010,WBRI,A123456789012,,
{b},F,03/02/2015,MWBC,B123456789012,1,01/05/2024
"""
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
{a},01/04/2022,S,V2,N1,U6,PR1,01/06/2022,X1,,RG1 7AB,RG30 4XY,
{a},01/06/2022,L,C2,N1,U6,PR1,15/09/2024,X1,,RG1 7AB,RG30 4XY,
{a},15/09/2024,P,C2,N1,K2,PR4,,,STAND,RG1 7AB,OX1 2JD,SC123456
{b},10/10/2024,S,C1,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,
"""


@pytest.fixture
def codes(transactional_db):
    from django.apps import apps

    from placements.reference import load_codes

    load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables


def test_a_placements_officer_loads_a_return_and_sees_the_children(codes, signed_in_page, live_server,
                                                                  assert_accessible, tmp_path):
    page = signed_in_page(PLACEMENTS_OFFICER)
    for width, (a, b) in ((1280, ("100001", "100002")), (390, ("200001", "200002"))):
        header, episodes = tmp_path / f"header-{width}.csv", tmp_path / f"episodes-{width}.csv"
        header.write_text(HEADER.format(a=a, b=b))
        episodes.write_text(EPISODES.format(a=a, b=b))
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/placements/")
        walk = Walk(page, assert_accessible, width)
        walk.click(page.get_by_role("link", name="Import the 903 return"))
        walk.click(page.get_by_label("Header file"), loads=False)  # choosing a file is a click, not typing
        page.get_by_label("Header file").set_input_files(str(header))
        walk.click(page.get_by_label("Episodes file"), loads=False)
        page.get_by_label("Episodes file").set_input_files(str(episodes))
        walk.click(page.get_by_role("button", name="Upload and check"))  # the worker's check runs at once in tests
        # What it would change, children named, nothing saved yet.
        expect(page.get_by_role("heading", level=1)).to_have_text("Check what the return would change")
        expect(page.locator("#changes tbody tr").nth(1)).to_contain_text("Placements")
        assert page.locator("#new-children li").all_inner_texts() == [a, b]
        walk.click(page.get_by_role("button", name="Import the return"))
        expect(page.locator("#import-job-done")).to_contain_text("Placements: 3 created, 0 updated, 0 removed")
        assert page.locator("#new-children li").all_inner_texts() == [a, b]
        walk.click(page.locator("#new-children").get_by_role("link", name=b, exact=True))
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Child {b}")
        report("b-903", width, walk.figures())
