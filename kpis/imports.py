"""Spreadsheet importers for indicators, targets, measurements and benchmarks.

Each is `import_x(table, *, user, queue=True) -> ImportSummary`: every row is validated first
and nothing is written if any row is wrong (core.imports.run_import). Re-importing
the same file changes nothing: rows are matched on indicator code (+ period end or start date)
and unchanged rows are not saved again. After a write the statuses of the indicators touched
are recomputed, queued after commit (or returned in `summary.indicator_ids` for a command to
recompute at once).
"""

from decimal import Decimal

from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.imports import (
    ImportSummary,
    ReferenceMatcher,
    RowError,
    RowReader,
    check_columns,
    run_import,
    unlinked_note,
)
from core.people import UserMatcher
from outcomes.imports import theme_matcher, themes_create

from .models import Benchmark, BenchmarkSource, Frequency, Indicator, Measurement, Polarity, Target, TargetKind, Unit
from .status import target_errors
from .validation import decimal_places_error, measurement_errors

INDICATOR_COLUMNS = [
    "code", "name", "theme", "unit", "polarity", "frequency", "target_kind", "target", "target_upper",
    "benchmark", "tolerance", "target_from", "owner", "definition",
]
INDICATOR_OPTIONAL = ["rate_per", "decimals"]
TARGET_COLUMNS = ["indicator", "target_kind", "target", "target_upper", "benchmark", "tolerance", "target_from"]
MEASUREMENT_COLUMNS = ["indicator", "period_end", "value", "numerator", "denominator", "note"]
# Commentary on a value (and the remedial action) for the committee report; imported, it awaits approval.
MEASUREMENT_OPTIONAL = ["commentary", "remedial_action"]
BENCHMARK_COLUMNS = ["indicator", "period_end", "source", "value", "minimum", "maximum"]
BATCH = 2000


def _finish(summary: ImportSummary, indicator_ids, queue: bool) -> ImportSummary:
    from .services import queue_recompute

    summary.indicator_ids = sorted(set(indicator_ids))
    if queue and summary.indicator_ids:
        queue_recompute(summary.indicator_ids)
    return summary


def _number(reader: RowReader, column: str, *, required=False, minimum=None):
    value = reader.decimal(column, required=required, minimum=minimum)
    if (problem := decimal_places_error(value)) is not None:
        reader.error(column, problem)
        return None
    return value


def _indicator_lookup(table, column="indicator"):
    """Indicators named in the file, by upper-case code (codes are stored in upper case)."""
    codes = {cells.get(column, "").strip().upper() for _, cells in table.rows} - {""}
    return _by_upper_code(codes)


def _by_upper_code(codes) -> dict:
    """Indicators by upper-case code, matching codes in any case (an admin may have typed lower case)."""
    if not codes:
        return {}
    found = Indicator.objects.annotate(code_upper=Upper("code")).filter(code_upper__in=list(codes))
    return {i.code.upper(): i for i in found}


def _read_target(reader: RowReader, *, required: bool):
    """The target columns of a row as a dict, or None when the row has no target."""
    kind = reader.choice("target_kind", TargetKind.choices, required=required)
    value = _number(reader, "target")
    upper = _number(reader, "target_upper")
    source = reader.choice("benchmark", BenchmarkSource.choices) or ""
    tolerance = _number(reader, "tolerance", minimum=0)
    starts_on = reader.date("target_from", required=bool(kind))
    if kind is None:
        if any(reader.cells.get(c, "").strip() for c in ("target", "target_upper", "benchmark", "tolerance")):
            reader.error("target_kind", "is required when a target is given")
        return None
    problems = target_errors(kind=kind, value=value, upper=upper, benchmark=source, tolerance=tolerance)
    for field, message in problems.items():
        column = {"value": "target", "upper": "target_upper", "benchmark_source": "benchmark"}.get(field, field)
        reader.error(column, message)
    return {"kind": kind, "value": value, "upper": upper, "benchmark_source": source, "tolerance": tolerance,
            "starts_on": starts_on}


