"""Commentary on a KPI value and its sign-off by a second person."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.imports import ImportFailed, read_table
from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER
from kpis import services
from kpis.imports import import_measurements
from kpis.models import Measurement
from kpis.reports import section_context
from kpis.services import measurement_approve, measurement_comment, measurement_record, statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
Q = {"period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31), "as_of": date(2025, 4, 10)}


@pytest.fixture
def owner(make_user):
    # The KPI's owner may write its commentary without being a commissioner.
    return make_user(VIEWER, "head_of_early_help")


@pytest.fixture
def second_commissioner(make_user):
    return make_user(COMMISSIONER, "second_commissioner")


@pytest.fixture
def red_value(owner):
    indicator = IndicatorFactory(code="EH02", name="Cases stepped down to early help", owner=owner)
    TargetFactory(indicator=indicator, value=D(30), tolerance=D(3))
    return MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D(25))


def test_the_owner_writes_commentary_and_it_awaits_approval(red_value, owner, client):
    red_value.approved_at = None
    client.force_login(owner)
    url = reverse("kpis:measurement_commentary", args=[red_value.indicator.pk, red_value.pk])
    response = client.post(url, {"commentary": "Two vacancies in the MASH.", "remedial_action": "Agency staff."})
    assert response.status_code == 302
    red_value.refresh_from_db()
    assert (red_value.commentary, red_value.remedial_action) == ("Two vacancies in the MASH.", "Agency staff.")
    assert red_value.commentary_by == owner and red_value.is_provisional
    assert red_value.history.first().history_user == owner


def test_commentary_form_errors_are_shown_in_the_error_summary(red_value, owner, client):
    client.force_login(owner)
    url = reverse("kpis:measurement_commentary", args=[red_value.indicator.pk, red_value.pk])
    html = client.post(url, {"commentary": "  ", "remedial_action": "Agency staff."}).content.decode()
    assert "govuk-error-summary" in html and "Enter the commentary: why the value is what it is" in html
    assert Measurement.objects.get(pk=red_value.pk).commentary == ""


def test_someone_neither_owner_nor_commissioner_cannot_write_commentary(red_value, committee_officer, client):
    with pytest.raises(ValidationError, match="owner or a commissioner"):
        measurement_comment(measurement=red_value, commentary="Not mine to say.", user=committee_officer)
    client.force_login(committee_officer)
    url = reverse("kpis:measurement_commentary", args=[red_value.indicator.pk, red_value.pk])
    assert client.get(url).status_code == 403


def test_the_author_cannot_approve_and_a_second_person_can(red_value, commissioner, second_commissioner, client):
    measurement_comment(measurement=red_value, commentary="Vacancies.", user=commissioner)
    with pytest.raises(ValidationError, match="a second person must approve it"):
        measurement_approve(measurement=red_value, user=commissioner)
    client.force_login(commissioner)
    url = reverse("kpis:measurement_approve", args=[red_value.indicator.pk, red_value.pk])
    html = client.post(url).content.decode()
    assert "govuk-error-summary" in html and "You wrote this value or its commentary" in html
    assert Measurement.objects.get(pk=red_value.pk).is_provisional

    client.force_login(second_commissioner)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("kpis:awaiting_approval")
    red_value.refresh_from_db()
    assert red_value.approved_by == second_commissioner and red_value.approved_at is not None
    latest = red_value.history.first()
    assert latest.history_user == second_commissioner and latest.approved_by_id == second_commissioner.pk
    # Approving twice is refused with a message, not a second record.
    with pytest.raises(ValidationError, match="already approved"):
        measurement_approve(measurement=red_value, user=second_commissioner)


def test_a_new_figure_or_new_commentary_needs_approval_again(red_value, commissioner, second_commissioner):
    measurement_approve(measurement=red_value, user=second_commissioner)
    services.measurement_record(
        indicator=red_value.indicator, period_end=red_value.period_end, value=D(25), note="Checked", user=commissioner
    )
    assert not Measurement.objects.get(pk=red_value.pk).is_provisional  # same figure: still approved
    services.measurement_record(
        indicator=red_value.indicator, period_end=red_value.period_end, value=D(26), user=commissioner
    )
    assert Measurement.objects.get(pk=red_value.pk).is_provisional
    measurement_approve(measurement=red_value, user=second_commissioner)
    measurement_comment(measurement=red_value, commentary="Vacancies filled in April.", user=commissioner)
    assert Measurement.objects.get(pk=red_value.pk).is_provisional


MEASUREMENTS = "indicator,period_end,value,numerator,denominator,note{extra}\n"


def _table(rows: str, extra: str = ""):
    return read_table((MEASUREMENTS.format(extra=extra) + rows).encode(), "values.csv")


def test_import_takes_an_optional_commentary_column_and_imported_commentary_awaits_approval(
    red_value, commissioner, second_commissioner
):
    measurement_approve(measurement=red_value, user=second_commissioner)
    other = IndicatorFactory(code="EH11")
    rows = "EH02,31/03/2025,25,,,,Vacancies in the MASH,Agency staff from May\nEH11,31/03/2025,64,,,,,\n"
    summary = import_measurements(_table(rows, ",commentary,remedial_action"), user=commissioner)
    assert (summary.created, summary.updated) == (1, 1)
    red_value.refresh_from_db()
    assert (red_value.commentary, red_value.remedial_action) == ("Vacancies in the MASH", "Agency staff from May")
    assert red_value.commentary_by == commissioner and red_value.is_provisional
    assert Measurement.objects.get(indicator=other).commentary == ""

    # Without the column the commentary is kept; the same file again changes nothing.
    summary = import_measurements(_table("EH02,31/03/2025,25,,,\n"), user=commissioner)
    assert summary.unchanged == 1 and Measurement.objects.get(pk=red_value.pk).commentary == "Vacancies in the MASH"


def test_import_refuses_a_remedial_action_without_commentary_and_writes_nothing(red_value, commissioner):
    rows = "EH02,31/03/2025,25,,,,Vacancies,Agency staff\nEH02,30/04/2025,27,,,,,Agency staff\n"
    with pytest.raises(ImportFailed) as failed:
        import_measurements(_table(rows, ",commentary,remedial_action"), user=commissioner)
    assert any(e.row == 3 and "commentary" in str(e) for e in failed.value.errors)
    assert Measurement.objects.get(pk=red_value.pk).commentary == ""


def test_awaiting_approval_page_lists_what_awaits_for_approvers_and_committee_officers(
    red_value, owner, commissioner, committee_officer, client
):
    measurement_comment(measurement=red_value, commentary="Vacancies in the MASH.", user=owner)
    approved = MeasurementFactory(indicator=IndicatorFactory(code="ZZ9"), approved_at="2025-04-01T09:00Z")
    client.force_login(commissioner)
    html = client.get(reverse("kpis:awaiting_approval")).content.decode()
    assert "EH02" in html and "Vacancies in the MASH." in html and "ZZ9" not in html and approved.pk
    assert reverse("kpis:measurement_approve", args=[red_value.indicator.pk, red_value.pk]) in html

    client.force_login(committee_officer)
    html = client.get(reverse("kpis:awaiting_approval")).content.decode()
    assert "EH02" in html and "Review and approve" not in html

    # Linked from both homes, with the count.
    for user in (commissioner, committee_officer):
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert "KPI values awaiting approval" in home and reverse("kpis:awaiting_approval") in home


def test_a_committee_officer_is_not_told_to_act_and_viewers_do_not_see_the_page(viewer, client):
    client.force_login(viewer)
    assert client.get(reverse("kpis:awaiting_approval")).status_code == 403
    assert "KPI values awaiting approval" not in client.get(reverse("home")).content.decode()


def test_awaiting_approval_page_runs_the_same_number_of_queries_for_2_or_12_values(commissioner_client, owner):
    counts = []
    # The first request of a session also stamps its activity (one write): count the pages after it.
    commissioner_client.get(reverse("kpis:awaiting_approval"))
    for n in (2, 10):
        for i in range(n):
            MeasurementFactory(indicator=IndicatorFactory(owner=owner), commentary_by=owner, commentary=f"Why {i}")
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(reverse("kpis:awaiting_approval"))
        assert response.content.decode().count("Review and approve") == Measurement.objects.count()
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts


def test_report_section_prints_approved_commentary_under_the_exception_and_marks_provisional(
    red_value, owner, second_commissioner
):
    green = IndicatorFactory(code="A01", name="Assessments on time")
    TargetFactory(indicator=green, value=D(80))
    MeasurementFactory(indicator=green, period_end=date(2025, 3, 31), value=D(85), approved_at="2025-04-02T09:00Z")
    measurement_comment(
        measurement=red_value,
        commentary="Two vacancies in the MASH.",
        remedial_action="Agency staff start in May.",
        user=owner,
    )
    statuses_recompute()
    extra = {"section": {"number": 3}, "suppression_footnote": ""}

    html = render_to_string("kpis/pdf/section.html", section_context(**Q) | Q | extra)
    assert "25.0% (provisional)" in html and "85.0% (provisional)" not in html
    assert "Commentary (provisional: not yet approved):</strong> Two vacancies in the MASH." in html

    measurement_approve(measurement=red_value, user=second_commissioner)
    html = render_to_string("kpis/pdf/section.html", section_context(**Q) | Q | extra)
    assert "(provisional" not in html
    assert "Commentary:</strong> Two vacancies in the MASH." in html
    assert "Remedial action:</strong> Agency staff start in May." in html


def test_demo_values_are_signed_off_except_the_latest(db):
    from core.demo import demo_users_create
    from kpis import demo
    from outcomes import demo as outcomes_demo

    users = demo_users_create()
    outcomes_demo.load(users=users)
    demo.load(users=users)
    approved = Measurement.objects.get(commentary__startswith="Fewer cases")
    assert approved.approved_by is not None and approved.approved_by != approved.entered_by
    assert approved.approved_by.groups.filter(name=COMMISSIONER).exists()
    awaiting = Measurement.objects.filter(approved_at__isnull=True)
    assert awaiting.exists() and awaiting.filter(indicator__code="ED13").exclude(commentary="").exists()
    assert COMMITTEE_OFFICER


def test_commentary_approved_after_the_quarter_closed_is_in_the_quarters_report(owner, second_commissioner):
    import time_machine

    indicator = IndicatorFactory(code="EH03", name="Re-referrals", owner=owner)
    with time_machine.travel("2025-04-03 10:00Z"):
        TargetFactory(indicator=indicator, value=D(30), tolerance=D(3))
        value = MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D(25))
    with time_machine.travel("2025-05-12 10:00Z"):  # written and approved weeks after the report's day
        measurement_comment(measurement=value, commentary="A new team started in March.", user=owner)
        measurement_approve(measurement=Measurement.objects.get(pk=value.pk), user=second_commissioner)
    extra = {"section": {"number": 3}, "suppression_footnote": ""}
    html = render_to_string("kpis/pdf/section.html", section_context(**Q) | Q | extra)
    assert "Commentary:</strong> A new team started in March." in html and "(provisional" not in html

    # The figure corrected since: the report prints the corrected figure, which waits for a second person's
    # approval again, so it is provisional.
    with time_machine.travel("2025-06-02 10:00Z"):
        measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D(26), user=owner)
    html = render_to_string("kpis/pdf/section.html", section_context(**Q) | Q | extra)
    assert "26.0% (provisional)" in html and "25.0%" not in html
