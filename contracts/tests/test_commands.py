import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts.exports import TRANSPARENCY_HEADER, ocds_package, validate_ocds_package
from contracts.tests.factories import ContractFactory, PlanItemFactory, ProviderFactory

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 23)


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_contracts_due_json():
    ContractFactory(reference="B", end_date=AS_OF + timedelta(days=10), extension_options="")
    ContractFactory(reference="A", end_date=AS_OF + timedelta(days=10), decision="reprocure",
                    decision_for_end=AS_OF + timedelta(days=10))
    ContractFactory(reference="C", end_date=AS_OF, extension_options="12")
    ContractFactory(reference="LATE", end_date=AS_OF + timedelta(days=11))
    ContractFactory(reference="GONE", end_date=AS_OF + timedelta(days=5), status="terminated")
    rows = json.loads(_run("contracts_due", "--as-of", AS_OF.isoformat(), "--within-days", "10", "--json"))
    assert rows == [
        # Its decision was due on 23 May: the option lapsed with it.
        {"reference": "C", "current_end": "2026-11-23", "final_end": "2027-11-23", "extension_available": False,
         "decision_recorded": False, "days_to_end": 0},
        {"reference": "A", "current_end": "2026-12-03", "final_end": "2028-12-03", "extension_available": True,
         "decision_recorded": True, "days_to_end": 10},
        {"reference": "B", "current_end": "2026-12-03", "final_end": "2026-12-03", "extension_available": False,
         "decision_recorded": False, "days_to_end": 10},
    ]


def test_contracts_due_bad_date():
    with pytest.raises(CommandError, match="--as-of must be a date"):
        _run("contracts_due", "--as-of", "23/11/2026")


def test_transparency_export():
    sme = ProviderFactory(name="Small Steps CIC", is_sme=True, is_vcse=True, charity_number="1100123",
                          companies_house_number="")
    ContractFactory(reference="T-1", provider=sme, total_value=Decimal("60000"), procurement_route="open")
    ContractFactory(reference="T-SMALL", total_value=Decimal("5000"))
    ContractFactory(reference="T-SLA", contract_type="sla")
    ContractFactory(reference="T-OLD", start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), extension_options="")
    PlanItemFactory(title="Residential framework re-tender", status="in_progress", planned_start=date(2026, 10, 1),
                    estimated_value=Decimal("9000000"))
    text = _run("export_transparency", "--as-of", AS_OF.isoformat())
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == TRANSPARENCY_HEADER
    by_ref = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_ref) == {"T-1", "T-SLA", next(k for k in by_ref if k.startswith("ITT-"))}
    row = by_ref["T-1"]
    assert row["Supplier name"] == "Small Steps CIC" and row["Charity number"] == "1100123"
    assert row["SME"] == "Yes" and row["Voluntary or community sector"] == "Yes"
    assert row["End date"] == "2027-03-31" and row["Latest possible end date"] == "2029-03-31"
    assert row["Value over the life of the contract"] == "60000.00"
    assert row["Result of an invitation to tender"] == "Yes"


def test_transparency_download(viewer_client):
    ContractFactory(reference="DL-1")
    response = viewer_client.get(reverse("contracts:transparency") + "?as_of=not-a-date")
    assert response.status_code == 200 and b"DL-1" in response.content


def test_ocds_package_is_valid_against_the_schema(settings):
    settings.CONTRACT_OCID_PREFIX = "ocds-abc123"
    ContractFactory(reference="OC/1", provider=ProviderFactory(companies_house_number="01234567"))
    ContractFactory(reference="OD-2", provider=ProviderFactory(companies_house_number="", charity_number="220949"),
                    procurement_route="direct_award", status="terminated")
    package = ocds_package(as_of=AS_OF)
    assert validate_ocds_package(package) == []
    release = package["releases"][0]
    assert release["ocid"] == "ocds-abc123-OC-1"
    assert release["contracts"][0]["period"]["maxExtentDate"] == "2029-03-31T00:00:00Z"
    assert {p["id"] for p in release["parties"]} == {"example-borough-council", "GB-COH-01234567"}
    assert package["releases"][1]["contracts"][0]["status"] == "terminated"


def test_ocds_validation_catches_a_broken_package():
    ContractFactory()
    package = ocds_package(as_of=AS_OF)
    del package["releases"][0]["ocid"]
    package["releases"][0]["contracts"][0]["value"]["currency"] = "POUNDS"
    errors = validate_ocds_package(package)
    assert any("'ocid' is a required property" in e for e in errors)
    assert any("POUNDS" in e for e in errors)


def test_export_ocds_command_and_download(tmp_path, viewer_client):
    ContractFactory(reference="CMD-1")
    out = tmp_path / "ocds.json"
    call_command("export_ocds", "--as-of", AS_OF.isoformat(), "--output", str(out), stderr=io.StringIO())
    assert json.loads(out.read_text())["releases"][0]["contracts"][0]["id"] == "CMD-1"
    response = viewer_client.get(reverse("contracts:ocds"))
    assert validate_ocds_package(json.loads(response.content)) == []


def test_send_alerts_command(commissioner):
    ContractFactory(contract_manager=commissioner, end_date=AS_OF + timedelta(days=20))
    assert "1 email(s)" in _run("contracts_send_alerts", "--as-of", AS_OF.isoformat())
    assert "0 email(s)" in _run("contracts_send_alerts", "--as-of", AS_OF.isoformat())
