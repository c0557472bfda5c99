import csv
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpis.models import Measurement
from kpis.tests.factories import BenchmarkFactory, IndicatorFactory, MeasurementFactory, TargetFactory
from outcomes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("kpis:index")


@pytest.fixture
def three(commissioner):
    """One red, one green, one with no target, over two themes."""
    from kpis.services import statuses_recompute

    safeguarding = ThemeFactory(name="Safeguarding and Looked After Children")
    education = ThemeFactory(name="Education")
    red = IndicatorFactory(code="SC01", name="Re-referrals within 12 months", theme=safeguarding,
                           polarity="lower_is_better", owner=commissioner)
    TargetFactory(indicator=red, kind="at_most", value=D(22), tolerance=D(2))
    MeasurementFactory(indicator=red, period_end=date(2025, 2, 28), value=D("24"))
    MeasurementFactory(indicator=red, period_end=date(2025, 3, 31), value=D("27.5"))
    green = IndicatorFactory(code="ED01", name="Good level of development", theme=education, frequency="annual")
    TargetFactory(indicator=green, kind="at_least", value=D(70))
    MeasurementFactory(indicator=green, period_end=date(2025, 3, 31), value=D("71"))
    none = IndicatorFactory(code="ED02", name="NEET =cmd|x", theme=education)
    MeasurementFactory(indicator=none, period_end=date(2025, 3, 31), value=D("2.4"))
    statuses_recompute()
    return red, green, none