def _write_targets(rows: list[tuple], user, summary: ImportSummary | None = None) -> tuple[int, int, int]:
    """rows: (indicator, target dict), one per indicator and start date. Returns created, updated, unchanged.
    Saved in bulk with their history rows, as measurements are: a framework holds thousands of targets."""
    fields = ("kind", "value", "upper", "benchmark_source", "tolerance")
    existing = {
        (t.indicator_id, t.starts_on): t
        for t in Target.objects.filter(indicator_id__in={ind.pk for ind, _ in rows})
    }
    new, changed = [], []
    for indicator, spec in rows:
        current = existing.get((indicator.pk, spec["starts_on"]))
        if current and all(getattr(current, f) == spec[f] for f in fields):
            continue
        if current and summary is not None:
            summary.note_changes(f"Target for {indicator.code} from {spec['starts_on']:%d/%m/%Y}",
                                 {f: getattr(current, f) for f in fields}, spec)
        target = current or Target(indicator=indicator, starts_on=spec["starts_on"])
        for f in fields:
            setattr(target, f, spec[f])
        (changed if current else new).append(target)
    if new:
        bulk_create_with_history(new, Target, batch_size=BATCH, default_user=user)
    if changed:
        bulk_update_with_history(changed, Target, list(fields), batch_size=BATCH, default_user=user)
    return len(new), len(changed), len(rows) - len(new) - len(changed)


# --- indicators -------------------------------------------------------------------------------

def import_indicators(table, *, user, queue: bool = True, themes: ReferenceMatcher | None = None) -> ImportSummary:
    themes = themes or theme_matcher()

    def validate(table):
        errors = check_columns(table, required=INDICATOR_COLUMNS, optional=INDICATOR_OPTIONAL)
        if errors:
            return [], errors
        owners = UserMatcher()
        seen = {}
        items = []
        for number, cells in table.rows:
            r = RowReader(number, cells, errors)
            code = r.text("code", required=True, max_length=20).upper()
            if code and code in seen:
                r.error("code", f"{code} is already on row {seen[code]}")
            seen.setdefault(code, number)
            theme_name = r.text("theme", required=True, max_length=200)
            theme = themes.match(theme_name) if theme_name else None
            owner_text = r.text("owner", max_length=200)
            owner = owners.match(owner_text)
            fields = {
                "name": r.text("name", required=True, max_length=300),
                "theme": theme,
                "unit": r.choice("unit", Unit.choices, required=True),
                "polarity": r.choice("polarity", Polarity.choices, required=True),
                "frequency": r.choice("frequency", Frequency.choices, required=True),
                "owner": owner,
                "owner_title": "" if owner else owner_text,
                "definition": r.text("definition"),
                "rate_per": r.integer("rate_per", minimum=1) if "rate_per" in table.header else None,
                "decimals": (r.integer("decimals", minimum=0) if "decimals" in table.header else None),
            }
            if fields["decimals"] is not None and fields["decimals"] > 4:
                r.error("decimals", "must be 4 or fewer")
            if fields["decimals"] is None:
                fields.pop("decimals")
            if fields["unit"] == Unit.RATE and not fields.get("rate_per") and "rate_per" in table.header:
                r.error("rate_per", "is required for a rate (e.g. 10000 for a rate per 10,000)")
            target = _read_target(r, required=False)
            items.append((code, fields, target))
        return items, errors

    def write(items):
        summary = ImportSummary()
        by_name = themes_create(themes, user=user, summary=summary)
        for _, fields, _ in items:
            fields["theme"] = by_name[fields["theme"]]
        existing = _by_upper_code({c for c, _, _ in items})
        touched, target_rows = [], []
        for code, fields, target in items:
            indicator = existing.get(code)
            if indicator is None:
                indicator = Indicator(code=code, **fields)
                indicator._history_user = user
                indicator.save()
                summary.created += 1
                summary.created_records.append(f"Indicator: {indicator}")
            elif any(getattr(indicator, f) != v for f, v in fields.items()):
                summary.note_changes(f"Indicator {code}", {f: getattr(indicator, f) for f in fields}, fields)
                for f, v in fields.items():
                    setattr(indicator, f, v)
                indicator._history_user = user
                indicator.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
            touched.append(indicator.pk)
            if target:
                target_rows.append((indicator, target))
        created, updated, _ = _write_targets(target_rows, user, summary)
        if created or updated:
            summary.notes.append(f"Targets: {created} created, {updated} updated.")
        unlinked_note(summary, [f["owner_title"] for _, f, _ in items], "indicator")
        return _finish(summary, touched if (summary.created or summary.updated or created or updated) else [], queue)

    return run_import(table, validate=validate, write=write)


# --- targets ----------------------------------------------------------------------------------

