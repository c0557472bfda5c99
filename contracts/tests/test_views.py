import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contracts.models import Contract, ContractReview
from contracts.tests.factories import (
    ContractFactory,
    FrameworkFactory,
    MembershipFactory,
    PlanItemFactory,
    ProviderFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _make(n, manager=None):
    provider = ProviderFactory()
    for i in range(n):
        ContractFactory(provider=provider if i % 2 else ProviderFactory(), contract_manager=manager,
                        end_date=TODAY + timedelta(days=30 * (i + 1)), annual_value=Decimal("1000") * (i + 1))


# --- register -------------------------------------------------------------------------------

def test_register_shows_rows_totals_and_status(commissioner_client, commissioner):
    ContractFactory(reference="FOS-1", annual_value=Decimal("120000"), end_date=TODAY + timedelta(days=60),
                    contract_manager=commissioner)
    ContractFactory(reference="OLD-1", annual_value=Decimal("5000"), start_date=date(2020, 1, 1),
                    end_date=TODAY - timedelta(days=10), extension_options="", decision="let_expire",
                    decision_for_end=TODAY - timedelta(days=10))
    response = commissioner_client.get(reverse("contracts:index"))
    html = response.content.decode()
    assert "FOS-1" in html and "OLD-1" not in html  # current contracts unless asked
    assert response.context["totals"]["annual"] == Decimal("120000")
    assert "£120,000" in html and ">Live<" in html
    response = commissioner_client.get(reverse("contracts:index") + "?status=all")
    html = response.content.decode()
    assert "OLD-1" in html and response.context["totals"]["annual"] == Decimal("125000")
    assert "£125,000" in html and ">Expired<" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=live", {"A", "B"}),
        ("status=expired", {"D"}),
        ("status=ended_no_decision", {"C"}),
        ("alert=past_end", {"C"}),
        ("service_area=fostering", {"B"}),
        ("risk=high", {"A"}),
        ("ends_within=3", {"A"}),
        ("alert=decision_due", {"A"}),
        ("alert=review_overdue", {"A", "B", "C"}),
        ("q=beta", {"B"}),
        ("contract_type=spot", {"C"}),
        ("contract_type=spot&status=all", {"C", "D"}),
        ("status=all", {"A", "B", "C", "D"}),
        ("", {"A", "B", "C"}),
        ("procurement_route=framework", {"B"}),
    ],
)
def test_register_filters(commissioner_client, query, expected):
    ContractFactory(reference="A", risk="high", end_date=TODAY + timedelta(days=40), start_date=date(2024, 1, 1))
    ContractFactory(reference="B", title="Beta fostering", service_area_id="fostering", procurement_route="framework",
                    end_date=TODAY + timedelta(days=400), start_date=date(2024, 1, 1))
    ContractFactory(reference="C", contract_type="spot", start_date=date(2020, 1, 1),
                    end_date=TODAY - timedelta(days=5), extension_options="")
    ContractFactory(reference="D", contract_type="spot", start_date=date(2020, 1, 1),
                    end_date=TODAY - timedelta(days=5), extension_options="", decision="decommission",
                    decision_for_end=TODAY - timedelta(days=5))
    response = commissioner_client.get(reverse("contracts:index") + "?" + query)
    assert {c.reference for c in response.context["table"].data} == expected, query
    assert response.context["totals"]["count"] == len(expected)


def test_register_filter_by_manager_and_provider(commissioner_client, commissioner):
    mine = ContractFactory(reference="MINE", contract_manager=commissioner)
    ContractFactory(reference="OTHER")
    response = commissioner_client.get(reverse("contracts:index"), {"manager": commissioner.pk})
    assert [c.reference for c in response.context["table"].data] == ["MINE"]
    response = commissioner_client.get(reverse("contracts:index"), {"provider": mine.provider_id})
    assert [c.reference for c in response.context["table"].data] == ["MINE"]


