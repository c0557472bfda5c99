"""Loading the programme a team already keeps: a workbook with a `projects` and a `risks` sheet, or one CSV per
sheet. Every row of both sheets is checked first; nothing is saved when any row is wrong (core.imports)."""

from __future__ import annotations

import re

from django.utils import timezone

from contracts.models import ServiceArea
from core.imports import (
    ImportFailed,
    ImportSummary,
    RowError,
    RowReader,
    Table,
    choice_key,
    read_sheets,
    read_table,
    unlinked_note,
)
from core.people import UserMatcher

from . import rules, services
from .models import Product, ProductKind, ProductStatus, Project, Risk, RiskStatus

PROJECT_COLUMNS = ["reference", "title", "service_area", "lead", "stage", "next_gateway_due", "eia", "savings_target"]
PROJECT_REQUIRED = ["reference", "title", "service_area", "stage"]
RISK_COLUMNS = ["project", "risk", "likelihood", "impact", "owner", "review_date", "status"]
RISK_REQUIRED = ["risk", "likelihood", "impact"]
SHEETS = {"projects": PROJECT_COLUMNS, "risks": RISK_COLUMNS}
EIA_STATUSES = [(ProductStatus.NOT_STARTED, "not started"), (ProductStatus.DRAFT, "draft"),
                (ProductStatus.APPROVED, "approved")]


def _squash(text: str) -> str:
    """Headers match without regard to case or spacing: 'Next Gateway Due', 'next_gateway_due', 'NextGatewayDue'."""
    return re.sub(r"[\s_\-]+", "", str(text).lower())


def _normalise(table: Table, columns: list[str]) -> Table:
    known = {_squash(c): c for c in columns}
    header = [known.get(_squash(h), h) for h in table.header]
    rename = dict(zip(table.header, header, strict=True))
    rows = [(n, {rename.get(k, k): v for k, v in cells.items()}) for n, cells in table.rows]
    return Table(header=header, rows=rows)


def read_programme(data: bytes, name: str) -> dict[str, Table]:
    """The sheets by name (`projects`, `risks`). A CSV is one sheet, told apart by its columns."""
    if name.lower().endswith(".xlsx"):
        found = {_squash(title): table for title, table in read_sheets(data, name).items()}
        return {sheet: found[sheet] for sheet in SHEETS if sheet in found}
    table = read_table(data, name)
    squashed = {_squash(h) for h in table.header}
    return {"risks" if "risk" in squashed else "projects": table}


def _check_columns(table: Table, sheet: str, required: list[str], allowed: list[str]) -> list[RowError]:
    errors = []
    missing = [c for c in required if c not in table.header]
    if missing:
        errors.append(RowError(1, f"Missing column(s): {', '.join(missing)}.", sheet=sheet))
    extra = [c for c in table.header if c not in allowed]
    if extra:
        errors.append(RowError(1, f"Unknown column(s): {', '.join(extra)}. Allowed columns are: "
                                  f"{', '.join(allowed)}.", sheet=sheet))
    return errors