def _codes(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_dashboard_shows_values_statuses_and_counts(viewer_client, three):
    response = viewer_client.get(INDEX)
    html = response.content.decode()
    assert _codes(response) == ["ED01", "ED02", "SC01"]
    # 24 then 27.5 against "at most 22": the value went up, and that is worse.
    assert "27.5%" in html and "At most 22.0%; amber up to 24.0%" in html and "↑ Worsening" in html
    counts = {c["status"]: c["count"] for c in response.context["rag_counts"]}
    assert counts == {"red": 1, "amber": 0, "green": 1, "no_data": 0, "no_target": 1}
    assert "Import KPIs" not in html  # a viewer cannot import


@pytest.mark.parametrize("query, expected", [
    ("?status=red", ["SC01"]),
    ("?status=green", ["ED01"]),
    ("?frequency=annual", ["ED01"]),
    ("?q=neet", ["ED02"]),
    ("?status=purple", []),  # an invalid filter shows nothing rather than failing
    ("?theme=abc", []),
    ("?sort=-latest_value", ["ED01", "SC01", "ED02"]),
    ("?sort=latest_status", ["SC01", "ED01", "ED02"]),
    ("?sort=nonsense", ["ED01", "ED02", "SC01"]),
    ("?page=99", ["ED01", "ED02", "SC01"]),
])
def test_dashboard_filters_and_sorting(commissioner_client, three, query, expected):
    response = commissioner_client.get(INDEX + query)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert _codes(response) == expected


def test_filter_by_owner_theme_and_outcome(commissioner_client, commissioner, three):
    from outcomes.tests.factories import OutcomeFactory

    red, green, _ = three
    outcome = OutcomeFactory()
    green.outcomes.add(outcome)
    assert _codes(commissioner_client.get(f"{INDEX}?owner={commissioner.pk}")) == ["SC01"]
    assert _codes(commissioner_client.get(f"{INDEX}?theme={red.theme_id}")) == ["SC01"]
    assert _codes(commissioner_client.get(f"{INDEX}?outcome={outcome.pk}")) == ["ED01"]


def test_counts_are_of_the_kpis_shown(commissioner_client, three):
    response = commissioner_client.get(f"{INDEX}?theme={three[1].theme_id}")
    counts = {c["status"]: c["count"] for c in response.context["rag_counts"]}
    assert counts == {"red": 0, "amber": 0, "green": 1, "no_data": 0, "no_target": 1}
    response = commissioner_client.get(f"{INDEX}?theme={three[1].theme_id}&status=green")
    counts = {c["status"]: c["count"] for c in response.context["rag_counts"]}
    assert counts == {"red": 0, "amber": 0, "green": 1, "no_data": 0, "no_target": 0}  # ED02 is hidden
    html = response.content.decode()
    assert f'href="?theme={three[1].theme_id}&amp;status=green"' in html
    assert 'data-status="no_target">0<' in html and "status=no_target" not in html  # a 0 links nowhere


def test_csv_export_has_exactly_the_filtered_rows(viewer_client, three):
    response = viewer_client.get(f"{INDEX}?theme={three[1].theme_id}&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "KPI", "Theme"]
    assert [r[0] for r in rows[1:]] == ["ED01", "ED02"]
    assert rows[2][1] == "NEET =cmd|x"  # not at the start of a cell, so left alone
    assert rows[1][9] == "Green" and rows[2][9] == "No target"


def test_xlsx_export_has_exactly_the_filtered_rows(viewer_client, three):
    response = viewer_client.get(f"{INDEX}?status=red&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["SC01"]
    assert rows[1][7] == 27.5 and rows[1][9] == "Red"


def test_exports_suppress_small_counts_of_children(viewer_client):
    from kpis.services import statuses_recompute

    theme = ThemeFactory(name="Safeguarding and Looked After Children")
    secure = IndicatorFactory(code="SC20", theme=theme, unit="count", counts_children=True)
    MeasurementFactory(indicator=secure, value=D("3"))
    rate = IndicatorFactory(code="SC21", theme=theme, unit="percentage", counts_children=True)
    MeasurementFactory(indicator=rate, value=D("40"), numerator=D("2"), denominator=D("5"))
    big = IndicatorFactory(code="SC22", theme=theme, unit="count", counts_children=True)
    MeasurementFactory(indicator=big, value=D("205"))
    not_children = IndicatorFactory(code="SC23", theme=theme, unit="count", counts_children=False)
    MeasurementFactory(indicator=not_children, value=D("4"))
    statuses_recompute()
    response = viewer_client.get(f"{INDEX}?export=csv")
    values = {r[0]: r[7] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert values["SC20"] == "[c]" and values["SC21"] == "[c]"
    assert D(values["SC22"]) == 205 and D(values["SC23"]) == 4


def test_kpi_page_shows_definition_targets_chart_and_table(viewer_client, three):
    red = three[0]
    BenchmarkFactory(indicator=red, period_end=date(2025, 3, 31), source="england", value=D("21.9"))
    TargetFactory(indicator=red, kind="at_most", value=D(20), tolerance=None, starts_on=date(2026, 4, 1))
    response = viewer_client.get(reverse("kpis:detail", kwargs={"pk": red.pk}))
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert "Targets over time" in html and "At most 20.0%" in html and "At most 22.0%; amber up to 24.0%" in html
    assert "21.9%" in html  # the benchmark is in the table alternative
    assert html.count("At most 22.0%; amber up to 24.0%") == 3  # targets over time, and each value's row
    assert reverse("record_history", args=["kpis", "indicator", red.pk]) in html
    assert "Enter a value" not in html  # a viewer cannot enter values


def test_commissioner_enters_a_value_and_sees_the_status(commissioner_client, three,
                                                         django_capture_on_commit_callbacks):
    red = three[0]
    url = reverse("kpis:measurement_add", kwargs={"pk": red.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(url, {"period_end": "30/04/2025", "value": "21%", "note": "Validated"})
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=red, period_end=date(2025, 4, 30))
    assert (m.value, m.status, m.direction) == (D(21), "green", "improving")
    page = commissioner_client.get(response.url).content.decode()
    assert "value for the period ending 30 April 2025 saved" in page


@pytest.mark.parametrize("data, message", [
    ({"period_end": "", "value": "5"}, "Select the period"),
    ({"period_end": "29/04/2025", "value": "5"}, "The period end must be the last day of a month"),
    ({"period_end": "31/13/2025", "value": "5"}, "Select the period from the list"),
    ({"period_end": "30/04/2025", "value": "five"}, "as a number"),
    ({"period_end": "30/04/2025", "value": "150"}, "A percentage must be between 0 and 100"),
    ({"period_end": "30/04/2025", "value": "5", "numerator": "5"}, "Give both the numerator and the denominator"),
])
def test_entry_form_validation(commissioner_client, three, data, message):
    url = reverse("kpis:measurement_add", kwargs={"pk": three[0].pk})
    response = commissioner_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "<title>Error:" in html
    assert not Measurement.objects.filter(period_end=date(2025, 4, 30)).exists()


def test_target_form(commissioner_client, three):
    url = reverse("kpis:target_add", kwargs={"pk": three[2].pk})
    bad = commissioner_client.post(url, {"starts_on": "01/04/2025", "kind": "between", "value": "3"})
    assert "Enter the upper bound of the band" in bad.content.decode()
    ok = commissioner_client.post(url, {"starts_on": "01/04/2025", "kind": "between", "value": "2", "upper": "3"})
    assert ok.status_code == 302
    assert three[2].targets.get().upper == D(3)


def test_upload_page_lists_row_errors_and_writes_nothing(commissioner_client, three,
                                                         django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"indicator,period_end,value,numerator,denominator,note\nSC01,2025-04-30,5,,,\nZZ9,2025-04-30,x,,,\n"
    response = commissioner_client.post(reverse("kpis:import_measurements"),
                                        {"file": SimpleUploadedFile("values.csv", data)})
    html = response.content.decode()
    assert "2 problems found" in html and "There is no indicator with code" in html and "is not a number" in html
    assert not Measurement.objects.filter(period_end=date(2025, 4, 30)).exists()
    good = b"indicator,period_end,value,numerator,denominator,note\nSC01,2025-04-30,5,,,\n"
    check = commissioner_client.post(reverse("kpis:import_measurements"),
                                     {"file": SimpleUploadedFile("values.csv", good)})
    assert "Nothing has been saved yet" in check.content.decode()
    assert not Measurement.objects.filter(period_end=date(2025, 4, 30)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(reverse("kpis:import_measurements"),
                                            {"confirm": check.context["digest"]}, follow=True)
    assert "values.csv imported: 1 created" in response.content.decode()
    assert Measurement.objects.get(period_end=date(2025, 4, 30)).status == "green"


@pytest.mark.parametrize("page", ["index", "detail"])
def test_query_count_is_the_same_at_30_and_300_indicators(commissioner_client, commissioner, make_kpis, page,
                                                          django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def url(indicators):
        return INDEX if page == "index" else reverse("kpis:detail", kwargs={"pk": indicators[-1].pk})

    first = make_kpis(30, owner=commissioner)
    commissioner_client.get(INDEX)  # the first request of a session also stamps its activity (one write)
    with CaptureQueriesContext(connection) as ctx:
        assert commissioner_client.get(url(first)).status_code == 200
    at_30 = len(ctx.captured_queries)
    rest = make_kpis(270, owner=commissioner)
    with django_assert_num_queries(at_30):
        response = commissioner_client.get(url(rest))
    if page == "index":
        assert response.context["total"] == 300
        assert len(response.context["table"].paginated_rows) == 50


def test_kpi_and_outcome_pages_list_linked_contracts(viewer_client, three):
    from contracts.tests.factories import ContractFactory
    from outcomes.tests.factories import OutcomeFactory

    red = three[0]
    outcome = OutcomeFactory()
    contract = ContractFactory(title="Independent fostering framework call-off")
    contract.indicators.add(red)
    contract.outcomes.add(outcome)
    html = viewer_client.get(reverse("kpis:detail", kwargs={"pk": red.pk})).content.decode()
    assert "Independent fostering framework call-off" in html
    html = viewer_client.get(reverse("outcomes:detail", kwargs={"pk": outcome.pk})).content.decode()
    assert "Independent fostering framework call-off" in html


@pytest.fixture
def long_kpi(commissioner):
    """A monthly KPI with a target, England benchmarks and `n` values, added by calling it with n."""
    from kpis.periods import recent_period_ends

    indicator = IndicatorFactory(code="LONG1", name="Long-running KPI", frequency="monthly", unit="percentage")
    TargetFactory(indicator=indicator, kind="at_least", value=D(50), tolerance=D(5), starts_on=date(1700, 4, 1))

    def add(n: int):
        ends = recent_period_ends(date(2025, 4, 1), "monthly", n)
        have = set(Measurement.objects.filter(indicator=indicator).values_list("period_end", flat=True))
        from kpis.models import Benchmark

        new = [e for e in ends if e not in have]
        Measurement.objects.bulk_create(
            [Measurement(indicator=indicator, period_end=e, value=D(40 + e.month), status="green") for e in new]
        )
        Benchmark.objects.bulk_create(
            [Benchmark(indicator=indicator, period_end=e, source="england", value=D(45)) for e in new]
        )
        return indicator

    return add


def test_kpi_page_queries_and_size_do_not_grow_with_its_values(commissioner_client, long_kpi,
                                                               django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = long_kpi(30)
    url = reverse("kpis:detail", kwargs={"pk": indicator.pk})
    commissioner_client.get(INDEX)  # the first request of a session also stamps its activity (one write)
    with CaptureQueriesContext(connection) as ctx:
        small = commissioner_client.get(url)
    at_30 = len(ctx.captured_queries)
    long_kpi(3000)
    with django_assert_num_queries(at_30):
        response = commissioner_client.get(url)
    assert response.context["total_values"] == 3000
    assert len(response.context["rows"]) == 50
    # Page 1 of 60 plus a 120-value chart: bounded, not the megabytes every value once made.
    assert len(response.content) < 200_000
    assert len(response.content) < 2 * len(small.content) + 60_000
    with django_assert_num_queries(at_30):
        assert commissioner_client.get(f"{url}?page=37").status_code == 200


def test_kpi_page_pages_its_values_newest_first(viewer_client, long_kpi):
    indicator = long_kpi(130)
    url = reverse("kpis:detail", kwargs={"pk": indicator.pk})
    response = viewer_client.get(url)
    html = response.content.decode()
    ends = [r["m"].period_end for r in response.context["rows"]]
    assert ends[0] == date(2025, 3, 31) and len(ends) == 50 and ends == sorted(ends, reverse=True)
    assert "Showing values 1 to 50 of 130, newest first." in html
    assert 'class="govuk-pagination"' in html and 'aria-current="page">1</a>' in html
    assert 'href="?page=2#values" rel="next"' in html and 'rel="prev"' not in html
    # The chart keeps its own window (the latest 120 values) on every page of the table.
    assert "The latest 120 of 130 values." in html
    assert "120 values from Apr 2015 to Mar 2025" in html

    last = viewer_client.get(f"{url}?page=3")
    assert [r["m"].period_end for r in last.context["rows"]][-1] == date(2014, 6, 30)
    assert len(last.context["rows"]) == 30
    html = last.content.decode()
    assert "Showing values 101 to 130 of 130, newest first." in html
    assert 'href="?page=2#values" rel="prev"' in html and 'rel="next"' not in html
    assert "120 values from Apr 2015 to Mar 2025" in html


@pytest.mark.parametrize("page, shown", [
    ("0", 3), ("-1", 3), ("99999", 3), ("abc", 1), ("1.5", 1), ("", 1), ("9" * 400, 3), ("2%00", 1),
])
def test_kpi_page_any_page_value_shows_a_page(viewer_client, long_kpi, page, shown):
    indicator = long_kpi(130)
    response = viewer_client.get(reverse("kpis:detail", kwargs={"pk": indicator.pk}), {"page": page})
    assert response.status_code == 200
    assert response.context["values_page"].number == shown


def test_kpi_page_with_one_page_of_values_has_no_pagination(viewer_client, three):
    response = viewer_client.get(reverse("kpis:detail", kwargs={"pk": three[0].pk}))
    html = response.content.decode()
    assert 'class="govuk-pagination"' not in html and "Showing values" not in html
    assert "The latest" not in html
    assert [r["value"] for r in response.context["rows"]] == ["27.5%", "24.0%"]


@pytest.fixture
def small_counts():
    """SC40 counts children (3 in the latest period, 9 and 4 before); SC41 is a percentage of 2 of 5
    children; SC42 counts children in large numbers; SC43 counts something other than children."""
    from kpis.services import statuses_recompute

    theme = ThemeFactory(name="Safeguarding and Looked After Children")
    secure = IndicatorFactory(code="SC40", theme=theme, unit="count", counts_children=True, decimals=0)
    TargetFactory(indicator=secure, kind="at_most", value=D(8))
    for period_end, value in ((date(2024, 9, 30), "9"), (date(2024, 12, 31), "4"), (date(2025, 3, 31), "3")):
        MeasurementFactory(indicator=secure, period_end=period_end, value=D(value))
    rate = IndicatorFactory(code="SC41", theme=theme, unit="percentage", counts_children=True)
    MeasurementFactory(indicator=rate, value=D("40"), numerator=D("2"), denominator=D("5"))
    big = IndicatorFactory(code="SC42", theme=theme, unit="count", counts_children=True, decimals=0)
    MeasurementFactory(indicator=big, value=D("205"))
    other = IndicatorFactory(code="SC43", theme=theme, unit="count", counts_children=False, decimals=0)
    MeasurementFactory(indicator=other, value=D("4"))
    statuses_recompute()
    return secure, rate, big, other


def _latest_values(response) -> dict[str, str]:
    return {row.record.code: row.get_cell("latest_value") for row in response.context["table"].paginated_rows}


@pytest.mark.parametrize("role_client", ["committee_client", "viewer_client"])
def test_kpi_dashboard_shows_c_for_small_counts_of_children_as_downloads_do(request, small_counts, role_client):
    client = request.getfixturevalue(role_client)
    values = _latest_values(client.get(INDEX))
    assert values == {"SC40": "[c]", "SC41": "[c]", "SC42": "205", "SC43": "4"}


def test_commissioner_sees_every_kpi_value_on_the_dashboard(commissioner_client, small_counts):
    values = _latest_values(commissioner_client.get(INDEX))
    assert values == {"SC40": "3", "SC41": "40.0%", "SC42": "205", "SC43": "4"}


def test_committee_officer_sees_c_on_the_kpi_page_chart_and_values_table(committee_client, small_counts):
    secure = small_counts[0]
    response = committee_client.get(reverse("kpis:detail", args=[secure.pk]))
    html = response.content.decode()
    summary = re.search(r'id="kpi-summary">(.*?)</dl>', html, re.S).group(1)
    assert "Latest value</dt><dd class=\"govuk-summary-list__value\">[c] for the period ending 31 March 2025" in summary
    table = re.search(r'<table class="govuk-table" id="measurements">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<td class="govuk-table__cell app-numeric">([^<]*)</td>', table) == ["[c]", "[c]", "9"]
    chart = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    point_titles = re.findall(r"<circle[^>]*><title>([^<]*)</title>", chart)
    assert point_titles == ["30 Sep 2024: 9"]  # the two small values are not plotted
    assert "latest 9" in chart and ": 3<" not in chart and ": 4<" not in chart
    assert "[c]" in html and "Counts of 1 to 5 children are shown as [c]" in html


def test_committee_officer_sees_c_for_a_percentage_of_a_few_children(committee_client, small_counts):
    rate = small_counts[1]
    html = committee_client.get(reverse("kpis:detail", args=[rate.pk])).content.decode()
    assert "40.0%" not in html and "[c] for the period ending" in html


def test_commissioner_sees_the_small_values_on_the_kpi_page(commissioner_client, small_counts):
    secure = small_counts[0]
    html = commissioner_client.get(reverse("kpis:detail", args=[secure.pk])).content.decode()
    table = re.search(r'<table class="govuk-table" id="measurements">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<td class="govuk-table__cell app-numeric">([^<]*)</td>', table) == ["3", "4", "9"]
    assert "31 Mar 2025: 3</title>" in html and "[c]" not in html


def test_value_history_shows_committee_officers_c_for_a_count_of_children(committee_client, small_counts, commissioner):
    from kpis.services import measurement_record

    secure = small_counts[0]
    latest = secure.measurements.order_by("-period_end").first()
    measurement_record(indicator=secure, period_end=latest.period_end, value=D("9"), user=commissioner,
                       today=date(2025, 6, 1))
    measurement_record(indicator=secure, period_end=latest.period_end, value=D("4"), user=commissioner,
                       today=date(2025, 6, 1))
    url = reverse("record_history", args=["kpis", "measurement", latest.pk])
    committee = committee_client.get(url).content.decode()
    assert "<strong>Value</strong>: [c] → [c]" in committee
    assert "9.0000" not in committee and "4.0000" not in committee
    committee_client.force_login(commissioner)
    commissioner_html = committee_client.get(url).content.decode()
    assert "<strong>Value</strong>: 9.0000 → 4.0000" in commissioner_html


def test_a_saved_value_shows_its_status_at_once_and_recalculating_until_the_worker_runs(
    commissioner_client, commissioner, django_capture_on_commit_callbacks
):
    from kpis.services import statuses_recompute

    kpi = IndicatorFactory(code="CLA01", name="Children looked after", unit="count", polarity="lower_is_better",
                           decimals=0, owner=commissioner)
    TargetFactory(indicator=kpi, kind="at_most", value=D(376), tolerance=None)
    MeasurementFactory(indicator=kpi, period_end=date(2025, 2, 28), value=D(380))
    MeasurementFactory(indicator=kpi, period_end=date(2025, 3, 31), value=D(390))
    statuses_recompute()
    url = reverse("kpis:measurement_add", kwargs={"pk": kpi.pk})
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the worker has not run yet
        response = commissioner_client.post(url, {"period_end": "30/04/2025", "value": "360"})
    assert len(queued) == 1  # the bulk recompute is still queued for the worker
    page = commissioner_client.get(response.url).content.decode()
    assert "saved. Status: Green." in page
    summary = page[page.index('id="kpi-summary"'):page.index("</dl>", page.index('id="kpi-summary"'))]
    assert "Green" in summary and "Red" not in summary and "Improving" in summary
    assert 'id="recalculating"' in page
    assert page.count("data-recalculating") == 1  # only the new value; earlier ones are confirmed
    listed = commissioner_client.get(INDEX + "?q=CLA01").content.decode()
    assert 'data-status="green">1<' in listed

    # A correction to an earlier period: later values' direction waits on the worker too.
    commissioner_client.post(url, {"period_end": "28/02/2025", "value": "300"})
    assert commissioner_client.get(response.url).content.decode().count("data-recalculating") == 3
    assert Measurement.objects.get(indicator=kpi, period_end=date(2025, 2, 28)).status == "green"

    statuses_recompute()
    page = commissioner_client.get(response.url).content.decode()
    assert "Recalculating" not in page and "saved." not in page


@pytest.mark.parametrize("polarity, direction, text", [
    ("higher_is_better", "improving", "↑ Improving"),
    ("higher_is_better", "worsening", "↓ Worsening"),
    ("lower_is_better", "improving", "↓ Improving"),
    ("lower_is_better", "worsening", "↑ Worsening"),
    ("within_band", "improving", "Improving"),  # either way can be better within a band
    ("lower_is_better", "no_change", "→ No change"),
    ("higher_is_better", "unknown", "Unknown"),
])
def test_the_arrow_shows_which_way_the_value_moved_and_the_word_whether_that_is_good(polarity, direction, text):
    from kpis.tables import direction_text

    assert direction_text(direction, polarity) == text


def test_exports_guard_text_that_would_run_as_a_formula_and_keep_negative_values_numbers(viewer_client):
    from kpis.services import statuses_recompute

    kpi = IndicatorFactory(code="FN01", name="=HYPERLINK(\"http://x\")", unit="money")
    MeasurementFactory(indicator=kpi, value=D("-5"))
    statuses_recompute()
    rows = list(csv.reader(io.StringIO(viewer_client.get(f"{INDEX}?export=csv").content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")" and D(rows[1][7]) == -5
    sheet = load_workbook(io.BytesIO(viewer_client.get(f"{INDEX}?export=xlsx").content)).active
    row = list(sheet.iter_rows(values_only=True))[1]
    assert row[1] == "'=HYPERLINK(\"http://x\")" and row[7] == -5


@pytest.fixture
def late_benchmarks():
    """Quarterly KPIs for 2026/27 Q3 against England, whose figure was last published for 2024/25."""
    from kpis.services import statuses_recompute

    theme = ThemeFactory(name="Safeguarding and Looked After Children")
    made = {}
    for code, value in (("SC14", "80"), ("SC15", "40")):
        kpi = IndicatorFactory(code=code, theme=theme, frequency="quarterly")
        TargetFactory(indicator=kpi, kind="at_least_benchmark", benchmark_source="england", value=None,
                      tolerance=D(2), starts_on=date(2024, 4, 1))
        BenchmarkFactory(indicator=kpi, period_end=date(2024, 3, 31), value=D("44.0"))
        BenchmarkFactory(indicator=kpi, period_end=date(2025, 3, 31), value=D("46.2"))
        MeasurementFactory(indicator=kpi, period_end=date(2026, 12, 31), value=D(value))
        made[code] = kpi
    never = IndicatorFactory(code="SC16", theme=theme, frequency="quarterly")
    TargetFactory(indicator=never, kind="at_least_benchmark", benchmark_source="england", value=None,
                  starts_on=date(2024, 4, 1))
    MeasurementFactory(indicator=never, period_end=date(2026, 12, 31), value=D("80"))
    statuses_recompute()
    return made


@pytest.mark.usefixtures("late_benchmarks")
def test_a_target_following_a_late_benchmark_rates_the_value_and_names_the_benchmark(viewer_client):
    response = viewer_client.get(INDEX)
    rows = {row.record.code: row for row in response.context["table"].paginated_rows}
    assert {code: row.record.latest_status for code, row in rows.items()} == {
        "SC14": "green", "SC15": "red", "SC16": "no_target"}
    assert rows["SC14"].get_cell("target") == "At least 46.2% (England, 2024/25); amber from 44.2%"
    assert rows["SC16"].get_cell("target") == (
        "At least the England figure (no figure recorded yet); amber within 5.0%")

    export = viewer_client.get(f"{INDEX}?export=csv")
    csv_rows = {r[0]: r for r in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))}
    assert csv_rows["SC15"][8] == "At least 46.2% (England, 2024/25); amber from 44.2%"
    assert csv_rows["SC15"][9] == "Red" and csv_rows["SC16"][9] == "No target"


def test_the_kpi_page_states_the_late_benchmark_the_target_follows(viewer_client, late_benchmarks):
    page = viewer_client.get(reverse("kpis:detail", kwargs={"pk": late_benchmarks["SC15"].pk}))
    assert page.context["latest_status"] == "red"
    assert page.context["current_target"] == "At least 46.2% (England, 2024/25); amber from 44.2%"
    assert page.context["rows"][0]["target"] == "At least 46.2% (England, 2024/25); amber from 44.2%"