def import_targets(table, *, user, queue: bool = True) -> ImportSummary:
    def validate(table):
        errors = check_columns(table, required=TARGET_COLUMNS)
        if errors:
            return [], errors
        indicators = _indicator_lookup(table)
        seen = {}
        items = []
        for number, cells in table.rows:
            r = RowReader(number, cells, errors)
            indicator = _read_indicator(r, indicators)
            target = _read_target(r, required=True)
            if indicator and target and target["starts_on"]:
                key = (indicator.pk, target["starts_on"])
                if key in seen:
                    r.error("target_from", f"{indicator.code} already has a target from this date on row {seen[key]}")
                seen.setdefault(key, number)
                items.append((indicator, target))
        return items, errors

    def write(items):
        summary = ImportSummary()
        created, updated, unchanged = _write_targets(items, user, summary)
        summary.created, summary.updated, summary.unchanged = created, updated, unchanged
        return _finish(summary, [i.pk for i, _ in items] if created or updated else [], queue)

    return run_import(table, validate=validate, write=write)


def _read_indicator(r: RowReader, indicators):
    code = r.text("indicator", required=True)
    if not code:
        return None
    indicator = indicators.get(code.upper())
    if indicator is None:
        r.error("indicator", f"There is no indicator with code '{code}': import it in the indicators file first")
    return indicator


# --- measurements -----------------------------------------------------------------------------

def import_measurements(table, *, user, queue: bool = True) -> ImportSummary:
    today = timezone.localdate()

    def validate(table):
        errors = check_columns(table, required=MEASUREMENT_COLUMNS, optional=MEASUREMENT_OPTIONAL)
        if errors:
            return [], errors
        indicators = _indicator_lookup(table)
        # Without the columns, a value's commentary is left as it is; with them, an empty cell clears it.
        with_commentary = any(c in table.header for c in MEASUREMENT_OPTIONAL)
        seen = {}
        items = []
        for number, cells in table.rows:
            r = RowReader(number, cells, errors)
            indicator = _read_indicator(r, indicators)
            period_end = r.date("period_end", required=True)
            value = _number(r, "value")
            numerator = _number(r, "numerator")
            denominator = _number(r, "denominator")
            note = r.text("note")
            commentary = (r.text("commentary"), r.text("remedial_action")) if with_commentary else None
            if commentary and commentary[1] and not commentary[0]:
                r.error("commentary", "is required with a remedial action")
            if indicator is None or period_end is None:
                continue
            problems = measurement_errors(
                unit=indicator.unit, frequency=indicator.frequency, period_end=period_end, value=value,
                numerator=numerator, denominator=denominator, today=today,
            )
            for column, message in problems.items():
                r.error(column, message)
            key = (indicator.pk, period_end)
            if key in seen:
                r.error("period_end", f"{indicator.code} already has a value for this period on row {seen[key]}")
            seen.setdefault(key, number)
            items.append((indicator, period_end, value, numerator, denominator, note, commentary))
        return items, errors

    def write(items):
        summary = ImportSummary()
        indicator_ids = {i.pk for i, *_ in items}
        existing = {
            (m.indicator_id, m.period_end): m
            for m in Measurement.objects.filter(indicator_id__in=indicator_ids).only(
                "pk", "indicator_id", "period_end", "value", "numerator", "denominator", "note", "entered_by_id",
                "commentary", "remedial_action", "commentary_by_id", "approved_by_id", "approved_at",
            )
        }
        new, changed, touched = [], [], set()
        for indicator, period_end, value, numerator, denominator, note, commentary in items:
            current = existing.get((indicator.pk, period_end))
            if current is None:
                text, action = commentary or ("", "")
                new.append(Measurement(
                    indicator=indicator, period_end=period_end, value=value, numerator=numerator,
                    denominator=denominator, note=note, entered_by=user, commentary=text, remedial_action=action,
                    commentary_by=user if text else None,
                ))
                touched.add(indicator.pk)
                continue
            before = {"value": current.value, "numerator": current.numerator, "denominator": current.denominator,
                      "note": current.note}
            after = {"value": value, "numerator": numerator, "denominator": denominator, "note": note}
            if commentary is not None:
                before |= {"commentary": current.commentary, "remedial_action": current.remedial_action}
                after |= dict(zip(("commentary", "remedial_action"), commentary, strict=True))
            if before == after:
                summary.unchanged += 1
                continue
            summary.note_changes(f"Value for {indicator.code}, {period_end:%d/%m/%Y}", before, after)
            if (current.value, current.numerator, current.denominator) != (value, numerator, denominator):
                current.approved_by = current.approved_at = None
            if commentary is not None and (current.commentary, current.remedial_action) != commentary:
                current.commentary, current.remedial_action = commentary
                current.commentary_by = user if commentary[0] else None
                current.approved_by = current.approved_at = None  # imported commentary awaits approval
            current.value, current.numerator, current.denominator = value, numerator, denominator
            current.note = note
            current.entered_by = user
            changed.append(current)
            touched.add(indicator.pk)
        if new:
            bulk_create_with_history(new, Measurement, batch_size=BATCH, default_user=user)
        if changed:
            now = timezone.now()
            for m in changed:
                m.entered_at = now
            bulk_update_with_history(
                changed, Measurement,
                ["value", "numerator", "denominator", "note", "entered_by", "entered_at", "commentary",
                 "remedial_action", "commentary_by", "approved_by", "approved_at"],
                batch_size=BATCH, default_user=user,
            )
        summary.created, summary.updated = len(new), len(changed)
        return _finish(summary, touched, queue)

    return run_import(table, validate=validate, write=write)


