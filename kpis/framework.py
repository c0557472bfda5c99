"""`import_framework`: the whole outcomes framework and its KPIs from one workbook, all or nothing.

The sheets are Outcomes, Indicators, Targets, Benchmarks and Measurements, each with the columns of
its own import. They are imported in that order inside one transaction (targets, benchmarks and
measurements name indicators from the Indicators sheet); a problem on any sheet saves nothing.
"""

from dataclasses import replace

from django.db import transaction

from core.imports import ImportFailed, ImportSummary, RowError, Table
from outcomes.imports import import_outcomes

from .imports import import_benchmarks, import_indicators, import_measurements, import_targets

SHEETS = {
    "Outcomes": lambda table, *, user, queue: import_outcomes(table, user=user),
    "Indicators": import_indicators,
    "Targets": import_targets,
    "Benchmarks": import_benchmarks,
    "Measurements": import_measurements,
}
NEED_INDICATORS = ("Targets", "Benchmarks", "Measurements")


def _sheets_by_name(sheets: dict[str, Table]) -> tuple[dict[str, Table], list[RowError]]:
    found, errors = {}, []
    known = {name.lower(): name for name in SHEETS}
    for name, table in sheets.items():
        canonical = known.get(name.strip().lower())
        if canonical is None:
            errors.append(RowError(0, f"There is no sheet called '{name}' in a framework workbook. The sheets are: "
                                      f"{', '.join(SHEETS)}. Rename or remove it.", sheet=name))
        else:
            found[canonical] = table
    missing = [name for name in SHEETS if name not in found]
    if missing:
        errors.append(RowError(0, f"The workbook has no {', '.join(missing)} sheet{'s' if len(missing) != 1 else ''}. "
                                  f"It needs the sheets {', '.join(SHEETS)}; a sheet may hold only its header row."))
    return found, errors


def import_framework(sheets: dict[str, Table], *, user, queue: bool = True) -> ImportSummary:
    """Returns one summary with a part per sheet (`summary.parts`); raises ImportFailed with every problem,
    each naming its sheet, row and column."""
    found, errors = _sheets_by_name(sheets)
    if errors:
        raise ImportFailed(errors)
    summary = ImportSummary()
    with transaction.atomic():
        for name, importer in SHEETS.items():
            table = found[name]
            if not table.header:
                continue  # a blank sheet: nothing of this kind to import
            if name in NEED_INDICATORS and any(e.sheet == "Indicators" for e in errors):
                errors.append(RowError(0, "Not checked yet: correct the Indicators sheet first, as this sheet "
                                          "names its indicators.", sheet=name))
                continue
            try:
                part = importer(table, user=user, queue=queue)
            except ImportFailed as failed:
                errors.extend(replace(e, sheet=name) for e in failed.errors)
                continue
            summary.parts[name] = part
            summary.created += part.created
            summary.updated += part.updated
            summary.unchanged += part.unchanged
            summary.notes.extend(f"{name}: {note}" for note in part.notes)
            summary.changes.extend(part.changes)
            summary.created_records.extend(part.created_records)
            summary.unlinked.extend(part.unlinked)
            summary.new_references.update(part.new_references)
            summary.indicator_ids = sorted({*summary.indicator_ids, *part.indicator_ids})
        if errors:
            raise ImportFailed(errors)  # inside the transaction: nothing from any sheet is kept
    return summary