@pytest.mark.parametrize("query", ["ends_within=abc", "ends_within=-3", "status=nonsense", "provider=999999",
                                   "manager=x", "page=999", "sort=nonsense", "alert=bogus", "ends_within=1e99"])
def test_register_bad_parameters_never_500(commissioner_client, query):
    ContractFactory()
    response = commissioner_client.get(reverse("contracts:index") + "?" + query)
    assert response.status_code in (200, 404)


def test_register_bad_filter_shows_error_summary(commissioner_client):
    response = commissioner_client.get(reverse("contracts:index") + "?ends_within=abc")
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a whole number of months" in html
    assert "<title>Error:" in html


def test_register_query_count_does_not_grow(commissioner_client, commissioner, django_assert_num_queries):
    _make(3, commissioner)
    url = reverse("contracts:index") + "?ends_within=120"
    commissioner_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        commissioner_client.get(url)
    _make(40, commissioner)
    with django_assert_num_queries(len(small.captured_queries)):
        response = commissioner_client.get(url)
    assert response.context["totals"]["count"] == 43


def test_export_csv_and_xlsx_follow_the_filters(commissioner_client):
    ContractFactory(reference="HIGH-1", risk="high", annual_value=Decimal("1234.50"))
    ContractFactory(reference="LOW-1", risk="low", title="=HYPERLINK(\"x\")")
    response = commissioner_client.get(reverse("contracts:export", args=["csv"]) + "?risk=low")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Title", "Provider"]
    assert [r[0] for r in rows[1:]] == ["LOW-1"]
    assert rows[1][1].startswith("'=")  # a formula is never executed by a spreadsheet
    response = commissioner_client.get(reverse("contracts:export", args=["xlsx"]) + "?risk=high")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "HIGH-1" and values[1][values[0].index("Annual value")] == 1234.5
    assert commissioner_client.get(reverse("contracts:export", args=["pdf"])).status_code == 404


# --- contract page and forms ----------------------------------------------------------------

def test_contract_page_shows_timeline_reviews_and_history_link(viewer_client):
    contract = ContractFactory(reference="TL-1", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31),
                               extension_options="12+12", extensions_used=1)
    ReviewFactory(contract=contract, findings="Good outcomes for young people", rating="good")
    html = viewer_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "31 March 2028" in html and "Current end" in html  # after one extension
    assert "31 March 2029" in html and "1 extension available" in html
    assert "Extension taken" not in html  # the one taken is the current end
    assert "Good outcomes for young people" in html
    assert reverse("record_history", args=["contracts", "contract", contract.pk]) in html
    assert "Record the decision" not in html  # a viewer cannot


def test_contract_page_warns_when_decision_overdue(commissioner_client):
    contract = ContractFactory(start_date=TODAY - timedelta(days=700), end_date=TODAY + timedelta(days=60))
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "none is recorded" in html and "Record the decision" in html


def test_contract_past_its_end_but_marked_live_says_so(commissioner_client):
    contract = ContractFactory(start_date=date(2023, 4, 1), end_date=TODAY - timedelta(days=10),
                               extension_options="", status="live")
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Ended: no decision</strong>' in html
    assert ">Live<" not in html
    assert "no decision is recorded for that end" in html
    assert '<span class="app-count-card__number" id="days-since-end">10</span> days since the current end' in html
    assert "-10" not in html and "days to the current end" not in html


def test_contract_form_dates_are_typed_day_month_year(commissioner_client):
    contract = ContractFactory(start_date=date(2024, 4, 1))
    html = commissioner_client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    for part, value in (("day", "1"), ("month", "4"), ("year", "2024")):
        assert f'name="start_date_{part}" type="text" inputmode="numeric" value="{value}"' in html
    assert 'type="date"' not in html
    assert "For example, 31 3 2027." in html


