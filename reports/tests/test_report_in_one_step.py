"""Building a report: which report first, then only its questions; the front sheet remembered per meeting and
committee; a report copied as another kind; closed quarters unless the one in progress is asked for; the list
and the report's page say what the report is, in words."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from plans.tests.factories import CommitteeFactory, MeetingFactory
from reports.models import ReportRun
from reports.sections import report_sections
from reports.tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # 2026/27 Q3 is in progress
FRONT_SHEET = {
    "agenda_item": "9", "report_of": "Director of Children's Services",
    "lead_officer": "Sam Patel, Head of Commissioning",
    "lead_officer_contact": "0118 937 4752, sam.patel@example.gov.uk",
    "portfolio_holder": "Cllr Gavin, Children's Services", "wards_affected": "All wards",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def no_worker():
    with mock.patch("reports.tasks.report_build.apply_async"):
        yield


@pytest.fixture
def committee():
    return CommitteeFactory(name="Children and Families Committee")


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, date=date(2026, 12, 14))


def new(**query):
    return reverse("reports_new") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_first_page_asks_which_report_and_for_which_meeting(committee_client, meeting):
    html = committee_client.get(reverse("reports_new")).content.decode()
    assert "Which report?" in html and "Quarterly performance report" in html
    assert "Children and Families Committee, 14 December 2026" in html
    assert "Executive summary" not in html  # the report's questions come on the next page

    html = committee_client.get(new(meeting=meeting.pk, **{"continue": 1})).content.decode()
    assert '<a href="#id_kind_0">Select which report to build</a>' in html


def test_each_kind_asks_only_its_own_questions(committee_client):
    member = committee_client.get(new(kind="member_summary")).content.decode()
    assert "Executive summary" in member and "Lead officer" in member
    assert "Legal implications" not in member and "Background papers" not in member
    assert "Sections of the committee pack" not in member
    actions = committee_client.get(new(kind="actions")).content.decode()
    assert "Legal implications" in actions and "Sections of the committee pack" not in actions
    pack = committee_client.get(new(kind="pack")).content.decode()
    assert "Sections of the committee pack" in pack

    response = committee_client.post(new(kind="member_summary"), {"kind": "member_summary", "period": "2026-Q2"},
                                     follow=True)
    run = ReportRun.objects.get()
    html = response.content.decode()
    # The banner claims no status the row below could contradict once the build moves on.
    assert "for 2026/27 Q2 (July to September 2026) has been requested" in html and "being built" not in html
    assert f'id="run-{run.pk}"' in html and ">Queued</strong>" in html
    # What it was not asked still takes the council's usual wording.
    assert run.kind == "member_summary" and run.legal_implications


def test_the_front_sheet_is_remembered_for_the_meeting_and_for_the_committee(
    committee_client, committee_officer, meeting, committee, django_assert_max_num_queries
):
    ReportRunFactory(meeting=meeting, requested_by=committee_officer, **FRONT_SHEET)
    with django_assert_max_num_queries(8):  # the same however many reports the committee has had
        html = committee_client.get(new(kind="performance", meeting=meeting.pk)).content.decode()
    assert 'value="Sam Patel, Head of Commissioning"' in html and 'value="Cllr Gavin, Children&#x27;s Services"' in html
    assert 'name="agenda_item" value="9"' in html
    assert "The front sheet starts from the last report for" in html

    # A later meeting of the same committee: the same people, but its own agenda.
    later = MeetingFactory(committee=committee, date=date(2027, 2, 8))
    html = committee_client.get(new(kind="performance", meeting=later.pk)).content.decode()
    assert 'value="Sam Patel, Head of Commissioning"' in html and 'value="All wards"' in html
    assert 'name="agenda_item" value="9"' not in html

    # Another committee starts blank.
    other = MeetingFactory(committee=CommitteeFactory(name="Cabinet"), date=date(2026, 12, 15))
    html = committee_client.get(new(kind="performance", meeting=other.pk)).content.decode()
    assert "Sam Patel" not in html and "The front sheet starts from" not in html

    # Built with what was remembered: nothing prints "Not set" on the front sheet.
    data = {"kind": "actions", "meeting": meeting.pk, "period": "2026-Q2", **FRONT_SHEET,
            "summary": "On track.", "background": "Agreed in July.", "confirm_not_set": ""}
    assert committee_client.post(new(kind="actions", meeting=meeting.pk), data).status_code == 302
    assert ReportRun.objects.latest("pk").not_set == []


def test_a_report_is_copied_as_another_kind(committee_client, committee_officer, meeting,
                                            django_assert_max_num_queries):
    run = ReportRunFactory(kind="contracts", period="2026-Q1", meeting=meeting, requested_by=committee_officer,
                           title="Contracts due to end", background="The register was refreshed in May.",
                           **FRONT_SHEET)
    detail = committee_client.get(run.get_absolute_url()).content.decode()
    assert f'href="{reverse("reports_new")}?kind=performance&amp;copy={run.pk}"' in detail

    with django_assert_max_num_queries(6):
        html = committee_client.get(new(kind="performance", copy=run.pk)).content.decode()
    assert "Copied from" in html and "Children and Families Committee, 14 December 2026" in html
    assert 'value="Sam Patel, Head of Commissioning"' in html and "The register was refreshed in May." in html
    assert '<option value="2026-Q1" selected>' in html
    assert "Contracts due to end" not in html.split('id="copied-from"')[1].split("</div>")[1]  # its own title


def test_only_closed_quarters_unless_the_one_in_progress_is_asked_for(committee_client):
    html = committee_client.get(new(kind="actions")).content.decode()
    assert '<option value="2026-Q2" selected>2026/27 Q2 (July to September 2026)</option>' in html
    assert "2026-Q3" not in html.split('id="id_period"')[1].split("</select>")[0]

    response = committee_client.post(new(kind="actions"), {"kind": "actions", "period": "2026-Q3"})
    assert response.status_code == 200
    assert "Choose a quarter that has ended, or ask for the quarter in progress" in response.content.decode()
    assert not ReportRun.objects.exists()

    assert "Report on the quarter in progress instead" in html
    html = committee_client.get(new(kind="actions", current=1)).content.decode()
    assert "2026/27 Q3 (October to December 2026)" in html
    # Posted to the same address as before it was asked for, so the draft kept for that address follows.
    assert 'action="/reports/new/?kind=actions"' in html and '<input type="hidden" name="current" value="1">' in html
    response = committee_client.post(new(kind="actions"), {"kind": "actions", "period": "2026-Q3", "current": "1"})
    assert response.status_code == 302 and ReportRun.objects.get().period == "2026-Q3"


def test_the_list_shows_kind_meeting_quarter_and_status_in_words(
    committee_client, committee_officer, meeting, django_assert_max_num_queries
):
    ReportRunFactory(kind="pack", period="2026-Q2", meeting=meeting, requested_by=committee_officer,
                     status="complete", page_count=12)
    for _ in range(5):
        ReportRunFactory(kind="member_summary", period="2026-Q2", requested_by=committee_officer)
    with django_assert_max_num_queries(7):
        html = committee_client.get(reverse("reports")).content.decode()
    assert ">Committee pack</td>" in html and ">Member summary: performance exceptions</td>" in html
    assert "Children and Families Committee<br><span class=\"govuk-body-s\">14 Dec 2026</span>" in html
    assert html.count("2026/27 Q2 (July to September 2026)") >= 6 and "2026-Q2" not in html
    assert ">Complete</strong>" in html and ">Queued</strong>" in html


def test_the_report_page_lists_sections_by_title_and_its_status_as_the_list_does(
    committee_client, meeting, django_assert_max_num_queries
):
    run = ReportRunFactory(kind="pack", period="2026-Q2", meeting=meeting,
                           parameters={"sections": ["performance", "actions"]}, status="complete", page_count=9)
    headings = {spec.key: spec.heading for spec in report_sections()}
    with django_assert_max_num_queries(6):
        html = committee_client.get(run.get_absolute_url()).content.decode()
    listed = html.split('id="report-sections">')[1].split("</ol>")[0]
    assert listed == f"<li>{headings['performance']}</li><li>{headings['actions']}</li>"
    assert "Committee pack, 2026/27 Q2 (July to September 2026)" in html
    assert 'data-status="complete">Status: <strong class="govuk-tag govuk-tag--green">Complete</strong>' in html
