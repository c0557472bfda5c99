"""Add and edit providers (pages for commissioners, not only the admin): what the commissioner sees,
the values saved, who is recorded in the history, and one clear message per rule, shared with the import."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.imports import IMPORT_COLUMNS, import_contracts
from contracts.models import Provider
from contracts.tests.factories import ProviderFactory
from core.imports import ImportFailed, read_table

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _errors(response) -> str:
    """The error summary's text, so a test checks the message a user reads there."""
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    start = html.index("govuk-error-summary")
    return html[start: html.index("</div>", html.index("govuk-error-summary__body", start))]


def _data(**overrides):
    data = {
        "name": "Harbour Fostering", "kind": "private", "status": "active",
        "companies_house_number": "sc 123456", "charity_number": "", "is_sme": "on", "is_vcse": "",
        "ofsted_urn": "sc401234", "ofsted_rating": "good", "ofsted_inspected_on": "14/03/2025",
        "locality": "Eastvale",
    }
    data.update(overrides)
    return data


def test_add_a_provider_from_the_register(commissioner_client, commissioner):
    listing = commissioner_client.get(reverse("contracts:providers")).content.decode()
    assert reverse("contracts:provider_create") in listing and "Add a provider" in listing
    response = commissioner_client.post(reverse("contracts:provider_create"), _data(), follow=True)
    html = response.content.decode()
    provider = Provider.objects.get()
    assert (provider.name, provider.kind, provider.status) == ("Harbour Fostering", "private", "active")
    assert provider.companies_house_number == "SC123456" and provider.ofsted_urn == "SC401234"
    assert provider.ofsted_rating == "good" and provider.ofsted_inspected_on == date(2025, 3, 14)
    assert provider.is_sme and not provider.is_vcse and provider.locality == "Eastvale"
    assert provider.history.get().history_user == commissioner
    assert response.redirect_chain[-1][0] == provider.get_absolute_url()
    assert "Provider added: Harbour Fostering" in html
    assert '<h1 class="govuk-heading-l">Harbour Fostering</h1>' in html
    assert "Good (inspected 14 March 2025)" in html and "SC123456" in html


def test_edit_a_provider_from_its_page(commissioner_client, commissioner):
    provider = ProviderFactory(name="Safe Haven Trust", kind="private", ofsted_urn="SC400001",
                               ofsted_inspected_on=date(2024, 6, 3), companies_house_number="01234567")
    page = commissioner_client.get(provider.get_absolute_url()).content.decode()
    url = reverse("contracts:provider_edit", args=[provider.pk])
    assert url in page and "Edit provider" in page
    form_page = commissioner_client.get(url)
    form_html = form_page.content.decode()
    assert 'value="Safe Haven Trust"' in form_html
    assert 'name="ofsted_inspected_on_day" type="text" inputmode="numeric" value="3"' in form_html
    assert 'name="ofsted_inspected_on_month" type="text" inputmode="numeric" value="6"' in form_html
    assert 'value="01234567"' in form_html
    assert reverse("record_history", args=["contracts", "provider", provider.pk]) in form_html
    response = commissioner_client.post(url, _data(
        name="Safe Haven Trust CIO", kind="voluntary", status="suspended", companies_house_number="",
        charity_number="1123456-1", is_sme="", is_vcse="on", ofsted_urn="2501234", ofsted_rating="requires_improvement",
        ofsted_inspected_on=TODAY.isoformat()), follow=True)
    html = response.content.decode()
    assert "Provider updated: Safe Haven Trust CIO" in html
    provider.refresh_from_db()
    assert (provider.name, provider.kind, provider.status) == ("Safe Haven Trust CIO", "voluntary", "suspended")
    assert provider.charity_number == "1123456-1" and provider.companies_house_number == ""
    assert provider.ofsted_urn == "2501234" and provider.ofsted_inspected_on == TODAY
    assert provider.is_vcse and not provider.is_sme
    assert provider.history.first().history_user == commissioner and provider.history.count() == 2
    assert "Suspended (no new placements)" in html and "Requires improvement" in html


