"""The DfE validation report: the DfE's own rules for the 903 (the `csc-validator-be-903` package, the
rules the DfE portal applies) run on an uploaded return, so the council can fix its case system before
the return goes to the DfE.

The rules need the return as the council holds it: full dates of birth, UPNs, full postcodes (the
package works out PL_LA, PL_LOCATION and PL_DISTANCE from them). The import never stores those, so:

* on upload, only the 903 columns the rules read (the package's own column lists; any other column in
  the file is dropped) are held in a DfeCheckUpload row, and a worker task is queued (never run in the
  request);
* the task runs every rule of the return's collection year, stores what each rule found (rule code,
  description, file row numbers and CHILD references, which are pseudonymous) and deletes the held
  tables in a `finally`, whether the check succeeded or failed;
* a sweep deletes held tables older than DFE_CHECK_UPLOAD_MAX_HOURS, for a check that never ran.

Each rule runs on its own copy of the return, as at the return's own collection year. One rule that raises
is recorded as "could not be checked", in plain words (the column or table it needs); the others still run.
"""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import math
import warnings
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.imports import Table
from core.outbox import task_send_on_commit

from .importers import latest_collection_year
from .models import DfeCheck, DfeCheckStatus, DfeCheckUpload, DfeFinding

logger = logging.getLogger(__name__)

# The 903 columns the DfE rules read (lac_validator.config.column_names), lower case as core.imports reads them.
HEADER_COLUMNS = ["child", "sex", "dob", "ethnic", "upn", "mother", "mc_dob"]
# Header columns of later returns that rules read (2024-25's rule 231), held only when the file has them, so a
# rule that needs one says so rather than finding nothing in a blank column.
HEADER_IF_GIVEN = ["uasc_status"]
EPISODE_COLUMNS = [
    "child",
    "decom",
    "rne",
    "ls",
    "cin",
    "place",
    "place_provider",
    "dec",
    "rec",
    "reason_place_change",
    "home_post",
    "pl_post",
    "urn",
]
# The validator's table names and ours (as the import's row errors name the files)
FILES = {"Header": "header", "Episodes": "episodes"}

ROWS_KEPT = 20000  # rows stored per rule (the page and the CSV say when there were more); the count is always full


def held_table(table: Table, columns: list[str], if_given: list[str] = ()) -> dict:
    """What is held of one uploaded file: the rules' columns only (and those of `if_given` the file has), with
    the file's row numbers."""
    columns = list(columns) + [c for c in if_given if c in table.header]
    rows = [[number, *(cells.get(c, "") for c in columns)] for number, cells in table.rows]
    return {"columns": columns, "rows": rows}


def dfe_check_request(
    *, header: Table, episodes: Table, header_file: str = "", episodes_file: str = "", user=None
) -> DfeCheck:
    """Hold the rules' columns of an uploaded return and queue the check (sent when the transaction commits;
    kept in the outbox if the broker is down)."""
    with transaction.atomic():
        check = DfeCheck.objects.create(
            requested_by=user if user is not None and user.is_authenticated else None,
            header_file=header_file[:255],
            episodes_file=episodes_file[:255],
            header_rows=len(header.rows),
            episodes_rows=len(episodes.rows),
        )
        DfeCheckUpload.objects.create(
            check_run=check,
            header=held_table(header, HEADER_COLUMNS, HEADER_IF_GIVEN),
            episodes=held_table(episodes, EPISODE_COLUMNS),
        )
        task_send_on_commit("placements.tasks.dfe_check_run", args=[check.pk])
    return check


@dataclass
class RuleResult:
    code: str
    description: str
    fields: list[str]
    rows: list[tuple[str, int, str]] = field(default_factory=list)  # (file, row number, CHILD)
    error: str = ""


@dataclass
class CheckResult:
    collection_year: int  # the return's own (the rules' "as at" year)
    ruleset_year: int  # whose rules were run: the same, or the nearest the package has
    results: list[RuleResult]  # rules that flagged rows or could not be checked, by code
    rules_run: int = 0
    not_applicable: int = 0
    notes: list[str] = field(default_factory=list)


def _ruleset_years() -> list[int]:
    """Collection years (ending 31 March) the installed package has rules for: lac2024_25 -> 2025."""
    import pkgutil

    import lac_validator.rules

    return sorted(
        int(m.name[3:7]) + 1
        for m in pkgutil.iter_modules(lac_validator.rules.__path__)
        if m.ispkg and m.name.startswith("lac")
    )


def return_collection_year(episodes: dict) -> int | None:
    """The return's collection year, as the import works it out (from its latest DECOM or DEC). None if no
    date can be read."""
    columns = episodes["columns"]
    spots = [columns.index("decom") + 1, columns.index("dec") + 1]
    return latest_collection_year(row[i] for row in episodes["rows"] for i in spots)


