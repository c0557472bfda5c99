"""manage.py import_commissioning_programme and the upload page: check every row, then save all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from core.roles import COMMISSIONER
from programme.models import Project, Risk, RiskScore

pytestmark = pytest.mark.django_db

PROJECTS = [["Reference", "Title", "Service Area", "Lead", "STAGE", "Next gateway due", "EIA", "savings_target"],
            ["CP-1", "Recommission short breaks", "Short breaks", "Lead Person", "plan", "31/03/2027", "draft",
             "£40,000"],
            ["CP-2", "Sufficiency of local foster homes", "fostering", "", "Analyse", "", "not started", ""]]
RISKS = [["project", "risk", "likelihood", "impact", "owner", "review date", "status"],
         ["CP-1", "Too few providers bid", "4", "4", "Lead Person", "2027-01-15", "open"],
         ["", "Programme loses its analyst", "2", "3", "Someone Unknown", "", ""]]


def _workbook(projects=PROJECTS, risks=RISKS) -> bytes:
    book = Workbook()
    book.active.title = "projects"
    for row in projects:
        book.active.append(row)
    sheet = book.create_sheet("Risks")
    for row in risks:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(tmp_path, *args, data=None, name="programme.xlsx"):
    path = tmp_path / name
    path.write_bytes(data if data is not None else _workbook())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_commissioning_programme", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_workbook_import_creates_projects_risks_and_the_eia_state(tmp_path, make_user):
    lead = make_user(COMMISSIONER, "lead")
    lead.first_name, lead.last_name = "Lead", "Person"
    lead.save()
    out, _ = _run(tmp_path)
    assert "programme.xlsx: 4 created, 0 updated, 0 unchanged." in out
    assert "Not linked to an account, so they get no alerts: Someone Unknown (1 risk)." in out
    project = Project.objects.get(reference="CP-1")
    assert (project.stage, project.lead, str(project.savings_target)) == ("Plan", lead, "40000.00")
    assert project.products.get(kind="eia").status == "draft"
    risk = Risk.objects.get(project=project)
    assert (risk.score, risk.rag, risk.owner) == (16, "red", lead)
    assert RiskScore.objects.filter(risk=risk).count() == 1
    assert Risk.objects.get(project=None).owner_name == "Someone Unknown"
    out, _ = _run(tmp_path)
    assert "0 created, 0 updated, 4 unchanged" in out


def test_dry_run_saves_nothing(tmp_path):
    out, _ = _run(tmp_path, "--dry-run")
    assert "checked, nothing saved. It would make: 4 created" in out
    assert not Project.objects.exists() and not Risk.objects.exists()


def test_every_row_s_problem_is_named_and_nothing_is_saved(tmp_path):
    projects = [*PROJECTS, ["CP-3", "", "Space travel", "", "Procure", "30/02/2027", "maybe", "-5"]]
    risks = [*RISKS, ["CP-9", "Unknown project", "6", "0", "", "", "open"]]
    with pytest.raises(CommandError, match="was not imported: 9 problem"):
        _run(tmp_path, data=_workbook(projects, risks))
    assert not Project.objects.exists()


def test_the_problems_are_listed_by_sheet_and_row(tmp_path, capsys):
    projects = [*PROJECTS, ["CP-3", "A title", "fostering", "", "Procure", "", "", ""]]
    path = tmp_path / "p.xlsx"
    path.write_bytes(_workbook(projects, RISKS))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_commissioning_programme", str(path), stderr=err)
    assert err.getvalue().strip() == ("Sheet 'projects', row 4, column 'stage': 'Procure' is not one of: "
                                      "Analyse, Plan, Do, Review")


def test_one_csv_per_sheet(tmp_path):
    import csv
    for name, rows in (("projects.csv", PROJECTS), ("risks.csv", RISKS)):
        with open(tmp_path / name, "w", newline="") as f:
            csv.writer(f).writerows(rows)
    out = io.StringIO()
    call_command("import_commissioning_programme", str(tmp_path / "projects.csv"), str(tmp_path / "risks.csv"),
                 stdout=out)
    assert "4 created" in out.getvalue()


def test_upload_page_checks_then_saves(commissioner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("programme:import")
    upload = SimpleUploadedFile("programme.xlsx", _workbook())
    response = commissioner_client.post(url, {"file": upload})
    html = response.content.decode()
    assert "4 created" in " ".join(html.split()) or "CP-1" in html
    assert not Project.objects.exists()
    digest = response.context["digest"]
    commissioner_client.post(url, {"confirm": digest})
    assert Project.objects.count() == 2


def test_a_dry_run_records_no_import_and_an_import_records_one(tmp_path, make_user):
    from core.models import ImportRecord

    admin = make_user(COMMISSIONER, "importer")
    _run(tmp_path, "--dry-run", "--user", admin.username)
    assert not ImportRecord.objects.exists()
    _run(tmp_path, "--user", admin.username)
    record = ImportRecord.objects.get()
    assert (record.filename, record.imported_by, record.created) == ("programme.xlsx", admin, 4)