def test_a_provider_keeps_its_own_name_and_may_change_its_capitals(commissioner_client):
    provider = ProviderFactory(name="Brightfutures fostering")
    url = reverse("contracts:provider_edit", args=[provider.pk])
    assert commissioner_client.post(url, _data(name="Brightfutures fostering")).status_code == 302
    assert commissioner_client.post(url, _data(name="BrightFutures Fostering")).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "BrightFutures Fostering"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "Enter the name of the provider"),
        ({"name": "  harbour FOSTERING "}, "name",
         "A provider called Harbour Fostering already exists: provider names must be unique, ignoring capitals"),
        ({"name": "x" * 201}, "name", "Enter a name of 200 characters or fewer"),
        ({"kind": "charity"}, "kind", "Select the kind of provider from the list"),
        ({"status": "closed"}, "status", "Select the status from the list"),
        ({"companies_house_number": "1234ABCD"}, "companies_house_number",
         "Enter the Companies House number as 8 characters: 8 digits, like 01234567, or 2 letters and 6 digits"),
        ({"companies_house_number": "123456789"}, "companies_house_number",
         "Enter the Companies House number as 8 characters"),
        ({"companies_house_number": "12345678901"}, "companies_house_number",
         "Enter the Companies House number as 8 characters"),
        ({"charity_number": "SC012345"}, "charity_number",
         "Enter the charity number from the register of charities in England and Wales: 6 to 8 digits"),
        ({"charity_number": "12345"}, "charity_number", "Enter the charity number from the register of charities"),
        ({"ofsted_urn": "EY123"}, "ofsted_urn", "Enter the Ofsted URN as 6 to 8 digits, like 2501234, or SC or EY"),
        ({"ofsted_urn": "XX123456"}, "ofsted_urn", "Enter the Ofsted URN as 6 to 8 digits"),
        ({"ofsted_urn": "", "ofsted_inspected_on": ""}, "ofsted_rating",
         "Enter the Ofsted URN, or remove the rating: only a provider registered with Ofsted has a rating"),
        ({"ofsted_urn": "", "ofsted_rating": ""}, "ofsted_inspected_on",
         "Enter the Ofsted URN, or remove the inspection date"),
        ({"ofsted_inspected_on": (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")}, "ofsted_inspected_on",
         "The date of the last Ofsted inspection must be today or in the past"),
        ({"ofsted_inspected_on": "31/02/2025"}, "ofsted_inspected_on",
         "The date of the last Ofsted inspection must be a real date"),
        ({"ofsted_rating": "excellent"}, "ofsted_rating", "Select the Ofsted rating from the list"),
    ],
)
def test_provider_errors(commissioner_client, overrides, field, message):
    ProviderFactory(name="Harbour Fostering")
    response = commissioner_client.post(reverse("contracts:provider_create"), _data(**overrides))
    summary = _errors(response)
    assert message in summary and summary.count(message) == 1
    assert message in " ".join(response.context["form"].errors[field])
    assert Provider.objects.count() == 1


def test_a_bad_number_on_edit_leaves_the_provider_as_it_was(commissioner_client):
    provider = ProviderFactory(name="Kept Ltd", companies_house_number="01234567")
    response = commissioner_client.post(reverse("contracts:provider_edit", args=[provider.pk]),
                                        _data(name="Renamed Ltd", companies_house_number="ABC"))
    assert "Enter the Companies House number as 8 characters" in _errors(response)
    provider.refresh_from_db()
    assert (provider.name, provider.companies_house_number) == ("Kept Ltd", "01234567")
    assert provider.history.count() == 1


@pytest.mark.parametrize(
    "typed, saved",
    [("1234567", "01234567"), ("oc 301234", "OC301234"), ("SC123456", "SC123456"), ("", "")],
)
def test_companies_house_numbers_are_written_as_companies_house_writes_them(commissioner, typed, saved):
    provider = services.provider_create(user=commissioner, name=f"Provider {typed or 'none'}",
                                        companies_house_number=typed)
    assert provider.companies_house_number == saved