# --- benchmarks -------------------------------------------------------------------------------

def import_benchmarks(table, *, user, queue: bool = True) -> ImportSummary:
    def validate(table):
        errors = check_columns(table, required=BENCHMARK_COLUMNS)
        if errors:
            return [], errors
        indicators = _indicator_lookup(table)
        seen = {}
        items = []
        for number, cells in table.rows:
            r = RowReader(number, cells, errors)
            indicator = _read_indicator(r, indicators)
            period_end = r.date("period_end", required=True)
            source = r.choice("source", BenchmarkSource.choices, required=True)
            value = _number(r, "value")
            minimum = _number(r, "minimum")
            maximum = _number(r, "maximum")
            has_range = minimum is not None or maximum is not None
            if source and source != BenchmarkSource.STATISTICAL_NEIGHBOURS and has_range:
                r.error("minimum", "Only statistical neighbours have a minimum and maximum")
            if minimum is not None and maximum is not None and minimum > maximum:
                r.error("maximum", "The maximum must be at least the minimum")
            if value is None and minimum is None and maximum is None and r.cells.get("value", "").strip() == "":
                r.error("value", "is required (or give the minimum and maximum)")
            if indicator is None or period_end is None or source is None:
                continue
            key = (indicator.pk, period_end, source)
            if key in seen:
                r.error("source", f"{indicator.code} already has this benchmark for this period on row {seen[key]}")
            seen.setdefault(key, number)
            items.append((indicator, period_end, source, value, minimum, maximum))
        return items, errors

    def write(items):
        summary = ImportSummary()
        existing = {
            (b.indicator_id, b.period_end, b.source): b
            for b in Benchmark.objects.filter(indicator_id__in={i.pk for i, *_ in items})
        }
        new, changed, touched = [], [], set()
        for indicator, period_end, source, value, minimum, maximum in items:
            current = existing.get((indicator.pk, period_end, source))
            if current is None:
                new.append(Benchmark(indicator=indicator, period_end=period_end, source=source, value=value,
                                     minimum=minimum, maximum=maximum))
                touched.add(indicator.pk)
            elif (current.value, current.minimum, current.maximum) != (value, minimum, maximum):
                summary.note_changes(
                    f"{current.get_source_display()} benchmark for {indicator.code}, {period_end:%d/%m/%Y}",
                    {"value": current.value, "minimum": current.minimum, "maximum": current.maximum},
                    {"value": value, "minimum": minimum, "maximum": maximum},
                )
                current.value, current.minimum, current.maximum = value, minimum, maximum
                changed.append(current)
                touched.add(indicator.pk)
            else:
                summary.unchanged += 1
        if new:
            bulk_create_with_history(new, Benchmark, batch_size=BATCH, default_user=user)
        if changed:
            bulk_update_with_history(changed, Benchmark, ["value", "minimum", "maximum"], batch_size=BATCH,
                                     default_user=user)
        summary.created, summary.updated = len(new), len(changed)
        return _finish(summary, touched, queue)

    return run_import(table, validate=validate, write=write)


IMPORTERS = {
    "indicators": (import_indicators, INDICATOR_COLUMNS, INDICATOR_OPTIONAL),
    "targets": (import_targets, TARGET_COLUMNS, []),
    "measurements": (import_measurements, MEASUREMENT_COLUMNS, MEASUREMENT_OPTIONAL),
    "benchmarks": (import_benchmarks, BENCHMARK_COLUMNS, []),
}

__all__ = ["IMPORTERS", "Decimal", "RowError"]
