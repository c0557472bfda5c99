"""Entering a value as people do: the period by the KPI's frequency, only once it has ended, with its
commentary on the same form; approval by someone else, several at once; commentary written with the target
and the latest values in view."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.imports import ImportFailed, read_table
from core.periods import Quarter, quarter_label, year_label
from core.roles import COMMISSIONER
from kpis import services
from kpis.imports import import_measurements
from kpis.models import Measurement
from kpis.periods import ended_period_ends, not_ended_message, period_label
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
TODAY = "2026-12-07 10:00Z"  # a Monday in 2026/27 Q3, which ends on 31 December


@pytest.fixture
def second_commissioner(make_user):
    return make_user(COMMISSIONER, "second_commissioner")


@pytest.fixture
def quarterly():
    indicator = IndicatorFactory(code="CP04", name="Child protection plans reviewed on time", frequency="quarterly")
    TargetFactory(indicator=indicator, kind="at_least", value=D(90), tolerance=D(5), starts_on=date(2025, 4, 1))
    return indicator


# --- periods named the council's way ------------------------------------------------------------------

@pytest.mark.parametrize(("end", "frequency", "label"), [
    (date(2026, 9, 30), "quarterly", "2026/27 Q2 (July to September 2026)"),
    (date(2027, 3, 31), "quarterly", "2026/27 Q4 (January to March 2027)"),
    (date(2026, 11, 30), "monthly", "November 2026"),
    (date(2026, 3, 31), "annual", "2025/26 (April 2025 to March 2026)"),
    (date(2026, 8, 31), "annual", "Year to August 2026 (September 2025 to August 2026)"),
])
def test_a_period_is_labelled_the_councils_way(end, frequency, label):
    assert period_label(end, frequency) == label


def test_core_labels_quarters_and_years_alike():
    assert quarter_label(Quarter(2026, 2)) == "2026/27 Q2 (July to September 2026)"
    assert year_label(date(2027, 3, 31)) == "2026/27 (April 2026 to March 2027)"


@pytest.mark.parametrize(("frequency", "first", "last"), [
    ("quarterly", date(2026, 9, 30), date(2024, 12, 31)),
    ("monthly", date(2026, 11, 30), date(2024, 12, 31)),
    ("annual", date(2026, 3, 31), date(2022, 3, 31)),
])
def test_the_periods_offered_have_all_ended_newest_first(frequency, first, last):
    ends = ended_period_ends(date(2026, 12, 7), frequency)
    assert (ends[0], ends[-1]) == (first, last)
    assert ends == sorted(ends, reverse=True)


def test_on_the_last_day_of_a_quarter_it_has_not_yet_ended():
    assert ended_period_ends(date(2026, 12, 31), "quarterly")[0] == date(2026, 9, 30)
    assert ended_period_ends(date(2027, 1, 1), "quarterly")[0] == date(2026, 12, 31)


# --- the value form -------------------------------------------------------------------------------------

@time_machine.travel(TODAY, tick=False)
def test_a_quarterly_kpi_asks_for_the_quarter_from_a_list_of_ended_quarters(commissioner_client, quarterly):
    html = commissioner_client.get(reverse("kpis:measurement_add", args=[quarterly.pk])).content.decode()
    assert '<select name="period_end"' in html
    assert 'id="id_period_end_day"' not in html  # no day, month and year boxes
    assert '<option value="2026-09-30">2026/27 Q2 (July to September 2026)</option>' in html
    assert '<option value="2024-12-31">2024/25 Q3 (October to December 2024)</option>' in html
    assert "2026/27 Q3" not in html  # not ended yet
    assert 'name="commentary"' in html and 'name="remedial_action"' in html


@time_machine.travel(TODAY, tick=False)
def test_a_monthly_kpi_offers_months(commissioner_client):
    monthly = IndicatorFactory(frequency="monthly")
    html = commissioner_client.get(reverse("kpis:measurement_add", args=[monthly.pk])).content.decode()
    assert '<option value="2026-11-30">November 2026</option>' in html
    assert "December 2026" not in html


@time_machine.travel(TODAY, tick=False)
def test_a_period_not_yet_ended_is_refused_with_the_reason(commissioner_client, quarterly):
    url = reverse("kpis:measurement_add", args=[quarterly.pk])
    html = commissioner_client.post(url, {"period_end": "2026-12-31", "value": "92"}).content.decode()
    assert "There is a problem" in html
    assert "2026/27 Q3 ends on 31 December 2026: enter its value once it has ended" in html
    assert not Measurement.objects.filter(indicator=quarterly).exists()


@time_machine.travel(TODAY, tick=False)
def test_the_value_commentary_and_remedial_action_are_saved_together(
    commissioner_client, commissioner, quarterly, django_capture_on_commit_callbacks
):
    url = reverse("kpis:measurement_add", args=[quarterly.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(url, {
            "period_end": "2026-09-30", "value": "81", "commentary": "Two conferences moved for school holidays.",
            "remedial_action": "Extra chairs booked from October.",
        })
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=quarterly, period_end=date(2026, 9, 30))
    assert (m.value, m.commentary, m.remedial_action) == (
        D(81), "Two conferences moved for school holidays.", "Extra chairs booked from October.")
    assert m.entered_by == commissioner and m.commentary_by == commissioner and m.is_provisional
    page = commissioner_client.get(response.url).content.decode()
    assert "CP04, 2026/27 Q2: value and commentary for the period ending 30 September 2026 saved" in page
    assert "Commentary:</strong> Two conferences moved for school holidays." in page


@time_machine.travel(TODAY, tick=False)
def test_a_remedial_action_without_commentary_is_refused_and_nothing_saved(commissioner_client, quarterly):
    url = reverse("kpis:measurement_add", args=[quarterly.pk])
    html = commissioner_client.post(url, {
        "period_end": "2026-09-30", "value": "81", "remedial_action": "Extra chairs.",
    }).content.decode()
    assert "Enter the commentary: why the value is what it is, with the remedial action" in html
    assert not Measurement.objects.filter(indicator=quarterly).exists()


@time_machine.travel(TODAY, tick=False)
def test_change_opens_the_form_on_the_period_with_its_value_and_commentary(commissioner_client, quarterly):
    MeasurementFactory(indicator=quarterly, period_end=date(2024, 6, 30), value=D(88), commentary="Staff sickness.")
    detail = commissioner_client.get(quarterly.get_absolute_url()).content.decode()
    change = reverse("kpis:measurement_add", args=[quarterly.pk]) + "?period_end=2024-06-30"
    assert change in detail
    html = commissioner_client.get(change).content.decode()
    # An older quarter than the list holds is offered too, chosen, with what it holds.
    assert '<option value="2024-06-30" selected>2024/25 Q1 (April to June 2024)</option>' in html
    assert 'value="88' in html and "Staff sickness.</textarea>" in html


# --- every import -----------------------------------------------------------------------------------------

MEASUREMENTS = "indicator,period_end,value,numerator,denominator,note\n"


@time_machine.travel(TODAY, tick=False)
def test_the_measurements_import_refuses_a_period_not_yet_ended(commissioner, quarterly):
    table = read_table((MEASUREMENTS + "CP04,30/09/2026,91,,,\nCP04,31/12/2026,92,,,\n").encode(), "values.csv")
    with pytest.raises(ImportFailed) as failed:
        import_measurements(table, user=commissioner)
    assert [(e.row, str(e.message)) for e in failed.value.errors if e.column == "period_end"] == [
        (3, "2026/27 Q3 ends on 31 December 2026: enter its value once it has ended")]
    assert not Measurement.objects.exists()  # all or nothing


@time_machine.travel(TODAY, tick=False)
def test_the_framework_workbook_refuses_a_period_not_yet_ended_and_saves_nothing(commissioner):
    from core.imports import read_sheets
    from kpis import imports
    from kpis.framework import import_framework
    from kpis.models import Indicator
    from kpis.tests import framework_workbook as book
    from outcomes.imports import OUTCOME_COLUMNS, OUTCOME_OPTIONAL

    data = book.workbook_bytes({
        "Outcomes": [OUTCOME_COLUMNS + OUTCOME_OPTIONAL, *book.OUTCOMES],
        "Indicators": [imports.INDICATOR_COLUMNS, *book.INDICATORS],
        "Targets": [imports.TARGET_COLUMNS, *book.TARGETS],
        "Benchmarks": [imports.BENCHMARK_COLUMNS, *book.BENCHMARKS],
        "Measurements": [imports.MEASUREMENT_COLUMNS, *book.MEASUREMENTS, ["ED01", "31/12/2026", "93", "", "", ""]],
    })
    with pytest.raises(ImportFailed) as failed:
        import_framework(read_sheets(data, "framework.xlsx"), user=commissioner, queue=False)
    assert [(e.sheet, e.row, str(e.message)) for e in failed.value.errors] == [
        ("Measurements", 5, "December 2026 ends on 31 December 2026: enter its value once it has ended")]
    assert not Indicator.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_service_refuses_a_period_not_yet_ended(commissioner, quarterly):
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(indicator=quarterly, period_end=date(2026, 12, 31), value=D(92),
                                    user=commissioner)
    assert refused.value.message_dict == {"period_end": [not_ended_message(date(2026, 12, 31), "quarterly")]}


# --- approval ---------------------------------------------------------------------------------------------

def test_the_author_is_not_offered_approve_but_someone_else_is(
    client, commissioner, second_commissioner, quarterly
):
    m = MeasurementFactory(indicator=quarterly, period_end=date(2026, 9, 30), value=D(91), entered_by=commissioner)
    approve = reverse("kpis:measurement_approve", args=[quarterly.pk, m.pk])
    client.force_login(commissioner)
    html = client.get(quarterly.get_absolute_url()).content.decode()
    assert approve not in html and "Yours: someone else approves it" in html
    # The approve page still refuses the author if reached.
    html = client.post(approve).content.decode()
    assert "You wrote this value or its commentary: a second person must approve it." in html
    assert Measurement.objects.get(pk=m.pk).is_provisional

    client.force_login(second_commissioner)
    html = client.get(quarterly.get_absolute_url()).content.decode()
    assert approve in html and "Yours: someone else approves it" not in html


@time_machine.travel(TODAY, tick=False)
def test_several_values_are_approved_at_once_and_the_authors_own_are_refused(
    client, commissioner, second_commissioner, quarterly
):
    other = IndicatorFactory(code="EH07", name="Early help assessments", frequency="monthly")
    theirs = [
        MeasurementFactory(indicator=quarterly, period_end=date(2026, 6, 30), value=D(91), entered_by=commissioner),
        MeasurementFactory(indicator=other, period_end=date(2026, 11, 30), value=D(40), entered_by=commissioner),
    ]
    mine = MeasurementFactory(indicator=quarterly, period_end=date(2026, 9, 30), value=D(93),
                              entered_by=second_commissioner)
    client.force_login(second_commissioner)
    url = reverse("kpis:awaiting_approval")
    html = client.get(url).content.decode()
    for m in theirs:
        assert f'name="measurements" type="checkbox" value="{m.pk}"' in html
    assert f'value="{mine.pk}"' not in html  # no box to tick on one's own value
    assert "Approve the values ticked" in html

    response = client.post(url, {"measurements": [m.pk for m in theirs] + [mine.pk]}, follow=True)
    html = response.content.decode()
    link = '<a class="govuk-notification-banner__link" href="{}#values">{}</a>'
    assert (f"2 values approved: {link.format(quarterly.get_absolute_url(), 'CP04, 2026/27 Q1')}, "
            f"{link.format(other.get_absolute_url(), 'EH07, November 2026')}.") in html
    assert ("CP04, 2026/27 Q2 not approved: You wrote this value or its commentary: a second person must approve "
            "it.") in html
    assert all(not Measurement.objects.get(pk=m.pk).is_provisional for m in theirs)
    assert Measurement.objects.get(pk=mine.pk).is_provisional
    assert Measurement.objects.get(pk=theirs[0].pk).approved_by == second_commissioner


def test_approving_none_ticked_says_so(commissioner_client, quarterly):
    MeasurementFactory(indicator=quarterly, value=D(91))
    html = commissioner_client.post(reverse("kpis:awaiting_approval"), {}, follow=True).content.decode()
    assert "Select the values to approve" in html


def test_a_committee_officer_sees_the_list_but_cannot_approve_from_it(committee_client, quarterly):
    m = MeasurementFactory(indicator=quarterly, value=D(91))
    url = reverse("kpis:awaiting_approval")
    html = committee_client.get(url).content.decode()
    assert "CP04" in html and 'type="checkbox"' not in html
    assert committee_client.post(url, {"measurements": [m.pk]}).status_code == 403
    assert Measurement.objects.get(pk=m.pk).is_provisional


def test_approving_several_refuses_one_already_approved(commissioner, second_commissioner, quarterly):
    done = MeasurementFactory(indicator=quarterly, period_end=date(2026, 6, 30), value=D(91))
    services.measurement_approve(measurement=done, user=commissioner)
    result = services.measurements_approve(measurement_ids=[done.pk], user=second_commissioner)
    assert result.approved == [] and "is already approved" in result.refused[0][1]
    assert Measurement.objects.get(pk=done.pk).approved_by == commissioner


# --- the commentary page ------------------------------------------------------------------------------------

@time_machine.travel(TODAY, tick=False)
def test_the_commentary_page_shows_target_status_and_the_last_four_values(commissioner_client, quarterly):
    for end, value in ((date(2025, 6, 30), "70"), (date(2025, 9, 30), "95"), (date(2025, 12, 31), "93"),
                       (date(2026, 3, 31), "88"), (date(2026, 6, 30), "86"), (date(2026, 9, 30), "99")):
        MeasurementFactory(indicator=quarterly, period_end=end, value=D(value))
    services.statuses_recompute()
    m = Measurement.objects.get(indicator=quarterly, period_end=date(2026, 6, 30))
    html = commissioner_client.get(
        reverse("kpis:measurement_commentary", args=[quarterly.pk, m.pk])).content.decode()
    assert "At least 90.0%; amber from 85.0%" in html
    assert "2026/27 Q1 (April to June 2026)" in html
    values = html[html.index('id="recent-values"'):]
    values = values[:values.index("</table>")]
    # This value and the three before it, newest first; not the later one nor the oldest.
    order = [values.index(text) for text in ("86.0%", "88.0%", "93.0%", "95.0%")]
    assert order == sorted(order)
    assert "99.0%" not in values and "70.0%" not in values
    assert "(this value)" in values and "Amber" in values and "Green" in values
