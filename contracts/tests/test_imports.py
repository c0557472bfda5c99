import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from contracts.imports import IMPORT_COLUMNS, import_contracts
from contracts.models import Contract, Provider, ServiceArea
from contracts.tests.factories import ProviderFactory
from core.imports import ImportFailed, read_table

pytestmark = pytest.mark.django_db

HEADER = ",".join(IMPORT_COLUMNS + ["companies_house_number"])
GOOD = "\n".join([
    HEADER,
    "RBC-101,Independent fostering tier 1,Brightfutures Fostering,private,Fostering,framework_call_off,framework,"
    "01/04/2024,31/03/2027,12+12,1,\"£1,250,000.00\",\"£6,250,000\",high,commissioner,08123456",
    "RBC-102,Supported accommodation 16+,Safe Haven Trust,voluntary,leaving_care,block,open,"
    "2025-10-01,2028-09-30,,0,310000,930000,medium,,",
])


def _table(text, name="contracts.csv"):
    return read_table(text.encode(), name)


def test_import_creates_contracts_and_providers(commissioner):
    summary = import_contracts(_table(GOOD), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    fostering = Contract.objects.get(reference="RBC-101")
    assert fostering.current_end == date(2028, 3, 31) and fostering.final_end == date(2029, 3, 31)
    assert fostering.annual_value == Decimal("1250000.00") and fostering.contract_manager == commissioner
    assert fostering.provider.companies_house_number == "08123456"
    assert Provider.objects.get(name="Safe Haven Trust").kind == "voluntary"
    assert fostering.history.first().history_user == commissioner


def test_import_is_idempotent_and_updates_by_reference(commissioner):
    import_contracts(_table(GOOD), user=commissioner)
    again = import_contracts(_table(GOOD), user=commissioner)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = GOOD.replace("310000,930000", "320000,960000")
    summary = import_contracts(_table(changed), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert Contract.objects.get(reference="RBC-102").annual_value == Decimal("320000")
    assert Contract.objects.count() == 2 and Provider.objects.count() == 2


def test_providers_are_matched_by_name_ignoring_case(commissioner):
    existing = ProviderFactory(name="BRIGHTFUTURES FOSTERING")
    import_contracts(_table(GOOD), user=commissioner)
    assert Contract.objects.get(reference="RBC-101").provider == existing


def test_import_refuses_the_whole_file_with_row_numbered_errors(commissioner):
    bad = "\n".join([
        HEADER,
        GOOD.splitlines()[1],
        "RBC-103,Title,Prov,private,Nowhere,block,open,31/02/2025,2024-01-01,12,2,-5,100,extreme,nobody,",
        "RBC-101,Repeat,Prov,private,fostering,block,open,2025-01-01,2026-01-01,12x12,0,5,5,low,,",
    ])
    with pytest.raises(ImportFailed) as exc:
        import_contracts(_table(bad), user=commissioner)
    messages = [str(e) for e in exc.value.errors]
    assert "Row 3, column 'start_date': '31/02/2025' is not a date: use 2025-03-31 or 31/03/2025" in messages
    assert "Row 3, column 'annual_value': must be 0 or more" in messages
    assert "Row 3, column 'risk': 'extreme' is not one of: high, medium, low" in messages
    assert "Row 3, column 'extensions_used': must be 1 or fewer: there are 1 extension options" in messages
    assert any(m.startswith("Row 4, column 'reference': 'RBC-101' is repeated (first on row 2)") for m in messages)
    assert any(m.startswith("Row 4, column 'extension_options'") for m in messages)
    assert not Contract.objects.exists() and not Provider.objects.exists()


def test_missing_columns_are_reported():
    with pytest.raises(ImportFailed) as exc:
        import_contracts(_table("reference,title\nX,Y"), user=None)
    assert "Missing column(s): provider" in str(exc.value.errors[0])


def test_xlsx_upload_page(commissioner_client):
    book = Workbook()
    sheet = book.active
    sheet.append(IMPORT_COLUMNS)
    sheet.append(["XL-1", "Advocacy", "Voice Matters", "voluntary", "advocacy", "grant", "grant",
                  date(2025, 4, 1), date(2026, 3, 31), "12", 0, 45000.5, 90001, "low", "commissioner"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("register.xlsx", buffer.getvalue())
    check = commissioner_client.post(reverse("contracts:import"), {"file": upload})
    assert not Contract.objects.exists()
    response = commissioner_client.post(reverse("contracts:import"), {"confirm": check.context["digest"]}, follow=True)
    assert "register.xlsx imported: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Contract.objects.get(reference="XL-1").annual_value == Decimal("45000.50")


def test_upload_page_lists_errors(commissioner_client):
    upload = SimpleUploadedFile("bad.csv", (HEADER + "\nX,,,,,,,,,,,,,,").encode())
    response = commissioner_client.post(reverse("contracts:import"), {"file": upload})
    html = response.content.decode()
    assert "bad.csv was not imported" in html and "is required" in html
    assert not Contract.objects.exists()


def test_command(tmp_path, commissioner, capsys):
    path = tmp_path / "contracts.csv"
    path.write_text(GOOD)
    call_command("import_contracts", str(path), "--user", commissioner.username)
    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("high,commissioner", "severe,commissioner"))
    with pytest.raises(CommandError, match="bad.csv was not imported: 1 problem"):
        call_command("import_contracts", str(bad))
    assert "Row 2, column 'risk': 'severe' is not one of" in capsys.readouterr().err


def test_managers_are_matched_by_full_name_or_kept_by_name(commissioner, client):
    commissioner.first_name, commissioner.last_name = "Alex", "Commissioner"
    commissioner.save()
    text = GOOD.replace(",high,commissioner,", ",high,alex COMMISSIONER,").replace(
        "medium,,", "medium,A. N. Other,")
    summary = import_contracts(_table(text), user=commissioner)
    assert Contract.objects.get(reference="RBC-101").contract_manager == commissioner
    other = Contract.objects.get(reference="RBC-102")
    assert (other.contract_manager, other.manager_name) == (None, "A. N. Other")
    assert "Not linked to an account, so they get no alerts: A. N. Other (1 contract)." in summary.notes
    client.force_login(commissioner)
    page = client.get(reverse("contracts:index"), {"alert": "manager_without_account", "status": "all"})
    html = page.content.decode()
    assert "RBC-102" in html and "RBC-101" not in html
    assert "A. N. Other" in html and "no account: gets no alerts" in html


COUNCIL_REGISTER = "\n".join([
    HEADER,
    "EH-01,Family support service,Families First,Voluntary or third sector,Family Support,Block contract,"
    "Open procedure,01/04/2024,31/03/2027,12,0,450000,1350000,Medium,A. Commissioner,",
    "TR-07,Home to school transport for children with SEND,Swift Minibuses,PRIVATE,SEND transport,spot purchase,"
    "SPOT,2025-09-01,2026-08-31,,0,\"£120,000\",\"£120,000\",HIGH,Head of Transport,",
    "EH-02,Edge of care outreach,Families First,voluntary,early help,Block,open,2024-04-01,2026-03-31,,0,"
    "90000,180000,low,A. Commissioner,",
    "HM-09,Emergency beds,Harbour Homes,private,Crisis accommodation,block contract,direct award,"
    "2025-01-01,2025-12-31,,0,80000,80000,low,,",
])


def test_a_register_with_labels_free_text_areas_and_managers_by_name_loads_into_an_empty_system(commissioner):
    summary = import_contracts(_table(COUNCIL_REGISTER), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    family = Contract.objects.get(reference="EH-01")
    assert (family.service_area_id, family.contract_type, family.procurement_route, family.risk) == (
        "family_support", "block", "open", "medium")
    assert family.provider.kind == "voluntary" and family.manager_name == "A. Commissioner"
    assert Contract.objects.get(reference="TR-07").service_area.label == "SEND transport"
    assert Contract.objects.get(reference="EH-02").service_area_id == "early_help"
    crisis = Contract.objects.get(reference="HM-09").service_area
    assert (crisis.code, crisis.label) == ("crisis_accommodation", "Crisis accommodation")
    assert summary.new_references == {"service areas": ["Crisis accommodation"]}
    assert summary.unlinked == ["A. Commissioner", "Head of Transport"]
    again = import_contracts(_table(COUNCIL_REGISTER), user=commissioner)
    assert (again.created, again.updated, again.unchanged, again.new_references) == (0, 0, 4, {})


def test_an_unknown_code_in_a_fixed_list_is_an_error_listing_the_choices(commissioner):
    bad = COUNCIL_REGISTER.replace("Open procedure", "Handshake")
    with pytest.raises(ImportFailed) as exc:
        import_contracts(_table(bad), user=commissioner)
    text = str(exc.value)
    assert "Row 2, column 'procurement_route': 'Handshake' is not one of: open (Open procedure)" in text
    assert not ServiceArea.objects.filter(code="crisis_accommodation").exists()


def test_the_register_page_checks_first_shows_what_is_new_and_saves_on_confirmation(commissioner_client, commissioner):
    from core.models import ImportRecord

    upload = SimpleUploadedFile("register.csv", COUNCIL_REGISTER.encode())
    check = commissioner_client.post(reverse("contracts:import"), {"file": upload})
    html = check.content.decode()
    assert "Check before saving" in html and "Nothing has been saved yet" in html
    assert check.context["checked"].created == 4
    assert "New service areas" in html and "Crisis accommodation" in html
    assert "Not linked to an account (gets no alerts)" in html and "Head of Transport" in html
    assert not Contract.objects.exists() and not ServiceArea.objects.filter(label="Crisis accommodation").exists()
    done = commissioner_client.post(reverse("contracts:import"), {"confirm": check.context["digest"]}, follow=True)
    assert "register.csv imported: 4 created, 0 updated, 0 unchanged." in done.content.decode()
    assert Contract.objects.count() == 4
    record = ImportRecord.objects.get()
    assert (record.area, record.filename, record.imported_by, record.created) == (
        "contracts", "register.csv", commissioner, 4)
    expired = commissioner_client.post(reverse("contracts:import"), {"confirm": check.context["digest"]})
    assert "The check has expired or the file was not found: upload the file again" in expired.content.decode()
    changed = COUNCIL_REGISTER.replace("450000,1350000", "460000,1380000")
    again = commissioner_client.post(reverse("contracts:import"),
                                     {"file": SimpleUploadedFile("register.csv", changed.encode())})
    html = again.content.decode()
    assert (again.context["checked"].updated, again.context["checked"].unchanged) == (1, 3)
    assert "Contract EH-01" in html and "450000.00" in html and "460000" in html
    history = commissioner_client.get(reverse("contracts:imports")).content.decode()
    assert "register.csv" in history and record.sha256[:14] in history


def test_the_register_as_kept_loads_through_the_command_after_a_dry_run(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(COUNCIL_REGISTER)
    call_command("import_contracts", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "register.csv checked, nothing saved. It would make: 4 created, 0 updated, 0 unchanged." in out
    assert "New service areas: Crisis accommodation." in out
    assert not Contract.objects.exists() and not ServiceArea.objects.filter(code="crisis_accommodation").exists()
    call_command("import_contracts", str(path))
    assert Contract.objects.count() == 4
    call_command("import_contracts", str(path), "--dry-run")
    assert "It would make: 0 created, 0 updated, 4 unchanged." in capsys.readouterr().out


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_import_reads_the_optional_open_data_columns_and_leaves_them_alone_when_absent(commissioner):
    text = "\n".join([
        HEADER + ",description,irrecoverable_vat,award_date,date_signed",
        GOOD.splitlines()[1] + ",Fostering placements for children aged 0 to 17,0,10/02/2024,01/03/2024",
        GOOD.splitlines()[2] + ",,,2025-08-01,",
    ])
    import_contracts(_table(text), user=commissioner)
    fostering, supported = Contract.objects.get(reference="RBC-101"), Contract.objects.get(reference="RBC-102")
    assert fostering.description == "Fostering placements for children aged 0 to 17"
    assert (fostering.irrecoverable_vat, fostering.awarded_on, fostering.signed_on) == (
        Decimal("0"), date(2024, 2, 10), date(2024, 3, 1))
    assert (supported.irrecoverable_vat, supported.awarded_on, supported.signed_on) == (None, date(2025, 8, 1), None)
    # The register without those columns changes nothing of what they hold.
    summary = import_contracts(_table(GOOD), user=commissioner)
    assert summary.unchanged == 2
    fostering.refresh_from_db()
    assert fostering.irrecoverable_vat == Decimal("0") and fostering.signed_on == date(2024, 3, 1)


@time_machine.travel(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
def test_import_refuses_a_signature_before_the_award_and_negative_vat(commissioner):
    text = "\n".join([
        HEADER + ",irrecoverable_vat,award_date,date_signed",
        GOOD.splitlines()[1] + ",-5,10/02/2024,01/02/2024",
        GOOD.splitlines()[2] + ",,2026-12-01,",
    ])
    with pytest.raises(ImportFailed) as exc:
        import_contracts(_table(text), user=commissioner)
    messages = [str(e) for e in exc.value.errors]
    assert "Row 2, column 'irrecoverable_vat': must be 0 or more" in messages
    assert "Row 2, column 'date_signed': the date signed must be the same as or after the award date" in messages
    assert "Row 3, column 'award_date': the award date must be today or in the past" in messages
    assert not Contract.objects.exists()