def local_authority_code() -> str:
    """The council's area code as the rules compare it with PL_LA (upper-tier, e.g. E06000038), from
    PLACEMENTS_LOCAL_AUTHORITY given as a name ("Reading") or a code. Empty if it matches no authority."""
    import qlacref_authorities

    wanted = (settings.PLACEMENTS_LOCAL_AUTHORITY or "").strip().casefold()
    for record in qlacref_authorities.records:
        if wanted in (
            record["UTLA21CD"].casefold(),
            record["UTLA21NM"].casefold(),
            record["LTLA21CD"].casefold(),
            record["LTLA21NM"].casefold(),
        ):
            return record["UTLA21CD"]
    return ""


def _frame(held: dict):
    """A held table as the package's CSV reader makes it: columns named as the 903 spells them, text cells,
    blanks as NaN, upper case."""
    import numpy as np
    import pandas as pd

    values = [[(cell.upper() if cell else np.nan) for cell in row[1:]] for row in held["rows"]]
    frame = pd.DataFrame(values, columns=[c.upper() for c in held["columns"]], dtype=object)
    # Row numbers, and CHILD as the file spells it (the first column of both files)
    return frame, [row[0] for row in held["rows"]], [row[1] for row in held["rows"]]


def ruleset_year(collection_year: int | None) -> int:
    """The year of the package's rules to run for a return: its own, or the nearest the package has (the
    latest for a return with no readable date)."""
    years = _ruleset_years()
    if collection_year is None:
        return years[-1]
    return min(max(collection_year, years[0]), years[-1])


def _year_label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _own_copy(store: dict) -> dict:
    """A rule's own copy of the return. Rules write to the tables they are given (dates parsed in place,
    columns added, rows sorted), so with the package's shallow copy (copy_datastore) what a rule finds would
    depend on the rules run before it."""
    return copy.deepcopy(store)


def _plain_error(exc: Exception, store: dict) -> str:
    """Why a rule could not be checked, in words a placements officer can act on. The traceback goes to
    the log, not the page."""
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        missing = exc.args[0]
        table = missing.removesuffix("_last")
        if table in _validator_columns() and missing not in store:
            if missing.endswith("_last"):
                return f"It needs last year's {table} table, which this check does not take."
            return f"It needs the {table} table of the return, which this check does not take."
        # A column of the return (not one a rule works out for itself and then misses)
        of_file = {
            "Header": _validator_columns()["Header"] + [c.upper() for c in HEADER_IF_GIVEN],
            "Episodes": _validator_columns()["Episodes"],
        }
        files = [FILES[t] for t in FILES if missing in of_file[t]]
        if files:
            return f"It needs the {missing} column of the {' or '.join(files)} file, which this return does not have."
    return (
        "The rule stopped with an error of its own on this return, so it says nothing either way; "
        "the details are in the worker's log."
    )


def _validator_columns() -> dict[str, list[str]]:
    from lac_validator.config import column_names as names

    return names


def rules_check(
    held: dict[str, dict], *, collection_year: int | None, local_authority: str, registry=None
) -> CheckResult:
    """Run every DfE rule for the return's collection year on the held tables ({"header": ..., "episodes":
    ...}), each rule on its own copy of the return and as at the return's own year (its 31 March is the
    date the rules measure ages and durations to). A rule that raises is reported in plain words and the
    rest carry on."""
    from lac_validator.datastore import create_datastore
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    notes = []
    rules_year = ruleset_year(collection_year)
    year = collection_year or rules_year
    if collection_year is None:
        notes.append(f"No date in the episodes file could be read: the {_year_label(year)} rules were used.")
    elif rules_year != year:
        notes.append(
            f"The validator has no rules for {_year_label(year)}: its nearest, the {_year_label(rules_year)} "
            f"rules, were used, checked as at the return's own year end (31 March {year})."
        )
    if registry is None:
        registry = get_year_ruleset(str(rules_year))
    if not local_authority:
        notes.append(
            f"'{settings.PLACEMENTS_LOCAL_AUTHORITY}' (PLACEMENTS_LOCAL_AUTHORITY) is not a local "
            "authority the validator knows: every placement counts as outside the area."
        )

    frames, row_numbers, children = {}, {}, {}
    for name, ours in FILES.items():
        frames[name], row_numbers[name], children[name] = _frame(held[ours])
    results, rules_run, not_applicable = [], 0, 0
    quiet = logging.getLogger("lac_validator")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # the package logs every rule at INFO
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")  # pandas chained-assignment and dtype warnings inside the rules
            # (and a rule's stray print() kept out of the worker's log)
            store = create_datastore(
                frames, {"collectionYear": str(year), "localAuthority": local_authority, "file_format": "csv"}
            )
            for code in sorted(registry, key=_rule_order):
                rule = registry[code]
                found = RuleResult(str(rule.code), rule.message or "", list(rule.affected_fields or []))
                try:
                    flagged = rule.func(_own_copy(store))
                    if flagged:
                        found.rows = _rows(flagged, row_numbers, children)
                except SoftTimeLimitExceeded:
                    raise
                except Exception as exc:  # one rule's failure is reported; the others still run
                    logger.warning("DfE rule %s could not be checked", rule.code, exc_info=True)
                    found.rows, found.error = [], _plain_error(exc, store)
                    results.append(found)
                    continue
                if not flagged:
                    not_applicable += 1  # the rule needs a table the import does not take
                    continue
                rules_run += 1
                if found.rows:
                    results.append(found)
    finally:
        quiet.setLevel(level)
    return CheckResult(year, rules_year, results, rules_run, not_applicable, notes)


