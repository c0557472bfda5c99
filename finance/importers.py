"""Spreadsheet imports for finance: the year's budget lines, and placement costs from the finance system.

Both check every row first and save nothing if any row is wrong (core.imports.run_import).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from core.imports import ImportSummary, RowError, RowReader, Table, check_columns, run_import
from core.periods import financial_year_name
from placements.models import CostKind, CostLine, CostStatus, Placement, PlacementCategory

from .models import BudgetLine, Provision

BUDGET_COLUMNS = ["financial_year", "code", "name", "placement_category", "provision", "amount", "savings_target"]
COST_COLUMNS = ["child", "placement_start", "kind", "weekly_amount", "effective_from", "effective_to", "reason"]
IMPORTED_REASON = "From the finance system"
_YEAR = re.compile(r"^(\d{4})(?:\s*/\s*(\d{2}))?$")


def _year(reader: RowReader) -> int | None:
    text = reader.text("financial_year", required=True)
    if not text:
        return None
    match = _YEAR.match(text)
    if not match or not 2000 <= int(match[1]) <= 2100 or (match[2] and int(match[2]) != (int(match[1]) + 1) % 100):
        reader.error("financial_year", f"'{text}' is not a financial year: write 2025 or 2025/26 for April 2025 "
                                       "to March 2026")
        return None
    return int(match[1])


def validate_budgets(table: Table):
    errors = check_columns(table, required=BUDGET_COLUMNS)
    if errors:
        return [], errors
    items, seen_codes, seen_keys, first_row_of_year = [], {}, {}, {}
    for number, cells in table.rows:
        reader = RowReader(number, cells, errors)
        year = _year(reader)
        code = reader.text("code", required=True, max_length=20).upper()
        name = reader.text("name", required=True, max_length=200)
        category = reader.choice("placement_category", PlacementCategory.choices) or ""
        provision = reader.choice("provision", Provision.choices, required=True)
        amount = reader.decimal("amount", required=True, minimum=0)
        target = reader.decimal("savings_target", minimum=0)
        if year is None:
            continue
        first_row_of_year.setdefault(year, number)
        if code:
            if (year, code) in seen_codes:
                reader.error("code", f"{code} is already used for {financial_year_name(year)} "
                                     f"in row {seen_codes[year, code]}")
            seen_codes.setdefault((year, code), number)
        if category and provision:
            key = (year, category, provision)
            if key in seen_keys:
                reader.error("provision", f"row {seen_keys[key]} already budgets {_category_label(category)} "
                                          f"({Provision(provision).label.lower()}) for {financial_year_name(year)}")
            seen_keys.setdefault(key, number)
        items.append(BudgetLine(financial_year=year, code=code, name=name, placement_category=category,
                                provision=provision or "", amount=amount, savings_target=target or Decimal("0")))
    loaded = set(BudgetLine.objects.filter(financial_year__in=first_row_of_year).values_list("financial_year",
                                                                                             flat=True))
    for year in sorted(loaded):
        errors.append(RowError(first_row_of_year[year],
                               f"the budget for {financial_year_name(year)} is already loaded; "
                               "it is loaded once, from one file", "financial_year"))
    return items, errors


def _category_label(category: str) -> str:
    return PlacementCategory(category).label.lower()


def import_budgets(table: Table, *, user) -> ImportSummary:
    def write(items):
        for line in items:
            line.full_clean()
            line._history_user = user
            line.save()
        return ImportSummary(created=len(items))

    return run_import(table, validate=validate_budgets, write=write)


def validate_costs(table: Table):
    errors = check_columns(table, required=COST_COLUMNS)
    if errors:
        return [], errors
    rows = []
    for number, cells in table.rows:
        reader = RowReader(number, cells, errors)
        row = {
            "row": number,
            "child": reader.text("child", required=True, max_length=20),
            "start": reader.date("placement_start", required=True),
            "kind": reader.choice("kind", CostKind.choices, required=True),
            "weekly_amount": reader.decimal("weekly_amount", required=True),
            "effective_from": reader.date("effective_from", required=True),
            "effective_to": reader.date("effective_to"),
            "reason": reader.text("reason") or IMPORTED_REASON,
        }
        if row["effective_from"] and row["effective_to"] and row["effective_to"] < row["effective_from"]:
            reader.error("effective_to", "ends before it starts (effective_from)")
        rows.append(row)
    known = {
        (ref, start): pk for ref, start, pk in
        Placement.objects.filter(child__reference__in={r["child"] for r in rows})
        .values_list("child__reference", "start", "pk")
    }
    children = {ref for ref, _ in known}
    seen, items = {}, []
    for row in rows:
        if not row["child"] or not row["start"]:
            continue
        if row["child"] not in children:
            errors.append(RowError(row["row"], f"no child with the reference {row['child']}", "child"))
            continue
        placement = known.get((row["child"], row["start"]))
        if placement is None:
            errors.append(RowError(row["row"], f"child {row['child']} has no placement starting "
                                               f"{row['start']:%d/%m/%Y}", "placement_start"))
            continue
        if not (row["kind"] and row["effective_from"]) or row["weekly_amount"] is None:
            continue
        key = (placement, row["kind"], row["effective_from"])
        if key in seen:
            errors.append(RowError(row["row"], f"repeats row {seen[key]} (same child, placement, kind and "
                                               "effective_from)", "effective_from"))
            continue
        seen[key] = row["row"]
        amount = row["weekly_amount"]
        if row["kind"] == CostKind.REDUCTION and amount > 0:
            amount = -amount
        items.append({**row, "placement": placement, "weekly_amount": amount})
    return items, errors


def import_placement_costs(table: Table, *, user) -> ImportSummary:
    """Cost lines for known placements, taken as in force. Keyed by child, placement start, kind and
    effective_from, so importing the same file again changes nothing."""

    def write(items):
        summary = ImportSummary()
        existing = defaultdict(list)
        for line in CostLine.objects.filter(placement_id__in={i["placement"] for i in items}):
            existing[(line.placement_id, line.kind, line.effective_from)].append(line)
        for item in items:
            values = {"weekly_amount": item["weekly_amount"], "effective_to": item["effective_to"],
                      "reason": item["reason"], "status": CostStatus.IN_FORCE}
            found = existing.get((item["placement"], item["kind"], item["effective_from"]))
            line = found[0] if found else None
            if line is not None and all(getattr(line, k) == v for k, v in values.items()):
                summary.unchanged += 1
                continue
            if line is None:
                line = CostLine(placement_id=item["placement"], kind=item["kind"],
                                effective_from=item["effective_from"], agreed_by=user)
                summary.created += 1
            else:
                summary.updated += 1
            for name, value in values.items():
                setattr(line, name, value)
            line.full_clean()
            line._history_user = user
            line.save()
        return summary

    return run_import(table, validate=validate_costs, write=write)
