"""Ofsted's provider-level data, read from a file laid out as Ofsted publishes it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from contracts.models import Provider
from contracts.tests.factories import ContractFactory, ProviderFactory
from core.imports import ImportFailed, read_table
from market.models import OfstedInspection, OfstedSetting, OwningGroup, ProviderAlert
from market.services import import_ofsted_providers, is_downgrade, provider_alerts_send
from placements.tests.factories import PlacementFactory

# Ofsted's headings, in a different order and case from the published file, with columns we do not read.
HEADER = [
    "Overall experiences and progress of children and young people", "urn", "PROVIDER TYPE", "Sector",
    "Setting name", "Provider name", "Local Authority", "Region", "registration status", "Places",
    "Inspection Date", "Inspection publication date", "Organisation which owns the provider",
    "How well children and young people are helped and protected",
]


def ofsted_csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def row(urn, *, judgement="Good", status="Active", inspected="12/03/2024", owner="", name="Willow House",
        provider="Willow Care Ltd", published="02/04/2024"):
    return [judgement, urn, "Children's home", "Private", name, provider, "Reading", "South East", status, "4",
            inspected, published, owner, judgement]


def run(rows, user=None):
    return import_ofsted_providers(read_table(ofsted_csv(rows), "ofsted.csv"), user=user)


@pytest.mark.django_db
def test_a_file_laid_out_like_ofsteds_updates_matched_providers_and_keeps_the_rest_for_linking():
    matched = ProviderFactory(name="Willow Care Ltd", ofsted_urn="SC401234", ofsted_rating="", ofsted_inspected_on=None)
    summary = run([
        row("sc401234", judgement="Outstanding", owner="Evergreen Care Holdings"),
        row("2501234", judgement="3", inspected="2024-01-05", name="Hill View", provider="Hill Care Ltd"),
        row("SC402000", judgement="Not yet inspected", inspected="", name="New Home", provider="New Care"),
    ])
    assert (summary.created, summary.updated) == (3, 0)
    matched.refresh_from_db()
    assert matched.ofsted_rating == "outstanding"
    assert matched.ofsted_inspected_on.isoformat() == "2024-03-12"
    assert matched.ownership.group.name == "Evergreen Care Holdings"
    setting = OfstedSetting.objects.get(urn="SC401234")
    assert (setting.provider, setting.places, setting.local_authority, setting.region) == (matched, 4, "Reading",
                                                                                          "South East")
    hill = OfstedSetting.objects.get(urn="2501234")
    assert hill.provider is None
    assert hill.inspections.get().judgement == "requires_improvement"
    assert not OfstedInspection.objects.filter(setting__urn="SC402000").exists()
    assert any("2 settings not matched" in note for note in summary.notes)


@pytest.mark.django_db
def test_unmatched_settings_are_listed_and_linking_one_updates_the_provider(commissioner_client):
    run([row("SC403000", judgement="Good", name="Harbour Lodge", provider="Harbour Homes")])
    page = commissioner_client.get("/market/ofsted/unmatched/")
    assert "Harbour Lodge" in page.content.decode()
    assert "Good" in page.content.decode()
    provider = ProviderFactory(name="Harbour Homes Ltd", ofsted_urn="", ofsted_rating="")
    setting = OfstedSetting.objects.get(urn="SC403000")
    response = commissioner_client.post(f"/market/ofsted/settings/{setting.pk}/link/", {"provider": provider.pk})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.ofsted_urn, provider.ofsted_rating) == ("SC403000", "good")
    assert "Harbour Lodge" not in commissioner_client.get("/market/ofsted/unmatched/").content.decode()


@pytest.mark.django_db
def test_bad_rows_are_listed_by_row_and_nothing_is_saved():
    with pytest.raises(ImportFailed) as failed:
        run([
            row("SC401234"),
            row("not-a-urn"),
            row("SC401235", judgement="Excellent"),
            row("sc401234"),
            row("SC401236", inspected=(timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")),
        ])
    messages = [str(e) for e in failed.value.errors]
    assert any(m.startswith("Row 3, column 'urn'") and "Ofsted URN" in m for m in messages), messages
    assert any(m.startswith("Row 4") and "'Excellent' is not an Ofsted judgement" in m for m in messages), messages
    assert any(m.startswith("Row 5, column 'urn'") and "SC401234 is repeated (first on row 2)" in m
               for m in messages), messages
    assert any(m.startswith("Row 6, column 'inspection_date'") and "in the future" in m for m in messages), messages
    assert OfstedSetting.objects.count() == 0
    assert OfstedInspection.objects.count() == 0


@pytest.mark.django_db
def test_a_file_with_no_urn_column_is_refused():
    header = [h for h in HEADER if h != "urn"]
    with pytest.raises(ImportFailed) as failed:
        import_ofsted_providers(read_table(ofsted_csv([row("SC1")[0:1] + row("SC1")[2:]], header), "x.csv"),
                                user=None)
    assert "needs a column headed 'URN'" in str(failed.value)


@pytest.mark.django_db
def test_a_downgrade_alerts_contract_managers_and_placements_officers_once(
        users, django_capture_on_commit_callbacks):
    provider = ProviderFactory(name="Kestrel Homes", ofsted_urn="SC404000", ofsted_rating="good")
    manager = users["Commissioner"]
    ContractFactory(provider=provider, contract_manager=manager, start_date=timezone.localdate() - timedelta(days=30),
                    end_date=timezone.localdate() + timedelta(days=300))
    PlacementFactory(provider=provider, provider_kind="PR4", start=timezone.localdate() - timedelta(days=60))
    recent = (timezone.localdate() - timedelta(days=10)).strftime("%d/%m/%Y")
    rows = [row("SC404000", judgement="Requires improvement to be good", inspected=recent, published="")]
    with django_capture_on_commit_callbacks(execute=True):
        summary = run(rows)
    assert "1 provider alert raised" in summary.notes
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert set(email.to) == {manager.email, users["Placements officer"].email}
    assert "Requires improvement" in email.body and "down from Good" in email.body
    with django_capture_on_commit_callbacks(execute=True):
        run(rows)
    provider_alerts_send()
    assert len(mail.outbox) == 1
    assert ProviderAlert.objects.count() == 1
    provider.refresh_from_db()
    assert provider.ofsted_rating == "requires_improvement"


@pytest.mark.django_db
def test_a_registration_that_lapses_raises_one_alert(users, django_capture_on_commit_callbacks):
    provider = ProviderFactory(name="Seaview Homes", ofsted_urn="SC405000")
    ContractFactory(provider=provider, contract_manager=users["Commissioner"],
                    start_date=timezone.localdate() - timedelta(days=30),
                    end_date=timezone.localdate() + timedelta(days=300))
    run([row("SC405000", status="Active")])
    assert ProviderAlert.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        run([row("SC405000", status="Resigned")])
        run([row("SC405000", status="Resigned")])
    assert [a.kind for a in ProviderAlert.objects.all()] == ["registration_lapsed"]
    assert len(mail.outbox) == 1
    assert "Resigned" in mail.outbox[0].body


@pytest.mark.parametrize("previous, new, expected", [
    ("good", "requires_improvement", True),
    ("outstanding", "inadequate", True),
    ("requires_improvement", "inadequate", True),
    ("", "inadequate", False),
    ("inadequate", "requires_improvement", False),
    ("good", "good", False),
    ("outstanding", "good", False),
])
def test_what_counts_as_a_downgrade(previous, new, expected):
    assert is_downgrade(previous, new) is expected


@pytest.mark.django_db
def test_the_command_reads_an_excel_workbook_and_reports_problems(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["URN", "Setting name", "Overall effectiveness", "Latest full inspection date", "Owner name"])
    sheet.append(["SC406000", "Oak House", "Good", timezone.localdate() - timedelta(days=100), "Oak Group"])
    path = tmp_path / "ofsted.xlsx"
    workbook.save(path)
    ProviderFactory(name="Oak House Ltd", ofsted_urn="SC406000", ofsted_rating="")
    out = io.StringIO()
    call_command("import_ofsted_providers", str(path), stdout=out)
    assert "1 created" in out.getvalue()
    assert Provider.objects.get(name="Oak House Ltd").ofsted_rating == "good"
    assert OwningGroup.objects.filter(name="Oak Group").exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(ofsted_csv([row("SC1"), row("SC1")]))
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_ofsted_providers", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_the_upload_page_shows_row_errors(commissioner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ofsted.csv", ofsted_csv([row("SC407000", judgement="Brilliant")]))
    response = commissioner_client.post("/market/ofsted/import/", {"file": upload})
    assert response.status_code == 200
    assert "&#x27;Brilliant&#x27; is not an Ofsted judgement" in response.content.decode()
    assert OfstedSetting.objects.count() == 0