def _rows(flagged: dict, row_numbers: dict, children: dict) -> list[tuple[str, int, str]]:
    """The rows a rule flagged ({table: [positions]}) as (file, file row number, CHILD), in file order."""
    rows = set()
    for table, positions in flagged.items():
        if table not in FILES:
            continue
        numbers, refs = row_numbers[table], children[table]
        for position in positions:
            if position is None or (isinstance(position, float) and math.isnan(position)):
                continue
            position = int(position)
            if 0 <= position < len(numbers):
                rows.add((FILES[table], numbers[position], refs[position]))
    return sorted(rows, key=lambda r: (r[0] != "header", r[1]))


def _rule_order(code: str):
    """Rule codes in the order a person reads them: 101, 102, ..., 1015, then the lettered ones."""
    digits = "".join(c for c in str(code) if c.isdigit())
    return (0, int(digits), str(code)) if digits and str(code)[0].isdigit() else (1, 0, str(code))


def dfe_check_run(*, check_id: int) -> DfeCheck | None:
    """Run a queued check and store its findings. The held tables are deleted at the end whatever happens.
    Safe to run twice: a check whose tables are gone has already run (or was swept) and is left alone."""
    with transaction.atomic():
        check = DfeCheck.objects.select_for_update().filter(pk=check_id).first()
        upload = DfeCheckUpload.objects.filter(check_run_id=check_id).first() if check else None
        if check is None or upload is None:
            return check
        check.status, check.started_at = DfeCheckStatus.RUNNING, timezone.now()
        check.save(update_fields=["status", "started_at"])
    try:
        held = {"header": upload.header, "episodes": upload.episodes}
        del upload
        try:
            result = rules_check(
                held, collection_year=return_collection_year(held["episodes"]), local_authority=local_authority_code()
            )
        except SoftTimeLimitExceeded:
            return _finish(check_id, error="The check took too long and was stopped.")
        except Exception as exc:  # the check as a whole failing is shown on the import page
            logger.exception("DfE check %s could not run", check_id)
            return _finish(check_id, error=f"{type(exc).__name__}: {exc}"[:2000])
        return _finish(check_id, result=result)
    finally:
        DfeCheckUpload.objects.filter(check_run_id=check_id).delete()


def _finish(check_id: int, *, result: CheckResult | None = None, error: str = "") -> DfeCheck:
    with transaction.atomic():
        check = DfeCheck.objects.select_for_update().get(pk=check_id)
        check.finished_at = timezone.now()
        check.validator_version = _validator_version()
        if result is None:
            check.status, check.error = DfeCheckStatus.FAILED, error
        else:
            check.status = DfeCheckStatus.DONE
            check.collection_year, check.ruleset_year = result.collection_year, result.ruleset_year
            check.rules_run, check.rules_not_applicable = result.rules_run, result.not_applicable
            check.notes = "\n".join(result.notes)
            check.findings.all().delete()
            DfeFinding.objects.bulk_create(
                [
                    DfeFinding(
                        check_run=check,
                        rule_code=r.code,
                        description=r.description,
                        fields=", ".join(r.fields)[:250],
                        row_count=len(r.rows),
                        rows=[list(row) for row in r.rows[:ROWS_KEPT]],
                        error=r.error,
                    )
                    for r in result.results
                ]
            )
        check.save()
    return check


def _validator_version() -> str:
    """The installed csc-validator-be-903 version, from its dist-info folder name (it has no __version__)."""
    import lac_validator

    found = sorted(Path(lac_validator.__file__).parent.parent.glob("csc_validator_be_903-*.dist-info"))
    return found[-1].name.removesuffix(".dist-info").split("-")[1] if found else ""


def dfe_check_uploads_sweep(*, now=None) -> int:
    """Delete held returns older than DFE_CHECK_UPLOAD_MAX_HOURS (their check never ran: no worker, or a lost
    job); the check is marked as not run, to be uploaded again. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.DFE_CHECK_UPLOAD_MAX_HOURS)
    with transaction.atomic():
        stale = list(DfeCheckUpload.objects.filter(created__lt=cutoff).values_list("check_run_id", flat=True))
        if not stale:
            return 0
        DfeCheckUpload.objects.filter(check_run_id__in=stale).delete()
        DfeCheck.objects.filter(pk__in=stale).exclude(status=DfeCheckStatus.DONE).update(
            status=DfeCheckStatus.FAILED,
            finished_at=now or timezone.now(),
            error=f"The check did not run within {settings.DFE_CHECK_UPLOAD_MAX_HOURS} hours, so the return's data "
            "was deleted. Upload the return again to check it.",
        )
    logger.warning("Deleted %s return(s) held for a DfE check that never ran", len(stale))
    return len(stale)


def dfe_check_latest() -> DfeCheck | None:
    """The most recent check, with its findings (two queries)."""
    return DfeCheck.objects.select_related("requested_by").prefetch_related("findings").first()
