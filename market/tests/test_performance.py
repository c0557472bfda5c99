"""Contract performance: a contract's own KPIs, the provider's return, the Procurement Act rating, and the
Market and quality report section."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts.tests.factories import ContractFactory, ProviderFactory
from core.imports import ImportFailed, read_table
from market import reports, selectors, services
from market.models import ContractIndicatorValue, OfstedSetting
from market.services import contract_return_import


def live(**kwargs):
    today = timezone.localdate()
    return ContractFactory(start_date=today - timedelta(days=100), end_date=today + timedelta(days=900), **kwargs)


@pytest.fixture
def contract(commissioner):
    contract = live(total_value=Decimal("6000000"), annual_value=Decimal("2000000"))
    services.contract_kpi_create(contract=contract, user=commissioner, code="K1", name="Offers within 5 days",
                                 unit="percentage", target_kind="at_least", target=Decimal("90"),
                                 tolerance=Decimal("5"))
    services.contract_kpi_create(contract=contract, user=commissioner, code="K2", name="Unplanned endings",
                                 unit="percentage", target_kind="at_most", target=Decimal("5"), tolerance=Decimal("2"))
    return contract


def upload(text):
    return read_table(text.encode(), "return.csv")


@pytest.mark.django_db
def test_a_return_sets_values_and_the_status_comes_from_the_kpi_engine(contract, commissioner, commissioner_client):
    summary = contract_return_import(upload("KPI,Period end,Value\nK1,31/03/2026,87\nk2,31/03/2026,9\n"),
                                     contract=contract, user=commissioner)
    assert summary.created == 2
    rows = {r["indicator"].code: r["latest"]["status"] for r in selectors.contract_kpi_rows(contract=contract)}
    assert rows == {"K1": "amber", "K2": "red"}
    body = commissioner_client.get(f"/market/contracts/{contract.pk}/").content.decode()
    assert "Amber" in body and "Red" in body


@pytest.mark.django_db
def test_a_return_with_any_bad_row_saves_nothing(contract, commissioner):
    with pytest.raises(ImportFailed) as failed:
        contract_return_import(upload("kpi,period_end,value\nK1,31/03/2026,87\nK9,31/03/2026,1\n"
                                      "K1,31/03/2026,88\nK2,31/02/2026,x\n"), contract=contract, user=commissioner)
    messages = [str(e) for e in failed.value.errors]
    assert "Row 3, column 'kpi': 'K9' is not a KPI of contract" in messages[0]
    assert any("Row 4" in m and "repeated (first on row 2)" in m for m in messages)
    assert any("Row 5, column 'period_end'" in m for m in messages)
    assert any("Row 5, column 'value': 'x' is not a number" in m for m in messages)
    assert ContractIndicatorValue.objects.count() == 0


@pytest.mark.django_db
def test_the_return_upload_page_lists_errors(contract, commissioner_client):
    response = commissioner_client.post(f"/market/contracts/{contract.pk}/return/", {
        "file": SimpleUploadedFile("r.csv", b"kpi,period_end,value\nK7,31/03/2026,1\n")})
    assert "&#x27;K7&#x27; is not a KPI of contract" in response.content.decode()


@pytest.mark.django_db
def test_large_contracts_with_fewer_than_three_kpis_are_flagged(contract, commissioner, commissioner_client):
    small = live(total_value=Decimal("4000000"), annual_value=Decimal("1000000"))
    body = commissioner_client.get("/market/performance/").content.decode()
    flagged = body[body.index('id="needing-kpis"'):body.index('id="ratings"')]
    assert contract.reference in flagged and small.reference not in flagged
    services.contract_kpi_create(contract=contract, user=commissioner, code="K3", name="Plans up to date",
                                 unit="percentage", target_kind="at_least", target=Decimal("95"))
    assert list(selectors.contracts_needing_kpis(as_of=timezone.localdate())) == []


@pytest.mark.django_db
def test_a_rating_needs_reasons_and_is_exported_for_publication(contract, commissioner_client):
    response = commissioner_client.post(f"/market/contracts/{contract.pk}/rating/",
                                        {"year_ending": "31/03/2026", "rating": "requires_improvement", "reasons": ""})
    assert "Enter the reasons for the rating" in response.content.decode()
    commissioner_client.post(f"/market/contracts/{contract.pk}/rating/", {
        "year_ending": "31/03/2026", "rating": "requires_improvement", "reasons": "Missed K1 in three quarters."})
    response = commissioner_client.get("/market/performance/ratings.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["contract_reference", "contract_title", "supplier", "year_ending", "rating", "reasons"]
    assert rows[1][0] == contract.reference
    assert rows[1][3:] == ["2026-03-31", "Requires improvement", "Missed K1 in three quarters."]


@pytest.mark.django_db
def test_the_report_section_shows_the_profile_changes_concentration_and_ratings(contract, commissioner):
    from django.template.loader import render_to_string

    from market.models import OfstedInspection

    today = timezone.localdate()
    provider = contract.provider
    provider.ofsted_rating = "requires_improvement"
    provider.save()
    ProviderFactory(name="Unused Homes", ofsted_rating="inadequate")  # no contract, no child: not in use
    setting = OfstedSetting.objects.create(urn=provider.ofsted_urn, provider=provider)
    OfstedInspection.objects.create(setting=setting, inspected_on=today - timedelta(days=400), judgement="good")
    OfstedInspection.objects.create(setting=setting, inspected_on=today - timedelta(days=30),
                                    judgement="requires_improvement")
    services.contract_performance_rate(contract=contract, user=commissioner, year_ending=date(2026, 3, 31),
                                       rating="approaching_target", reasons="Close to target.")
    context = reports.section_context(period_start=today - timedelta(days=90), period_end=today, as_of=today)
    assert {r["label"]: r["count"] for r in context["profile"]["profile"]}["Requires improvement"] == 1
    assert context["profile"]["in_use"] == 1
    html = render_to_string("market/pdf/section.html", {**context, "section": {"number": 6}})
    assert "Good</td><td>Requires improvement" in html.replace("\n", "")
    assert "Approaching target" in html
    assert contract.reference in html


@pytest.mark.django_db
def test_the_section_is_registered_for_committee_reports():
    from core.registry import registry

    section = registry.report_sections["market"]
    assert section.heading == "Market and quality"


@pytest.mark.django_db
def test_the_profile_is_as_at_the_report_day_whenever_it_is_built(commissioner):
    import time_machine

    from contracts.services import provider_update
    from market.models import OfstedInspection

    with time_machine.travel(date(2026, 1, 15), tick=False):
        held = ContractFactory(start_date=date(2025, 4, 1), end_date=date(2027, 3, 31), extension_options="")
        setting = OfstedSetting.objects.create(urn=held.provider.ofsted_urn, provider=held.provider)
        OfstedInspection.objects.create(setting=setting, inspected_on=date(2026, 1, 10), judgement="good")
        provider_update(provider=held.provider, user=commissioner, ofsted_rating="good")
    with time_machine.travel(date(2026, 5, 20), tick=False):  # after the quarter: a new judgement, a new contract
        OfstedInspection.objects.create(setting=setting, inspected_on=date(2026, 5, 12), judgement="inadequate")
        provider_update(provider=held.provider, user=commissioner, ofsted_rating="inadequate")
        ContractFactory(start_date=date(2025, 4, 1), end_date=date(2027, 3, 31), extension_options="",
                        provider=ProviderFactory(name="Started later", ofsted_rating="outstanding"), status="live")

    profile = selectors.ofsted_profile(as_of=date(2026, 3, 31), since=date(2025, 12, 31))
    counts = {r["label"]: r["count"] for r in profile["profile"]}
    assert counts["Good"] == 1 and counts["Inadequate"] == 0 and profile["in_use"] == 2
    assert counts["Outstanding"] == 1  # entered after the day, dated before it: as first entered