def test_short_contract_lists_have_one_column_per_date(viewer_client):
    framework = FrameworkFactory()
    ContractFactory(framework=framework, reference="CALL-1")
    html = viewer_client.get(reverse("contracts:framework_detail", args=[framework.pk])).content.decode()
    assert html.count(">Current end</th>") == 1 and ">Status</th>" in html and ">Live<" in html
    due = viewer_client.get(reverse("contracts:due")).content.decode()
    assert "A short list of contracts" not in due and "date_field" not in due  # template notes never shown


def test_unknown_contract_is_404(commissioner_client):
    assert commissioner_client.get(reverse("contracts:detail", args=[987654])).status_code == 404
    assert commissioner_client.get(reverse("contracts:edit", args=[987654])).status_code == 404


def _form_data(provider, **overrides):
    data = {
        "reference": "NEW-1", "title": "Short breaks for disabled children", "service_area": "short_breaks",
        "provider": provider.pk, "contract_type": "block", "procurement_route": "open", "start_date": "2026-04-01",
        "end_date": "31/03/2029", "extension_options": "12 + 12", "extensions_used": "0", "annual_value": "150000",
        "total_value": "750000", "funding_source": "council", "risk": "medium", "savings": "12000",
    }
    data.update(overrides)
    return data


def test_create_contract(commissioner_client, commissioner):
    provider = ProviderFactory()
    response = commissioner_client.post(reverse("contracts:create"),
                                        _form_data(provider, annual_value="£150,000", total_value="750,000.00"))
    contract = Contract.objects.get(reference="NEW-1")
    assert response.status_code == 302 and response["Location"] == contract.get_absolute_url()
    assert contract.final_end == date(2031, 3, 31) and contract.extension_options == "12+12"
    assert (contract.annual_value, contract.total_value) == (Decimal("150000"), Decimal("750000"))
    assert contract.history.first().history_user == commissioner


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_date": "2026-01-01"}, "The original end date must be the same as or after the start date"),
        ({"annual_value": "-5"}, "The annual value must be £0 or more"),
        ({"total_value": "-5"}, "The whole-life value must be £0 or more"),
        ({"extension_options": "12 and 12"}, "Extension options must be months separated by +"),
        ({"extension_options": "12", "extensions_used": "3"}, "Extensions used must be 1 or fewer"),
        ({"extensions_used": "-1"}, "Extensions used must be 0 or more"),
        ({"start_date": "31/02/2026"}, "The start date must be a real date"),
        ({"title": ""}, "Enter the contract title"),
        ({"reference": "DUP"}, "A contract with this reference already exists"),
    ],
)
def test_create_contract_errors(commissioner_client, overrides, message):
    ContractFactory(reference="DUP")
    response = commissioner_client.post(reverse("contracts:create"), _form_data(ProviderFactory(), **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "<title>Error:" in html
    assert not Contract.objects.filter(reference="NEW-1").exists()


def test_edit_contract(commissioner_client):
    contract = ContractFactory(reference="ED-1")
    data = _form_data(contract.provider, reference="ED-1", extensions_used="1")
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.current_end == date(2030, 3, 31)


def test_record_decision_extend(commissioner_client):
    contract = ContractFactory(end_date=date(2027, 3, 31), extension_options="12")
    response = commissioner_client.post(reverse("contracts:decision", args=[contract.pk]),
                                        {"decision": "extend", "decided_on": TODAY.isoformat(), "note": "DMT"},
                                        follow=True)
    assert "Extension recorded" in response.content.decode() and "31 March 2028" in response.content.decode()
    contract.refresh_from_db()
    assert contract.extensions_used == 1
    # with no option left, "Extend" is not offered
    form = commissioner_client.get(reverse("contracts:decision", args=[contract.pk])).context["form"]
    assert "extend" not in [v for v, _ in form.fields["decision"].choices]


def test_record_decision_errors(commissioner_client):
    contract = ContractFactory()
    future = (TODAY + timedelta(days=3)).isoformat()
    response = commissioner_client.post(reverse("contracts:decision", args=[contract.pk]), {"decided_on": future})
    html = response.content.decode()
    assert "Select what will happen at the end of the contract" in html
    assert "The date of the decision must be today or in the past" in html


def test_add_review(commissioner_client):
    contract = ContractFactory(risk="high")
    response = commissioner_client.post(reverse("contracts:add_review", args=[contract.pk]), {
        "reviewed_on": TODAY.isoformat(), "kind": "quality_visit", "rating": "concerns",
        "findings": "Staffing gaps at weekends", "actions": "Provider to submit a recruitment plan"})
    assert response.status_code == 302
    review = ContractReview.objects.get(contract=contract)
    assert review.rating == "concerns"
    contract.refresh_from_db()
    assert contract.last_reviewed_on == TODAY


def test_add_review_requires_fields(commissioner_client):
    contract = ContractFactory()
    html = commissioner_client.post(reverse("contracts:add_review", args=[contract.pk]), {}).content.decode()
    assert "Enter the date of the review" in html and "Select the rating" in html


# --- providers, frameworks, pipeline, due ---------------------------------------------------

def test_provider_register_and_page(viewer_client):
    provider = ProviderFactory(name="Oak Tree Fostering", ofsted_rating="outstanding",
                               ofsted_inspected_on=date(2025, 6, 3))
    ContractFactory(provider=provider, reference="OAK-1", annual_value=Decimal("80000"))
    MembershipFactory(provider=provider, tier=2, agreed_weekly_price=Decimal("875.00"))
    response = viewer_client.get(reverse("contracts:providers") + "?ofsted_rating=outstanding")
    rows = list(response.context["table"].data)
    assert [p.name for p in rows] == ["Oak Tree Fostering"] and rows[0].live_contract_count == 1
    html = viewer_client.get(reverse("contracts:provider_detail", args=[provider.pk])).content.decode()
    assert "Outstanding (inspected 3 June 2025)" in html and "OAK-1" in html and "£875.00" in html


def test_frameworks(viewer_client):
    framework = FrameworkFactory(name="South Central IFA framework", member_councils="Reading\nWokingham")
    MembershipFactory(framework=framework, tier=1)
    MembershipFactory(framework=framework, tier=2)
    ContractFactory(framework=framework, reference="CALL-1")
    html = viewer_client.get(reverse("contracts:frameworks")).content.decode()
    assert "South Central IFA framework" in html
    response = viewer_client.get(reverse("contracts:framework_detail", args=[framework.pk]))
    html = response.content.decode()
    assert "Reading, Wokingham" in html and "CALL-1" in html and "Providers (2)" in html


def test_pipeline_groups_by_quarter_and_lists_key_decisions(viewer_client):
    PlanItemFactory(title="Fostering recommission", planned_award=date(2027, 5, 1), key_decision=True,
                    estimated_value=Decimal("3000000"))
    PlanItemFactory(title="Advocacy service", planned_award=date(2027, 6, 1), key_decision=False,
                    estimated_value=Decimal("200000"))
    PlanItemFactory(title="Cancelled one", status="cancelled")
    response = viewer_client.get(reverse("contracts:pipeline"))
    quarters = response.context["quarters"]
    assert [q["label"] for q in quarters] == ["2027/28 Q1 (April to June 2027)"]
    assert quarters[0]["total"] == Decimal("3200000")
    assert [i.title for i in response.context["key_decisions"]] == ["Fostering recommission"]
    assert "Awaiting approval" in response.content.decode()


def test_due_page(commissioner_client, commissioner):
    ContractFactory(reference="SOON", start_date=date(2024, 1, 1), end_date=TODAY + timedelta(days=45),
                    contract_manager=commissioner, last_reviewed_on=TODAY)
    ContractFactory(reference="OTHER", start_date=date(2024, 1, 1), end_date=TODAY + timedelta(days=45))
    response = commissioner_client.get(reverse("contracts:due"))
    lists = {item["key"]: item for item in response.context["lists"]}
    assert {c.reference for c in lists["decision_due"]["rows"]} == {"SOON", "OTHER"}
    assert {c.reference for c in lists["review_overdue"]["rows"]} == {"OTHER"}
    assert response.context["counts"] == {"decision_due": 2, "past_end": 0, "review_overdue": 1, "ending": 2}
    mine = commissioner_client.get(reverse("contracts:due") + "?mine=1")
    assert [c.reference for c in mine.context["lists"][0]["rows"]] == ["SOON"]


def test_due_page_shows_the_first_rows_and_links_to_the_rest(commissioner_client, settings):
    from contracts.views import ContractsDueView

    for i in range(ContractsDueView.shown + 2):
        ContractFactory(start_date=date(2024, 1, 1), end_date=TODAY + timedelta(days=20 + i))
    html = commissioner_client.get(reverse("contracts:due")).content.decode()
    assert f"Showing the first 25 of {ContractsDueView.shown + 2}" in html
    assert "?alert=decision_due" in html


@pytest.mark.parametrize("name, builder", [
    ("contracts:providers", lambda n: [ContractFactory() for _ in range(n)]),
    ("contracts:due", lambda n: _make(n)),
    ("contracts:pipeline", lambda n: [PlanItemFactory(replaces=ContractFactory()) for _ in range(n)]),
    ("contracts:frameworks", lambda n: [MembershipFactory() for _ in range(n)]),
])
def test_list_pages_query_count_constant(commissioner_client, name, builder, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    builder(2)
    commissioner_client.get(reverse(name))
    with CaptureQueriesContext(connection) as small:
        commissioner_client.get(reverse(name))
    builder(15)
    with django_assert_num_queries(len(small.captured_queries)):
        commissioner_client.get(reverse(name))


def test_detail_pages_query_count_constant(commissioner_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    framework = FrameworkFactory()
    provider = ProviderFactory()
    contract = ContractFactory(provider=provider, framework=framework)
    MembershipFactory(framework=framework, provider=provider)
    urls = [reverse("contracts:provider_detail", args=[provider.pk]),
            reverse("contracts:framework_detail", args=[framework.pk]),
            reverse("contracts:detail", args=[contract.pk])]
    counts = {}
    for url in urls:
        commissioner_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            commissioner_client.get(url)
        counts[url] = len(ctx.captured_queries)
    for _ in range(10):
        ContractFactory(provider=provider, framework=framework)
        MembershipFactory(framework=framework)
        ReviewFactory(contract=contract)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            commissioner_client.get(url)


def test_register_filter_labels_are_plain_words():
    from contracts.filters import ContractFilter

    labels = [f.label for f in ContractFilter({}).form.fields.values()]
    assert labels == ["Reference, title or provider", "Service area", "Provider", "Type", "Route", "Status", "Risk",
                      "Contract manager", "Ends within (months)", "Alert"]


def test_manager_filter_accepts_any_user_and_dashboard_links(commissioner_client, commissioner):
    ContractFactory(reference="NOT-MINE")
    response = commissioner_client.get(reverse("contracts:index"),
                                       {"alert": "decision_due", "manager": commissioner.pk})
    assert response.context["filter"].is_valid()
    assert list(response.context["table"].data) == []


def test_provider_page_counts_current_placements_for_those_allowed(client, users):
    provider = ProviderFactory()
    client.force_login(users["Placements officer"])
    html = client.get(reverse("contracts:provider_detail", args=[provider.pk])).content.decode()
    assert 'id="placements-now">0<' in html
    client.force_login(users["Viewer"])
    html = client.get(reverse("contracts:provider_detail", args=[provider.pk])).content.decode()
    assert "placements-now" not in html


def test_register_links_each_contract_and_provider(commissioner_client):
    from contracts.models import url_maker

    contract = ContractFactory()
    html = commissioner_client.get(reverse("contracts:index")).content.decode()
    assert f'href="{contract.get_absolute_url()}"' in html
    assert f'href="{contract.provider.get_absolute_url()}"' in html
    assert url_maker("contracts:detail")(contract.pk) == contract.get_absolute_url()


def test_register_shows_the_provider_and_how_late_each_decision_is(commissioner_client):
    today = timezone.localdate()
    ContractFactory(reference="LATE-1", provider=ProviderFactory(name="Harbour Fostering"),
                    start_date=today - timedelta(days=700), end_date=today + timedelta(days=100),
                    extension_options="", status="live")
    html = commissioner_client.get(reverse("contracts:index") + "?alert=decision_due").content.decode()
    assert ">Provider<" in html and ">Name<" not in html and "Decision due" in html
    row = html[html.index("LATE-1"):html.index("</tr>", html.index("LATE-1"))]
    contract = Contract.objects.get(reference="LATE-1")
    late = (today - contract.decision_due_on).days
    assert late > 0 and f"{late} days overdue" in row and "Harbour Fostering" in row
    assert f"{contract.decision_due_on:%-d %b %Y}" in row


def test_contract_page_says_when_the_re_procurement_award_date_has_passed(commissioner_client):
    today = timezone.localdate()
    contract = ContractFactory(start_date=today - timedelta(days=700), end_date=today + timedelta(days=200))
    PlanItemFactory(replaces=contract, title="Fostering re-let", planned_start=today - timedelta(days=120),
                    planned_award=today - timedelta(days=3), status="in_progress",
                    approved_on=today - timedelta(days=30))
    PlanItemFactory(replaces=contract, title="Later lot", planned_start=today, planned_award=today + timedelta(days=60))
    html = commissioner_client.get(reverse("contracts:detail", kwargs={"pk": contract.pk})).content.decode()
    listed = html[html.index('id="reprocurement"'):]
    assert listed.count("Award date passed") == 1
    assert listed.index("Fostering re-let") < listed.index("Award date passed") < listed.index("Later lot")


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_contract_records_award_and_signature_dates_and_irrecoverable_vat_of_none(commissioner_client):
    provider = ProviderFactory()
    response = commissioner_client.post(reverse("contracts:create"), _form_data(
        provider, awarded_on="2026-02-10", signed_on="03/03/2026", irrecoverable_vat="0"))
    contract = Contract.objects.get(reference="NEW-1")
    assert response.status_code == 302
    assert (contract.awarded_on, contract.signed_on, contract.irrecoverable_vat) == (
        date(2026, 2, 10), date(2026, 3, 3), Decimal("0"))
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "10 February 2026" in html and "3 March 2026" in html
    assert "Irrecoverable VAT</dt><dd class=\"govuk-summary-list__value\">£0<" in html
    # Left blank, the VAT is not known: the page says so rather than showing £0.00.
    commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), _form_data(provider))
    contract.refresh_from_db()
    assert contract.irrecoverable_vat is None and contract.awarded_on is None
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Irrecoverable VAT</dt><dd class=\"govuk-summary-list__value\">Not known<" in html


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"awarded_on": "2026-03-10", "signed_on": "2026-03-01"},
         "The date signed must be the same as or after the award date"),
        ({"signed_on": "2026-11-24"}, "The date signed must be today or in the past"),
        ({"awarded_on": "2027-01-05"}, "The award date must be today or in the past"),
        ({"irrecoverable_vat": "-1"}, "The irrecoverable VAT must be £0 or more"),
    ],
)
def test_award_signature_and_vat_errors(commissioner_client, overrides, message):
    response = commissioner_client.post(reverse("contracts:create"), _form_data(ProviderFactory(), **overrides))
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert not Contract.objects.filter(reference="NEW-1").exists()