def import_programme(sheets: dict[str, Table], *, user) -> ImportSummary:
    """Check every row of both sheets, then create or update projects (by reference) and risks (by project and
    wording) in one transaction. Raises ImportFailed with every problem, each with its sheet and row number."""
    if not sheets:
        raise ImportFailed([RowError(0, "The file has no 'projects' or 'risks' sheet.")])
    errors: list[RowError] = []
    tables = {sheet: _normalise(table, SHEETS[sheet]) for sheet, table in sheets.items()}
    for sheet, table in tables.items():
        required = PROJECT_REQUIRED if sheet == "projects" else RISK_REQUIRED
        errors += _check_columns(table, sheet, required, SHEETS[sheet])
    if errors:
        raise ImportFailed(errors)

    people = UserMatcher()
    areas = {}
    for code, label in ServiceArea.objects.values_list("code", "label"):
        areas[choice_key(code)] = areas[choice_key(label)] = code
    stages = {choice_key(s): s for s in rules.stages()}
    existing = {p.reference: p for p in Project.objects.all()}

    projects = []
    seen = {}
    for number, cells in tables.get("projects", Table([], [])).rows:
        row_errors: list[RowError] = []
        read = RowReader(number, cells, row_errors)
        reference = read.text("reference", required=True, max_length=30)
        if reference and reference in seen:
            read.error("reference", f"repeats row {seen[reference]}")
        seen.setdefault(reference, number)
        title = read.text("title", required=True, max_length=250)
        area_text = read.text("service_area", required=True)
        area = areas.get(choice_key(area_text)) if area_text else None
        if area_text and area is None:
            read.error("service_area", f"'{area_text}' is not a service area (an administrator adds new ones)")
        stage_text = read.text("stage", required=True)
        stage = stages.get(choice_key(stage_text)) if stage_text else None
        if stage_text and stage is None:
            read.error("stage", f"'{stage_text}' is not one of: {', '.join(rules.stages())}")
        due = read.date("next_gateway_due")
        eia = read.choice("eia", EIA_STATUSES)
        savings = read.decimal("savings_target", minimum=0)
        lead_name = read.text("lead", max_length=200)
        for error in row_errors:
            errors.append(RowError(error.row, error.message, error.column, sheet="projects"))
        projects.append({"reference": reference, "title": title, "service_area_id": area, "stage": stage,
                         "next_gateway_due": due, "eia": eia, "savings_target": savings, "lead_name": lead_name,
                         "lead": people.match(lead_name) if lead_name else None})

    references = set(existing) | set(seen)
    risks = []
    for number, cells in tables.get("risks", Table([], [])).rows:
        row_errors = []
        read = RowReader(number, cells, row_errors)
        project = read.text("project")
        if project and project not in references:
            read.error("project", f"'{project}' is not a project reference in the file or already recorded")
        description = read.text("risk", required=True)
        likelihood = read.integer("likelihood", required=True, minimum=1)
        impact = read.integer("impact", required=True, minimum=1)
        for column, value in (("likelihood", likelihood), ("impact", impact)):
            if value is not None and value > 5:
                read.error(column, "must be 1 to 5")
        owner_name = read.text("owner", max_length=200)
        review_on = read.date("review_date")
        status = read.choice("status", RiskStatus.choices) or RiskStatus.OPEN
        for error in row_errors:
            errors.append(RowError(error.row, error.message, error.column, sheet="risks"))
        risks.append({"project": project, "description": description, "likelihood": likelihood, "impact": impact,
                      "owner_name": owner_name, "owner": people.match(owner_name) if owner_name else None,
                      "review_on": review_on, "status": status})
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.sheet != "projects", e.row, e.column)))
    return _write(projects, risks, existing=existing, user=user)


def _write(projects, risks, *, existing, user) -> ImportSummary:
    from django.db import transaction

    summary = ImportSummary()
    with transaction.atomic():
        for row in projects:
            project = existing.get(row["reference"]) or Project(reference=row["reference"])
            fields = ["title", "service_area_id", "stage", "next_gateway_due", "lead_name"]
            before = {f: getattr(project, f) for f in fields + ["lead_id"]} if project.pk else None
            for f in fields:
                setattr(project, f, row[f])
            project.lead = row["lead"] or project.lead
            if row["savings_target"] is not None:
                project.savings_target = row["savings_target"]
            after = {f: getattr(project, f) for f in fields + ["lead_id"]}
            if before is None:
                summary.created += 1
                summary.created_records.append(project.reference)
            elif before != after:
                summary.updated += 1
                summary.note_changes(project.reference, before, after)
            else:
                summary.unchanged += 1
            if before != after:
                services.project_save(project=project, user=user)
            existing[project.reference] = project
            if row["eia"] is not None:
                current = Product.objects.filter(project=project, kind=ProductKind.EIA).first()
                if current is None or current.status != row["eia"]:
                    services.product_record(project=project, kind=ProductKind.EIA, status=row["eia"], user=user,
                                            summary=current.summary if current else "",
                                            link=current.link if current else "")
        for row in risks:
            project = existing.get(row["project"]) if row["project"] else None
            risk = Risk.objects.filter(project=project, description=row["description"]).first() or Risk(
                project=project, description=row["description"])
            fields = ["likelihood", "impact", "owner_name", "review_on", "status"]
            before = {f: getattr(risk, f) for f in fields} if risk.pk else None
            for f in fields:
                setattr(risk, f, row[f])
            risk.owner = row["owner"] or risk.owner
            after = {f: getattr(risk, f) for f in fields}
            if before is None:
                summary.created += 1
            elif before != after:
                summary.updated += 1
                summary.note_changes(f"Risk '{risk.description[:40]}'", before, after)
            else:
                summary.unchanged += 1
                continue
            services.risk_save(risk=risk, user=user, scored_on=timezone.localdate())
    unlinked_note(summary, [r["lead_name"] for r in projects if not r["lead"]], "project")
    unlinked_note(summary, [r["owner_name"] for r in risks if r["owner_name"] and not r["owner"]], "risk")
    return summary


