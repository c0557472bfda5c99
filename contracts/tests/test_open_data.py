"""The Transparency Code register and the OCDS package as a council publishes them, unedited."""

import copy
import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from contracts.exports import PARTY_SCALE_EXTENSION, SCHEMA_DIR, ocds_package, validate_ocds_package
from contracts.models import Contract
from contracts.services import contract_review_record, contract_update
from contracts.tests.factories import ContractFactory, PlanItemFactory, ProviderFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 23)


def _transparency():
    out = io.StringIO()
    call_command("export_transparency", "--as-of", AS_OF.isoformat(), stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def test_transparency_register_publishes_what_a_council_must_and_nothing_that_has_ended():
    voluntary = ProviderFactory(name="Family Action Reading", kind="voluntary")
    ContractFactory(reference="SLA-VOL", provider=voluntary, contract_type="sla", annual_value=Decimal("450000"),
                    total_value=Decimal("1350000"), description="Family support hubs in three localities",
                    irrecoverable_vat=Decimal("1250.50"))
    ContractFactory(reference="SLA-OWN", provider=ProviderFactory(name="Council fostering service", kind="in_house"),
                    contract_type="sla")
    ContractFactory(reference="NO-DESC", description="")
    ContractFactory(reference="ENDED-LIVE", status="live", start_date=date(2022, 4, 1), end_date=date(2025, 3, 31),
                    extension_options="")
    rows = _transparency()
    assert set(rows) == {"SLA-VOL", "NO-DESC"}
    sla = rows["SLA-VOL"]
    assert (sla["Record type"], sla["Estimated annual value"], sla["Irrecoverable VAT"]) == (
        "Service level agreement", "450000.00", "1250.50")
    assert sla["Description"] == "Family support hubs in three localities"
    assert rows["NO-DESC"]["Description"] == "" and rows["NO-DESC"]["Irrecoverable VAT"] == ""


def test_transparency_register_tells_no_irrecoverable_vat_from_vat_not_known():
    ContractFactory(reference="NONE", irrecoverable_vat=Decimal("0"), awarded_on=date(2024, 2, 12))
    ContractFactory(reference="UNKNOWN", irrecoverable_vat=None)
    rows = _transparency()
    assert rows["NONE"]["Irrecoverable VAT"] == "0.00" and rows["UNKNOWN"]["Irrecoverable VAT"] == ""
    assert rows["NONE"]["Award date"] == "2024-02-12" and rows["UNKNOWN"]["Award date"] == ""


def test_transparency_invitations_to_tender_carry_their_dates():
    PlanItemFactory(title="Residential framework re-tender", status="in_progress", planned_start=date(2026, 10, 1),
                    planned_award=date(2027, 2, 15), planned_contract_start=date(2027, 4, 1),
                    estimated_value=Decimal("9000000"))
    PlanItemFactory(title="Advocacy re-tender", status="in_progress", planned_start=date(2026, 9, 1),
                    planned_award=date(2027, 1, 20), planned_contract_start=None, estimated_value=Decimal("450000"))
    PlanItemFactory(title="Not yet out", status="in_progress", planned_start=date(2027, 1, 4))
    tenders = {row["Title"]: row for row in _transparency().values() if row["Record type"] == "Invitation to tender"}
    assert set(tenders) == {"Residential framework re-tender", "Advocacy re-tender"}
    residential = tenders["Residential framework re-tender"]
    assert (residential["Tender start date"], residential["Award date"], residential["Start date"]) == (
        "2026-10-01", "2027-02-15", "2027-04-01")
    advocacy = tenders["Advocacy re-tender"]
    assert (advocacy["Tender start date"], advocacy["Award date"], advocacy["Start date"]) == (
        "2026-09-01", "2027-01-20", "")


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_transparency_review_date_is_never_after_the_contracts_end(commissioner):

    # Low risk: reviewed yearly, but the contract ends 3 months after the as-of date.
    ContractFactory(reference="SHORT", risk="low", start_date=date(2026, 3, 1), end_date=date(2027, 2, 28),
                    extension_options="")
    reviewed = ContractFactory(reference="REVIEWED", risk="medium", start_date=date(2024, 4, 1),
                               end_date=date(2027, 1, 31), extension_options="12")
    contract_review_record(contract=reviewed, user=commissioner, reviewed_on=date(2026, 11, 20), kind="review_meeting",
                           rating="good")
    rows = _transparency()
    assert (rows["SHORT"]["Review date"], rows["SHORT"]["End date"]) == ("2027-02-28", "2027-02-28")
    assert (rows["REVIEWED"]["Review date"], rows["REVIEWED"]["End date"]) == ("2027-01-31", "2027-01-31")
    # Taking the extension moves the end, and the next review goes back to the risk interval.
    reviewed.refresh_from_db()
    contract_update(contract=reviewed, user=commissioner, extensions_used=1)
    assert _transparency()["REVIEWED"]["Review date"] == "2027-02-20"


def test_review_dates_stored_past_the_end_are_brought_back_to_it_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("contracts.migrations.0007_review_dates_within_contract_end")
    past = ContractFactory(reference="PAST", end_date=date(2027, 1, 31), extension_options="")
    inside = ContractFactory(reference="INSIDE", end_date=date(2028, 3, 31))
    # As the old rule stored them: the interval after the start, whatever the end.
    Contract.objects.filter(pk=past.pk).update(next_review_due=date(2027, 4, 1))
    Contract.objects.filter(pk=inside.pk).update(next_review_due=date(2027, 4, 1))
    migration.bring_reviews_inside_the_term(apps, None)
    rows = _transparency()
    assert rows["PAST"]["Review date"] == "2027-01-31" and rows["INSIDE"]["Review date"] == "2027-04-01"


def _package(settings):
    settings.OCDS_BUYER_SCHEME, settings.OCDS_BUYER_ID = "GB-LAE", "RDG"
    settings.AUTHORITY_NAME = "Reading Borough Council"
    settings.CONTRACT_OCID_PREFIX = "ocds-b5fd17"
    settings.SITE_URL = "https://commissioning.reading.gov.uk"
    settings.OCDS_PUBLICATION_POLICY_URL = "https://www.reading.gov.uk/open-data/contracts-policy"
    ContractFactory(reference="RUN-1", provider=ProviderFactory(companies_house_number="01234567", is_sme=True),
                    description="Independent fostering placements for children aged 0 to 17",
                    awarded_on=date(2024, 2, 12), signed_on=date(2024, 3, 4))
    ContractFactory(reference="ENDED-EARLY", status="terminated", start_date=date(2024, 4, 1))
    ContractFactory(reference="NEVER-STARTED", status="terminated", start_date=date(2027, 4, 1),
                    end_date=date(2029, 3, 31))
    ContractFactory(reference="SLA-VOL", contract_type="sla", provider=ProviderFactory(kind="voluntary"))
    return ocds_package(as_of=AS_OF)


def test_ocds_package_declares_its_extension_identifies_the_buyer_and_keeps_statuses_consistent(settings):
    package = _package(settings)
    assert validate_ocds_package(package) == []
    assert package["extensions"] == [PARTY_SCALE_EXTENSION]
    assert package["publishedDate"] == "2026-11-23T23:59:59Z"
    releases = {r["contracts"][0]["id"]: r for r in package["releases"]}
    assert set(releases) == {"RUN-1", "ENDED-EARLY", "NEVER-STARTED", "SLA-VOL"}
    run = releases["RUN-1"]
    buyer = run["parties"][0]
    assert run["buyer"] == {"id": "GB-LAE-RDG", "name": "Reading Borough Council"}
    assert buyer["identifier"] == {"scheme": "GB-LAE", "id": "RDG", "legalName": "Reading Borough Council"}
    assert run["parties"][1]["details"] == {"scale": "sme"}
    assert run["tag"] == ["tender", "award", "contract"] and run["tender"]["status"] == "complete"
    assert (run["awards"][0]["status"], run["contracts"][0]["status"]) == ("active", "active")
    ended = releases["ENDED-EARLY"]
    assert ended["tag"] == ["tender", "award", "contract", "contractTermination"]
    assert (ended["awards"][0]["status"], ended["contracts"][0]["status"]) == ("active", "terminated")
    never = releases["NEVER-STARTED"]
    assert (never["awards"][0]["status"], never["contracts"][0]["status"]) == ("cancelled", "cancelled")
    assert all(r["date"] <= package["publishedDate"] for r in package["releases"])


def test_ocds_package_is_published_with_the_councils_own_identifiers_licence_and_policy(settings):
    package = _package(settings)
    assert validate_ocds_package(package) == []
    assert package["uri"] == "https://commissioning.reading.gov.uk/contracts/open-data/ocds.json?as_of=2026-11-23"
    assert package["license"] == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert package["publicationPolicy"] == "https://www.reading.gov.uk/open-data/contracts-policy"
    releases = {r["contracts"][0]["id"]: r for r in package["releases"]}
    run = releases["RUN-1"]
    assert run["ocid"] == "ocds-b5fd17-RUN-1"
    assert run["tender"]["description"] == "Independent fostering placements for children aged 0 to 17"
    assert run["contracts"][0]["description"] == "Independent fostering placements for children aged 0 to 17"
    assert run["awards"][0]["date"] == "2024-02-12T00:00:00Z"
    assert run["contracts"][0]["dateSigned"] == "2024-03-04T00:00:00Z"
    # A contract with no description or dates publishes none, rather than empty ones.
    undescribed = releases["SLA-VOL"]
    assert "description" not in undescribed["tender"] and "description" not in undescribed["contracts"][0]
    assert "date" not in undescribed["awards"][0] and "dateSigned" not in undescribed["contracts"][0]


def test_ocds_package_leaves_out_a_policy_not_set_and_names_a_buyer_with_no_identifier(settings):
    settings.OCDS_BUYER_ID, settings.AUTHORITY_NAME = "", "Reading Borough Council"
    settings.OCDS_PUBLICATION_POLICY_URL = ""
    ContractFactory(reference="RUN-1")
    package = ocds_package(as_of=AS_OF)
    assert validate_ocds_package(package) == []
    assert "publicationPolicy" not in package
    buyer = package["releases"][0]["parties"][0]
    assert buyer == {"id": "reading-borough-council", "name": "Reading Borough Council", "roles": ["buyer"]}


@pytest.mark.parametrize(("prefix", "expected"), [
    ("ocds-xxxxxx", ["contracts.W001"]),
    ("ocds-b5fd1", ["contracts.W002"]),
    ("OCDS-B5FD17", ["contracts.W002"]),
    ("ocds-b5fd17", []),
])
def test_deploy_check_warns_while_the_ocid_prefix_is_not_a_registered_one(settings, prefix, expected):
    from contracts.checks import open_data_deploy_checks

    settings.CONTRACT_OCID_PREFIX, settings.OCDS_BUYER_ID = prefix, "RDG"
    settings.SITE_URL = "https://commissioning.reading.gov.uk"
    assert [w.id for w in open_data_deploy_checks()] == expected


def test_ocds_package_compiles_with_ocdskit_offline(settings):
    from ocdskit.combine import merge

    package = _package(settings)
    schema = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    # With the schema given, ocdskit neither fetches the standard nor the declared extension.
    compiled = list(merge([copy.deepcopy(package)], schema=schema))
    assert len(compiled) == 4
    assert {c["contracts"][0]["id"] for c in compiled} == {"RUN-1", "ENDED-EARLY", "NEVER-STARTED", "SLA-VOL"}
    assert all(c["tag"] == ["compiled"] for c in compiled)
    run = next(c for c in compiled if c["contracts"][0]["id"] == "RUN-1")
    assert run["buyer"]["id"] == "GB-LAE-RDG" and run["awards"][0]["status"] == "active"
    assert run["awards"][0]["date"] == "2024-02-12T00:00:00Z"
    assert run["contracts"][0]["dateSigned"] == "2024-03-04T00:00:00Z"


# --- The public address (OPEN_DATA_PUBLIC) ---------------------------------------------------------------

PUBLIC_TRANSPARENCY = "/contracts/open-data/public/transparency.csv"
PUBLIC_OCDS = "/contracts/open-data/public/ocds.json"


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_public_address_does_not_exist_unless_turned_on(client, viewer_client):
    ContractFactory(reference="PUB-1")
    for url in (PUBLIC_TRANSPARENCY, PUBLIC_OCDS):
        assert client.get(url).status_code == 404
        assert viewer_client.get(url).status_code == 404
    body = viewer_client.get(reverse("contracts:open_data")).content.decode()
    assert "These files need a sign-in" in body and "OPEN_DATA_PUBLIC" in body


def test_public_address_serves_both_files_without_a_sign_in(client, viewer_client, settings, empty_cache):
    settings.OPEN_DATA_PUBLIC = True
    settings.SITE_URL = "https://commissioning.reading.gov.uk"
    ContractFactory(reference="PUB-1", description="Short breaks for disabled children")
    response = client.get(PUBLIC_TRANSPARENCY + "?as_of=2026-11-23")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Reference"], r["Description"]) for r in rows] == [("PUB-1", "Short breaks for disabled children")]
    response = client.get(PUBLIC_OCDS + "?as_of=2026-11-23")
    package = json.loads(response.content)
    assert validate_ocds_package(package) == []
    assert package["uri"] == "https://commissioning.reading.gov.uk" + PUBLIC_OCDS + "?as_of=2026-11-23"
    assert [r["contracts"][0]["id"] for r in package["releases"]] == ["PUB-1"]
    body = viewer_client.get(reverse("contracts:open_data")).content.decode()
    assert "https://commissioning.reading.gov.uk" + PUBLIC_OCDS in body


def test_public_files_come_from_the_cache_until_a_contract_changes(client, settings, empty_cache, commissioner):
    settings.OPEN_DATA_PUBLIC = True
    contract = ContractFactory(reference="PUB-1", title="Overnight short breaks")
    url = PUBLIC_TRANSPARENCY + "?as_of=2026-11-23"
    assert "Overnight short breaks" in client.get(url).content.decode()
    # Written around the services (no history row): the cached file is still served.
    Contract.objects.filter(pk=contract.pk).update(title="Changed behind the cache")
    assert "Overnight short breaks" in client.get(url).content.decode()
    # Saved through the service, as every page and import saves: the next request builds the file again.
    contract.refresh_from_db()
    contract_update(contract=contract, user=commissioner, title="Holiday play schemes")
    assert "Holiday play schemes" in client.get(url).content.decode()


def test_public_files_are_served_when_the_cache_cannot_be_reached(client, settings, caplog):
    settings.OPEN_DATA_PUBLIC = True
    # A Redis cache on a port where nothing listens: every cache call fails to connect.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}
    ContractFactory(reference="PUB-1")
    with caplog.at_level("WARNING", logger="contracts.exports"):
        response = client.get(PUBLIC_OCDS + "?as_of=2026-11-23")
    assert response.status_code == 200
    assert [r["contracts"][0]["id"] for r in json.loads(response.content)["releases"]] == ["PUB-1"]
    assert "Open data cache not read (ConnectionError" in caplog.text