def test_numbers_typed_with_spaces_are_not_cut_short(commissioner_client):
    form_html = commissioner_client.get(reverse("contracts:provider_create")).content.decode()
    assert 'name="charity_number" maxlength' not in form_html
    response = commissioner_client.post(reverse("contracts:provider_create"), _data(
        charity_number=" 1123456 - 12 ", companies_house_number="SC 12 34 56", ofsted_urn="SC 401 234"))
    assert response.status_code == 302
    provider = Provider.objects.get()
    assert (provider.charity_number, provider.companies_house_number, provider.ofsted_urn) == (
        "1123456-12", "SC123456", "SC401234")


def test_provider_service_refuses_unknown_fields_and_checks_rules(commissioner):
    with pytest.raises(TypeError):
        services.provider_create(user=commissioner, name="X", pk=5)
    with pytest.raises(ValidationError) as exc:
        services.provider_create(user=commissioner, name="X", ofsted_rating="good",
                                 ofsted_inspected_on=TODAY + timedelta(days=2))
    assert set(exc.value.message_dict) == {"ofsted_rating", "ofsted_inspected_on"}
    provider = ProviderFactory(name="Y")
    with pytest.raises(ValidationError) as exc:
        services.provider_update(provider=provider, user=commissioner, charity_number="12")
    assert "charity_number" in exc.value.message_dict
    assert not Provider.objects.filter(name="X").exists()


def test_the_database_refuses_names_differing_only_in_capitals():
    ProviderFactory(name="Oak House")
    with pytest.raises(IntegrityError), transaction.atomic():
        Provider.objects.create(name="OAK HOUSE")


def test_viewer_and_placements_officer_cannot_add_or_edit(viewer_client, placements_client):
    provider = ProviderFactory(name="Oak House")
    for client in (viewer_client, placements_client):
        listing = client.get(reverse("contracts:providers")).content.decode()
        assert reverse("contracts:provider_create") not in listing
        page = client.get(provider.get_absolute_url()).content.decode()
        assert "Edit provider" not in page
        assert client.post(reverse("contracts:provider_create"), _data(name="New Ltd")).status_code == 403
        assert client.post(reverse("contracts:provider_edit", args=[provider.pk]),
                           _data(name="Renamed")).status_code == 403
    assert list(Provider.objects.values_list("name", flat=True)) == ["Oak House"]


def test_edit_unknown_provider_is_404(commissioner_client):
    assert commissioner_client.get(reverse("contracts:provider_edit", args=[999999])).status_code == 404


# --- the import applies the same rules to the providers it creates -------------------------

HEADER = ",".join(IMPORT_COLUMNS + ["companies_house_number", "charity_number"])
ROW = ("RBC-201,Short breaks,{provider},voluntary,short_breaks,block,open,2025-04-01,2028-03-31,,0,100000,300000,"
       "low,,{ch},{charity}")


def _import(commissioner, **cells):
    text = "\n".join([HEADER, ROW.format(**{"provider": "Little Oaks", "ch": "", "charity": "", **cells})])
    return import_contracts(read_table(text.encode(), "contracts.csv"), user=commissioner)


def test_import_refuses_registration_numbers_the_pages_refuse(commissioner):
    with pytest.raises(ImportFailed) as exc:
        _import(commissioner, ch="ABC123", charity="12")
    text = "\n".join(str(e) for e in exc.value.errors)
    assert "Row 2, column 'companies_house_number': Enter the Companies House number as 8 characters" in text
    assert "Row 2, column 'charity_number': Enter the charity number from the register of charities" in text
    assert not Provider.objects.exists()


def test_import_writes_registration_numbers_as_the_pages_do(commissioner):
    _import(commissioner, ch="1234567", charity="1100123")
    provider = Provider.objects.get()
    assert (provider.companies_house_number, provider.charity_number) == ("01234567", "1100123")
    # Matched again by name ignoring capitals: no second provider.
    _import(commissioner, provider="LITTLE OAKS")
    assert Provider.objects.count() == 1


def test_early_years_urns_are_accepted(commissioner_client):
    response = commissioner_client.post(reverse("contracts:provider_create"), _data(ofsted_urn="ey 123456"))
    assert response.status_code == 302
    assert Provider.objects.get().ofsted_urn == "EY123456"
