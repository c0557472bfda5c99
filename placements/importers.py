"""The SSDA903 import: the return's header and episodes files become children, placements and episodes.

On the way in a date of birth is cut to month and year, postcodes are cut to their district,
and UPN, MOTHER, MC_DOB and UASC_STATUS are dropped (never stored). Every row of both files is checked before
anything is saved; if any row is wrong nothing is saved. Children, placements and episodes
are matched on (child reference, start date), so importing the same return again changes nothing.

A corrected return replaces what an earlier one said. The rule:

* A return speaks for the children in its header file, and for each of them from the earlier of
  the child's first DECOM in the episodes file and 1 April of the return's collection year (the year
  ending 31 March that holds the latest DECOM or DEC in the file). Children left out of the header,
  and anything before that day (earlier years' returns), are untouched.
* Within that, the child's episodes and the placements that came from a 903 return are made to be
  exactly what the episodes file says: matching ones are updated, new ones created, and the rest
  removed.
* A placement whose start date was corrected is the same placement: an unmatched placement from a
  return with the same PLACE code whose dates overlap the new one (and is the only such candidate)
  is moved to the new start, keeping its provider, contract, IPA, costs and panel reviews.
* Placements entered in the app (source "app") are never removed by a return; those the return does
  not mention are kept, with their episodes, and listed in the import's result.
* A placement from a return that would be removed but has an IPA, cost lines or panel reviews stops
  the whole import with an error on the child's header row: those records are the council's evidence
  of what it agreed and paid, so a person must decide (correct the return, or remove the records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts.models import Provider
from core.imports import ImportFailed, ImportSummary, RowError, RowReader, Table, check_columns
from core.outbox import task_send_on_commit
from core.periods import financial_year_end, parse_date_text
from core.registry import registry

from . import rules
from .models import (
    SEX_FROM_2025,
    SEX_UNTIL_2024,
    Child,
    CostLine,
    Episode,
    LegalStatus,
    PanelReview,
    Placement,
    PlacementAgreement,
    PlacementProvider,
    PlacementSource,
    PlacementType,
    PostcodeDistrict,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    ReturnImport,
    Route,
    SkippedChild,
    sex_codes,
)

HEADER_COLUMNS = ["child", "sex", "dob"]
HEADER_OPTIONAL = ["ethnic", "upn", "mother", "mc_dob", "uasc_status"]
EPISODE_COLUMNS = ["child", "decom", "rne", "ls", "place", "place_provider"]
EPISODE_OPTIONAL = ["cin", "dec", "rec", "reason_place_change", "home_post", "pl_post", "urn", "pl_distance",
                    "pl_location", "pl_la"]
CHUNK = 500


LISTED = 50  # at most this many removed or kept placements are named in the result


@dataclass
class Import903Summary(ImportSummary):
    """What a 903 import did. created / updated / unchanged / removed count placements."""

    removed: int = 0
    kept: int = 0
    children_created: int = 0
    children_updated: int = 0
    episodes_created: int = 0
    episodes_updated: int = 0
    episodes_removed: int = 0
    removed_placements: list[str] = field(default_factory=list)  # "100001 from 01/06/2024 (U4)"
    skipped_children: list[dict] = field(default_factory=list)  # see Checked903.skipped
    districts_unknown: list[str] = field(default_factory=list)  # named by the return, not in the district list
    record: ReturnImport | None = None
    kept_placements: list[str] = field(default_factory=list)  # entered in the app, not in this return
    sex_read: str = ""  # which SEX codes were read (sex_read_note)
    new_children: list[str] = field(default_factory=list)  # CHILD references, pseudonymous; at most LISTED

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"

    def table(self) -> list[tuple[str, int, int, int]]:
        """(what, created, updated, removed) for the result page and the command."""
        return [
            ("Children", self.children_created, self.children_updated, 0),
            ("Placements", self.created, self.updated, self.removed),
            ("Episodes", self.episodes_created, self.episodes_updated, self.episodes_removed),
        ]

    def as_dict(self) -> dict:
        return {"table": self.table(), "unchanged": self.unchanged, "removed_placements": self.removed_placements,
                "kept_placements": self.kept_placements, "removed": self.removed, "kept": self.kept,
                "children_skipped": sum(1 for s in self.skipped_children if s["child"]),
                "districts_unknown": self.districts_unknown, "sex_read": self.sex_read,
                "new_children": self.new_children, "children_created": self.children_created,
                "record_url": self.record.get_absolute_url() if self.record else ""}


class _Reader(RowReader):
    """RowReader whose errors name the file and the column as the 903 spells it (upper case)."""

    def __init__(self, file_label, *args):
        super().__init__(*args)
        self.file_label = file_label

    def error(self, column, message):
        self.errors.append(RowError(self.row, message, f"{self.file_label}: {column.upper()}"))


@dataclass
class ChildRow:
    row: int
    reference: str
    sex: str
    birth_month: int
    birth_year: int
    ethnicity: str


def collection_year(day: date) -> int:
    """The 903 collection year (ending 31 March) that `day` falls in."""
    return financial_year_end(day).year


def latest_collection_year(dates) -> int | None:
    """A return's collection year: the one holding the latest of its DECOM and DEC dates (as text; those that
    cannot be read are passed over). None if no date can be read."""
    days = []
    for text in dates:
        try:
            day = parse_date_text(text) if text else None
        except ValueError:
            day = None
        if day:
            days.append(day)
    return collection_year(max(days)) if days else None


def _year_label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _codes_listed(codes) -> str:
    codes = list(codes)
    return ", ".join(codes[:-1]) + " or " + codes[-1]


def _sex(reader: _Reader, year: int | None) -> str:
    """SEX read by the return's collection year; a code of the other years is refused with the right ones."""
    value = reader.text("sex", required=True).upper()
    if not value:
        return ""
    codes = sex_codes(year)
    if value in codes:
        return codes[value]
    if year is None:
        reader.error("sex", f"'{value}' is not a SEX code: use {_codes_listed(codes)}")
    elif year >= 2025 and value in SEX_UNTIL_2024:
        reader.error("sex", f"'{value}' is a SEX code of returns until 2023-24; a {_year_label(year)} return "
                            f"gives SEX as {_codes_listed(SEX_FROM_2025)}")
    elif year < 2025 and value in SEX_FROM_2025:
        reader.error("sex", f"'{value}' is a SEX code of returns from 2024-25; a {_year_label(year)} return "
                            f"gives SEX as {_codes_listed(SEX_UNTIL_2024)}")
    else:
        reader.error("sex", f"'{value}' is not a SEX code: a {_year_label(year)} return gives SEX as "
                            f"{_codes_listed(codes)}")
    return ""


def sex_read_note(year: int | None, read: dict[str, int]) -> str:
    """Which SEX codes the import read, and how many of each, for the result page and the command."""
    counts = ", ".join(f"{code} {read[code]:,}" for code in sex_codes(year) if read.get(code))
    if year is None:
        rule = "No date in the episodes file could be read, so SEX was read as 1, 2, M, F or U"
    else:
        rule = f"SEX read as a {_year_label(year)} return gives it ({_codes_listed(sex_codes(year))})"
    return f"{rule}: {counts or 'no child'}."


class Codes:
    def __init__(self):
        self.place = {c.code: c for c in PlacementType.objects.all()}
        self.provider = {c.code: c for c in PlacementProvider.objects.all()}
        self.legal = {c.code: c for c in LegalStatus.objects.all()}
        self.rne = {c.code: c for c in ReasonNewEpisode.objects.all()}
        self.rec = {c.code: c for c in ReasonEpisodeCeased.objects.all()}
        self.change = {c.code: c for c in ReasonPlaceChange.objects.all()}


def _code(reader: _Reader, column: str, table: dict, *, required: bool, years: tuple[int, int] | None = None) -> str:
    value = reader.text(column, required=required).upper()
    if not value:
        return ""
    found = table.get(value)
    if found is None:
        reader.error(column, f"'{value}' is not an SSDA903 code")
        return ""
    if years is not None and not (
        (found.valid_from_year is None or found.valid_from_year <= years[1])
        and (found.valid_to_year is None or found.valid_to_year >= years[0])
    ):
        # The code's years of use must overlap the episode's.
        reader.error(column, f"'{value}' was not in use between {years[0] - 1} and {years[1]}")
    return value


def _district(reader: _Reader, column: str) -> str:
    value = reader.text(column)
    if not value:
        return ""
    try:
        return rules.postcode_district(value)
    except ValueError as exc:
        reader.error(column, str(exc))
        return ""


def validate_header(table: Table, row_child: dict | None = None, *, year: int | None = None,
                    sex_read: dict | None = None) -> tuple[dict[str, ChildRow], list[RowError]]:
    """The header's children and its problems, SEX read by the return's collection year `year`. `row_child`
    gets each row's CHILD by ("header", row); `sex_read` the number of children read with each SEX code."""
    errors = [
        RowError(e.row, e.message, "header") for e in check_columns(table, required=HEADER_COLUMNS,
                                                                     optional=HEADER_OPTIONAL)
    ]
    if errors:
        return {}, errors
    children: dict[str, ChildRow] = {}
    for number, cells in table.rows:
        r = _Reader("header", number, cells, errors)
        reference = r.text("child", required=True, max_length=20)
        if row_child is not None:
            row_child[("header", number)] = reference[:20]
        sex = _sex(r, year)
        born = r.date("dob", required=True)
        ethnicity = r.text("ethnic", max_length=4).upper()
        # UPN, MOTHER, MC_DOB and UASC_STATUS are read past and never kept.
        if reference in children:
            r.error("child", f"'{reference}' is repeated (first in row {children[reference].row})")
            continue
        if reference and sex and born:
            children[reference] = ChildRow(number, reference, sex, born.month, born.year, ethnicity)
            if sex_read is not None:
                code = r.text("sex").upper()
                sex_read[code] = sex_read.get(code, 0) + 1
    return children, errors


def validate_episodes(table: Table, children: dict[str, ChildRow], codes: Codes, row_child: dict | None = None):
    """The episodes grouped into placements, and the problems. `row_child` gets each row's CHILD by
    ("episodes", row)."""
    errors = [
        RowError(e.row, e.message, "episodes") for e in check_columns(table, required=EPISODE_COLUMNS,
                                                                       optional=EPISODE_OPTIONAL)
    ]
    if errors:
        return [], errors
    episodes: list[rules.EpisodeRow] = []
    for number, cells in table.rows:
        before = len(errors)
        r = _Reader("episodes", number, cells, errors)
        child = r.text("child", required=True, max_length=20)
        if row_child is not None:
            row_child[("episodes", number)] = child[:20]
        if child and child not in children:
            r.error("child", f"'{child}' is not in the header file")
        start = r.date("decom", required=True)
        end = r.date("dec")
        years = (collection_year(start), collection_year(end or date.today())) if start else None
        if start and end and end < start:
            r.error("dec", "is before DECOM")
        rne = _code(r, "rne", codes.rne, required=True)
        legal = _code(r, "ls", codes.legal, required=True)
        place = _code(r, "place", codes.place, required=True, years=years)
        provider = _code(r, "place_provider", codes.provider, required=False)
        if not provider and place:
            if place == "P1":
                provider = "PR0"
            elif place in rules.TEMPORARY_PLACE_CODES:
                provider = "PR1"
            elif rules.provider_kind_needed(place):
                r.error("place_provider", "is required")
            # else a DfE other placement (Z1, Z11-Z14): DfE says PLACE_PROVIDER is blank; stored with no kind
        rec = _code(r, "rec", codes.rec, required=False)
        if end and not rec:
            r.error("rec", "is required when DEC is given")
        if rec and not end:
            r.error("dec", "is required when REC is given")
        change = _code(r, "reason_place_change", codes.change, required=False)
        home = _district(r, "home_post")
        placed = _district(r, "pl_post")
        urn = r.text("urn", max_length=10).upper()
        distance = r.decimal("pl_distance", minimum=0)
        if distance is not None and distance >= 1000:
            r.error("pl_distance", "must be under 1,000 miles")
        location = r.text("pl_location").upper()
        if location not in ("", "IN", "OUT"):
            r.error("pl_location", f"'{location}' is not IN or OUT")
        # PL_LA (the placing area's code) is read past: PL_LOCATION says inside or outside.
        if len(errors) == before:
            episodes.append(rules.EpisodeRow(
                row=number, child=child, start=start, end=end, rne=rne, legal_status=legal, place=place,
                provider=provider, reason_ended=rec, reason_change=change, home_district=home,
                placement_district=placed, urn=urn,
                distance=distance.quantize(Decimal("0.1")) if distance is not None else None,
                in_area={"IN": True, "OUT": False}.get(location),
            ))
    groups, group_errors = rules.episodes_to_placements(episodes)
    errors += [RowError(row, message, f"episodes: {column}") for row, column, message in group_errors]
    return groups, errors


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _pk(obj):
    return None if obj is None else obj.pk


def providers_by_urn(urns) -> dict[str, int]:
    """The provider (id) of each URN that exactly one provider has: a URN two providers claim is left
    unmatched rather than guessed."""
    found: dict[str, set[int]] = {}
    for chunk in _chunks(urns):
        for urn, pk in Provider.objects.filter(ofsted_urn__in=chunk).values_list("ofsted_urn", "pk"):
            found.setdefault(urn, set()).add(pk)
        # Other ways to find a URN's provider that later apps register (the market app: the Ofsted settings
        # it has linked to a provider).
        for spec in registry.ordered(registry.provider_urn_lookups):
            for urn, pk in spec.lookup(set(chunk)).items():
                found.setdefault(urn, set()).add(pk)
    return {urn: next(iter(pks)) for urn, pks in found.items() if len(pks) == 1}


def _route_for(provider_code: str) -> str:
    """The route a placement new from a return starts with (the officer corrects it in the app). One with
    no provider (a DfE other placement: unregistered homes, deprivation of liberty settings) is taken as a
    spot purchase, as any placement not the council's own is: such settings are bought one at a time, never
    on a framework, and so they stay in the IPA queue and the framework-versus-spot share."""
    return Route.IN_HOUSE if provider_code in ("PR0", "PR1") else Route.SPOT


# Columns whose values could identify a child: a problem kept with a skipped child never repeats them.
IDENTIFYING_COLUMNS = {"header: dob", "header: mc_dob", "header: upn", "header: mother", "episodes: home_post",
                       "episodes: pl_post"}


def _kept_message(error: RowError) -> str:
    if error.column.lower() in IDENTIFYING_COLUMNS:
        return re.sub(r"'[^']*'", "the value given", error.message)
    return error.message


def _error_order(e: RowError):
    return (e.column.split(":")[0] != "header", e.row, e.column)


@dataclass
class Checked903:
    """A checked return: what is good to save, every problem, and whose row each problem is on."""

    children: dict[str, ChildRow]
    groups: list[rules.PlacementGroup]
    errors: list[RowError]
    row_child: dict[tuple[str, int], str]  # ("header" | "episodes", row number) -> CHILD as written
    sex_read: str = ""  # which SEX codes were read (sex_read_note)

    @property
    def collection_year(self) -> int | None:
        days = [d for g in self.groups for e in g.episodes for d in (e.start, e.end) if d is not None]
        return collection_year(max(days)) if days else None

    def child_of(self, error: RowError) -> str | None:
        """The CHILD whose row the problem is on ("" for a row with no CHILD); None for the file as a whole."""
        if error.row == 0:
            return None
        return self.row_child.get((error.column.split(":")[0].strip(), error.row))

    @property
    def skippable(self) -> bool:
        """Every problem is on a row, so leaving out those children and rows leaves something to import."""
        return all(self.child_of(e) is not None for e in self.errors) and bool(self.good_children)

    @property
    def bad_children(self) -> set[str]:
        return {self.child_of(e) for e in self.errors} - {None}

    @property
    def good_children(self) -> list[str]:
        bad = self.bad_children
        return [ref for ref in self.children if ref not in bad]

    def with_problems(self, errors: list[RowError]) -> Checked903:
        return Checked903(self.children, self.groups, self.errors + errors, self.row_child, self.sex_read)

    def without_identifying_values(self) -> Checked903:
        """A copy to hold while the person chooses: problems no longer repeat dates of birth or postcodes."""
        errors = [RowError(e.row, _kept_message(e), e.column, e.sheet) for e in self.errors]
        return Checked903(self.children, self.groups, errors, self.row_child, self.sex_read)

    def skipped(self) -> list[dict]:
        """Each child left out (and the rows with no CHILD, as ""): their rows and their problems."""
        bad = self.bad_children
        rows: dict[str, dict[str, list[int]]] = {ref: {"header": [], "episodes": []} for ref in bad}
        for (file, row), ref in self.row_child.items():
            if ref in rows:
                rows[ref][file].append(row)
        problems: dict[str, list[dict]] = {ref: [] for ref in bad}
        for e in sorted(self.errors, key=_error_order):
            ref = self.child_of(e)
            if ref is not None:
                problems[ref].append({"row": e.row, "column": e.column, "message": _kept_message(e)})
        return [
            {"child": ref, "header_rows": sorted(rows[ref]["header"]), "episode_rows": sorted(rows[ref]["episodes"]),
             "problems": problems[ref]}
            for ref in sorted(bad, key=lambda r: (r == "", r))
        ]


def check_903(header: Table, episodes: Table) -> Checked903:
    """Read and check every row of both files; nothing is saved."""
    row_child: dict[tuple[str, int], str] = {}
    year = latest_collection_year(cells.get(c, "") for _, cells in episodes.rows for c in ("decom", "dec"))
    sex_read: dict[str, int] = {}
    children, errors = validate_header(header, row_child, year=year, sex_read=sex_read)
    groups, episode_errors = validate_episodes(episodes, children, Codes(), row_child)
    return Checked903(children, groups, errors + episode_errors, row_child, sex_read_note(year, sex_read))


def import_903(header: Table, episodes: Table, *, user, skip_invalid_children: bool = False) -> Import903Summary:
    return import_903_checked(check_903(header, episodes), user=user, skip_invalid_children=skip_invalid_children)


def import_903_checked(checked: Checked903, *, user, skip_invalid_children: bool = False) -> Import903Summary:
    """Save a checked return. Strict by default: any problem refuses the whole return. With
    `skip_invalid_children`, every child with a problem on any of their rows is left out whole (and listed
    on the import record); the others are saved. Problems with the files as a whole always refuse it."""
    if checked.errors and not (skip_invalid_children and checked.skippable):
        raise ImportFailed(sorted(checked.errors, key=_error_order))
    codes = Codes()
    with transaction.atomic():
        while True:
            try:
                summary = _write(checked, codes, user, skip=skip_invalid_children)
                break
            except ImportFailed as failed:  # raised before anything is written
                if not skip_invalid_children:
                    raise
                checked = checked.with_problems(failed.errors)
                if not checked.good_children:
                    raise ImportFailed(sorted(checked.errors, key=_error_order)) from failed
        summary.record = _return_import_record(checked, summary, user=user, skip=skip_invalid_children)
        # KPIs computed from placement data are filled again once the new return is saved (through the
        # outbox: with the broker down the return is kept and the refill sent when the broker is back).
        task_send_on_commit("kpis.tasks.kpi_computed_measures_fill")
    return summary


def _return_import_record(checked: Checked903, summary: Import903Summary, *, user, skip: bool) -> ReturnImport:
    """Record the import and its skipped children; earlier skips of the children this return speaks for
    (imported, or skipped again) are replaced by it."""
    skipped = checked.skipped() if skip else []
    summary.skipped_children = skipped
    record = ReturnImport.objects.create(
        imported_by=user if user is not None and user.is_authenticated else None,
        collection_year=checked.collection_year, skip_invalid_children=skip,
        children_imported=len(checked.good_children) if skip else len(checked.children),
        children_skipped=sum(1 for s in skipped if s["child"]),
        placements_created=summary.created, placements_updated=summary.updated, placements_removed=summary.removed,
        notes="\n".join(summary.notes),
    )
    SkippedChild.objects.bulk_create([
        SkippedChild(return_import=record, reference=s["child"], header_rows=s["header_rows"],
                     episode_rows=s["episode_rows"], problems=s["problems"])
        for s in skipped
    ], batch_size=CHUNK)
    spoken_for = set(checked.children) | {s["child"] for s in skipped if s["child"]}
    for chunk in _chunks(spoken_for):
        SkippedChild.objects.filter(reference__in=chunk, replaced_by__isnull=True).exclude(
            return_import=record).update(replaced_by=record)
    return record


def _covers_from(children: dict[str, ChildRow], groups: list[rules.PlacementGroup],
                 year: int | None) -> dict[str, date]:
    """For each header child, the first day this return speaks for (see the module docstring)."""
    if year is None:
        return {}  # an empty episodes file removes nothing
    year_start = date(year - 1, 4, 1)
    first: dict[str, date] = {}
    for group in groups:
        if group.child not in first or group.start < first[group.child]:
            first[group.child] = group.start
    return {ref: min(first.get(ref, year_start), year_start) for ref in children}


def _overlaps(placement: Placement, group: rules.PlacementGroup) -> bool:
    return (placement.start <= (group.end or date.max)) and (placement.end is None or placement.end >= group.start)


def _label(placement: Placement, reference: str, place_codes: dict[int, str]) -> str:
    return f"{reference} from {placement.start:%d/%m/%Y} ({place_codes.get(placement.placement_type_id, '?')})"


def _protected(placement_ids: list[int]) -> dict[int, list[str]]:
    """What would be lost with each placement: its IPA, cost lines, panel reviews (three queries)."""
    found: dict[int, list[str]] = {}
    for chunk in _chunks(placement_ids):
        for pid in PlacementAgreement.objects.filter(placement_id__in=chunk).values_list("placement_id", flat=True):
            found.setdefault(pid, []).append("an IPA")
        for model, noun in ((CostLine, "cost line"), (PanelReview, "panel review")):
            counts = (model.objects.filter(placement_id__in=chunk).values("placement_id")
                      .annotate(n=models.Count("id")).values_list("placement_id", "n"))
            for pid, n in counts:
                found.setdefault(pid, []).append(f"{n} {noun}{'s' if n != 1 else ''}")
    return found


@dataclass
class _Recorded:
    """What the database already holds for the return's children, by CHILD reference."""

    children: dict[str, Child]
    placements: dict[tuple[str, date], Placement]  # by (reference, start)
    by_child: dict[str, list[Placement]]  # each child's placements, earliest first


@dataclass
class _Match:
    targets: dict[int, Placement] = field(default_factory=dict)  # group index -> the recorded placement it is
    matched: set[int] = field(default_factory=set)  # ids of recorded placements some group is
    redated: set[int] = field(default_factory=set)  # indexes of groups whose start date was corrected


def _recorded_load(references) -> _Recorded:
    children: dict[str, Child] = {}
    for chunk in _chunks(references):
        children.update({c.reference: c for c in Child.objects.filter(reference__in=chunk)})
    reference_of = {c.pk: ref for ref, c in children.items()}
    placements: dict[tuple[str, date], Placement] = {}
    by_child: dict[str, list[Placement]] = {}
    for chunk in _chunks(reference_of):
        for p in Placement.objects.filter(child_id__in=chunk).order_by("start"):
            ref = reference_of[p.child_id]
            placements[(ref, p.start)] = p
            by_child.setdefault(ref, []).append(p)
    return _Recorded(children, placements, by_child)


def _placements_match(groups: list[rules.PlacementGroup], recorded: _Recorded, covers_from: dict[str, date],
                      codes: Codes) -> _Match:
    """Which recorded placement each group is: same start; else (RNE L) the one it carries on; else,
    for a corrected start date, the only unmatched placement from a return with the same PLACE
    code whose dates overlap."""
    match = _Match()
    for index, group in enumerate(groups):
        target = recorded.placements.get((group.child, group.start))
        if target is None and group.continues_earlier:
            target = next((p for p in recorded.by_child.get(group.child, []) if p.start < group.start
                           and (p.end is None or p.end >= group.start)), None)
        if target is not None:
            match.targets[index] = target
            match.matched.add(target.pk)
    for index, group in enumerate(groups):
        if index in match.targets or group.continues_earlier or group.child not in covers_from:
            continue
        place_id = codes.place[group.first.place].pk
        candidates = [
            p for p in recorded.by_child.get(group.child, [])
            if p.pk not in match.matched and p.source == PlacementSource.RETURN
            and p.start >= covers_from[group.child] and p.placement_type_id == place_id and _overlaps(p, group)
        ]
        if len(candidates) == 1:
            match.targets[index] = candidates[0]
            match.matched.add(candidates[0].pk)
            match.redated.add(index)
    return match


def _placements_not_in_return(covers_from: dict[str, date], recorded: _Recorded, matched: set[int]):
    """(to remove, to keep): placements the return no longer has. Those from a return are removed,
    those entered in the app are kept. Each as (reference, placement)."""
    to_remove: list[tuple[str, Placement]] = []
    kept: list[tuple[str, Placement]] = []
    for ref, day in covers_from.items():
        for p in recorded.by_child.get(ref, []):
            if p.pk in matched or p.start < day:
                continue
            (to_remove if p.source == PlacementSource.RETURN else kept).append((ref, p))
    return to_remove, kept


def _protected_removal_errors(to_remove: list[tuple[str, Placement]], children: dict[str, ChildRow],
                              place_codes: dict[int, str]) -> list[RowError]:
    """An error on the child's header row for each placement to remove that an IPA, cost lines or
    panel reviews hang on."""
    protected = _protected([p.pk for _, p in to_remove]) if to_remove else {}
    errors = []
    for ref, p in to_remove:
        if p.pk not in protected:
            continue
        records = protected[p.pk]
        listed = ", ".join(records[:-1]) + " and " + records[-1] if len(records) > 1 else records[0]
        verb = "are" if len(records) > 1 or listed.endswith("s") else "is"
        errors.append(RowError(
            children[ref].row,
            f"'{ref}': the placement from {p.start:%d/%m/%Y} ({place_codes.get(p.placement_type_id, '?')}) "
            f"is not in this return, but {listed} {verb} "
            "recorded against it. Correct the return if the placement did happen; if it did not, "
            "remove those records in the app first.",
            "header: CHILD",
        ))
    return errors


def _children_save(children: dict[str, ChildRow], existing: dict[str, Child], user,
                   summary: Import903Summary) -> dict[str, int]:
    """Create and update the header's children; their ids by reference."""
    new_children, changed_children = [], []
    for ref, row in children.items():
        values = {"sex": row.sex, "birth_month": row.birth_month, "birth_year": row.birth_year,
                  "ethnicity": row.ethnicity}
        child = existing.get(ref)
        if child is None:
            new_children.append(Child(reference=ref, **values))
        elif any(getattr(child, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(child, k, v)
            changed_children.append(child)
    if new_children:
        bulk_create_with_history(new_children, Child, default_user=user, batch_size=CHUNK)
    if changed_children:
        bulk_update_with_history(changed_children, Child, ["sex", "birth_month", "birth_year", "ethnicity"],
                                 default_user=user, batch_size=CHUNK)
    summary.children_created, summary.children_updated = len(new_children), len(changed_children)
    summary.new_children = sorted(c.reference for c in new_children)[:LISTED]
    child_ids: dict[str, int] = {}
    for chunk in _chunks(children):
        child_ids.update(dict(Child.objects.filter(reference__in=chunk).values_list("reference", "id")))
    return child_ids


def _district_places(groups: list[rules.PlacementGroup]) -> tuple[dict[str, tuple], dict[str, str]]:
    """(centroid, local authority) of each postcode district the return names that is loaded."""
    districts = [
        d for chunk in _chunks({e.home_district for g in groups for e in g.episodes}
                               | {e.placement_district for g in groups for e in g.episodes})
        for d in PostcodeDistrict.objects.filter(code__in=chunk)
    ]
    centroids = {d.code: (d.latitude, d.longitude) for d in districts}
    authority = {d.code: d.local_authority for d in districts if d.local_authority}
    return centroids, authority


PLACEMENT_FIELDS = ["start", "end", "placement_type", "provider_kind", "reason_new_episode", "reason_ended",
                    "reason_for_change", "ofsted_urn", "provider", "home_district", "placement_district",
                    "distance_miles", "care_period_start", "in_area", "recorded_distance_miles"]


def _placements_save(groups: list[rules.PlacementGroup], match: _Match, recorded: _Recorded,
                     child_ids: dict[str, int], removing: set[int], codes: Codes, user,
                     summary: Import903Summary) -> dict[int, Placement]:
    """Create and update a placement for each group; the placement of each group index."""
    centroids, authority = _district_places(groups)
    summary.districts_unknown = sorted(
        {d for g in groups for d in (g.first.home_district, g.first.placement_district) if d and d not in centroids})
    home_authority = settings.PLACEMENTS_LOCAL_AUTHORITY

    def in_area(district):
        if not home_authority or district not in authority:
            return None
        return authority[district] == home_authority
    period_starts = rules.care_period_starts(groups)
    provider_of_urn = providers_by_urn({g.first.urn for g in groups if g.first.urn})

    new_placements, changed_placements, group_placement, changed_ids = [], [], {}, set()
    for index, group in enumerate(groups):
        child_id = child_ids[group.child]
        target = match.targets.get(index)
        first, last = group.first, group.last
        care_start = period_starts[index]
        if care_start is None:
            before = [p for p in recorded.by_child.get(group.child, [])
                      if p.end == group.start and p.pk not in removing]
            care_start = before[-1].care_period_start if before else None
        # Compared and set by id: reading a foreign key object would cost a query per row.
        values = {
            "end": last.end,
            "placement_type_id": codes.place[first.place].pk,
            "provider_kind_id": _pk(codes.provider.get(first.provider)),  # none for DfE other placements
            "reason_new_episode_id": codes.rne[first.rne].pk,
            "reason_ended_id": _pk(codes.rec.get(last.reason_ended)),
            "reason_for_change_id": _pk(codes.change.get(first.reason_change)),
            "ofsted_urn": first.urn,
            "home_district": first.home_district,
            "placement_district": first.placement_district,
            "care_period_start": care_start,
        }
        recorded_miles = first.distance if first.distance is not None else (
            target.recorded_distance_miles if target is not None else None)
        if first.distance is not None:
            values["recorded_distance_miles"] = first.distance
        values["distance_miles"] = rules.placement_distance(
            first.home_district, first.placement_district, centroids, recorded_miles)
        if first.urn in provider_of_urn and (target is None or target.provider_id is None):
            # The provider the return's URN names; a provider chosen in the app is never replaced.
            values["provider_id"] = provider_of_urn[first.urn]
        if first.in_area is not None:
            values["in_area"] = first.in_area
        elif target is None or target.in_area is None:
            values["in_area"] = in_area(first.placement_district)
        if index in match.redated:
            values["start"] = group.start  # a corrected start date
        elif target is not None and target.start < group.start:
            # An RNE L episode carrying on a placement from an earlier return: only its end changes.
            values = {"end": last.end, "reason_ended_id": _pk(codes.rec.get(last.reason_ended))}
        if target is None:
            target = Placement(child_id=child_id, start=group.start, route=_route_for(first.provider),
                               source=PlacementSource.RETURN, **values)
            new_placements.append(target)
            recorded.by_child.setdefault(group.child, []).append(target)
        else:
            changed = [k for k, v in values.items() if getattr(target, k) != v]
            if changed:
                for k in changed:
                    setattr(target, k, values[k])
                if id(target) not in changed_ids:
                    changed_ids.add(id(target))
                    changed_placements.append(target)
            elif id(target) not in changed_ids:
                summary.unchanged += 1
        group_placement[index] = target
    if new_placements:
        bulk_create_with_history(new_placements, Placement, default_user=user, batch_size=CHUNK)
        summary.created = len(new_placements)
        # bulk_create_with_history does not always set pks (SQLite): read them back
        unsaved = {(p.child_id, p.start): p for p in new_placements if p.pk is None}
        if unsaved:
            for chunk in _chunks(child_ids.values()):
                for p in Placement.objects.filter(child_id__in=chunk, source=PlacementSource.RETURN).only(
                        "id", "child_id", "start"):
                    if (p.child_id, p.start) in unsaved and p.pk not in match.matched:
                        unsaved[(p.child_id, p.start)].pk = p.pk
    if changed_placements:
        bulk_update_with_history(changed_placements, Placement, PLACEMENT_FIELDS, default_user=user,
                                 batch_size=CHUNK)
        summary.updated = len(changed_placements)
    return group_placement


def _episodes_save(groups: list[rules.PlacementGroup], group_placement: dict[int, Placement],
                   child_ids: dict[str, int], codes: Codes, user, summary: Import903Summary):
    """Create and update the episodes, matched by (child id, start). Returns (the episodes recorded
    before, the (child id, start) of those in the return)."""
    existing_episodes: dict[tuple[int, date], Episode] = {}
    for chunk in _chunks(child_ids.values()):
        for e in Episode.objects.filter(child_id__in=chunk):
            existing_episodes[(e.child_id, e.start)] = e
    new_episodes, changed_episodes, in_return = [], [], set()
    for index, group in enumerate(groups):
        placement = group_placement[index]
        for row in group.episodes:
            child_id = child_ids[row.child]
            in_return.add((child_id, row.start))
            values = {"placement_id": placement.pk, "end": row.end, "legal_status_id": codes.legal[row.legal_status].pk,
                      "reason_new_episode_id": codes.rne[row.rne].pk,
                      "reason_ended_id": _pk(codes.rec.get(row.reason_ended))}
            episode = existing_episodes.get((child_id, row.start))
            if episode is None:
                new_episodes.append(Episode(child_id=child_id, start=row.start, **values))
            elif any(getattr(episode, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(episode, k, v)
                changed_episodes.append(episode)
    if new_episodes:
        bulk_create_with_history(new_episodes, Episode, default_user=user, batch_size=CHUNK)
    if changed_episodes:
        bulk_update_with_history(changed_episodes, Episode,
                                 ["placement", "end", "legal_status", "reason_new_episode", "reason_ended"],
                                 default_user=user, batch_size=CHUNK)
    summary.episodes_created, summary.episodes_updated = len(new_episodes), len(changed_episodes)
    return existing_episodes, in_return


def _removed_save(existing_episodes: dict[tuple[int, date], Episode], in_return: set[tuple[int, date]],
                  covers_from: dict[str, date], child_ids: dict[str, int], kept_ids: set[int],
                  to_remove: list[tuple[str, Placement]], place_codes: dict[int, str],
                  summary: Import903Summary) -> None:
    """Remove what the return no longer has: episodes first (those on kept placements entered in the
    app stay), then the placements, which by now have no episodes left."""
    covers_by_id = {child_ids[ref]: day for ref, day in covers_from.items()}
    stale = [e.pk for key, e in existing_episodes.items()
             if key[0] in covers_by_id and key not in in_return and e.start >= covers_by_id[key[0]]
             and e.placement_id not in kept_ids]
    for chunk in _chunks(stale):
        Episode.objects.filter(pk__in=chunk).delete()  # one history record each (post_delete)
    summary.episodes_removed = len(stale)
    for ref, p in to_remove[:LISTED]:
        summary.removed_placements.append(_label(p, ref, place_codes))
    for chunk in _chunks([p.pk for _, p in to_remove]):
        Placement.objects.filter(pk__in=chunk).delete()
    summary.removed = len(to_remove)


def _notes(summary: Import903Summary) -> list[str]:
    notes = [
        f"Children: {summary.children_created} new, {summary.children_updated} changed.",
        f"Episodes: {summary.episodes_created} new, {summary.episodes_updated} changed, "
        f"{summary.episodes_removed} removed.",
    ]
    if summary.districts_unknown:
        listed = summary.districts_unknown
        notes.append(f"Postcode districts not in the district list, kept with the distance unknown: "
                      f"{', '.join(listed[:LISTED])}" + (" and more." if len(listed) > LISTED else "."))
    if summary.removed:
        notes.append(f"Placements no longer in the return, removed: {'; '.join(summary.removed_placements)}"
                     + (" and more." if summary.removed > LISTED else "."))
    if summary.kept:
        notes.append(
            f"Placements entered in the app that this return does not include, kept: "
            f"{'; '.join(summary.kept_placements)}" + (" and more." if summary.kept > LISTED else "."))
    if summary.sex_read:
        notes.append(summary.sex_read)
    return notes


def _write(checked: Checked903, codes: Codes, user, *, skip: bool) -> Import903Summary:
    """Save a checked return (less its children with problems, when skipping them): work out what it
    changes (refusing a removal that would lose an IPA, cost lines or panel reviews), then save
    children, placements and episodes, then remove what the return no longer has."""
    summary = Import903Summary()
    bad = checked.bad_children if skip else set()
    children = {ref: row for ref, row in checked.children.items() if ref not in bad}
    groups = [g for g in checked.groups if g.child not in bad]
    place_codes = {c.pk: code for code, c in codes.place.items()}
    recorded = _recorded_load(children)
    covers_from = _covers_from(children, groups, checked.collection_year)
    match = _placements_match(groups, recorded, covers_from, codes)
    to_remove, kept = _placements_not_in_return(covers_from, recorded, match.matched)
    errors = _protected_removal_errors(to_remove, children, place_codes)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    summary.kept = len(kept)
    summary.kept_placements = [_label(p, ref, place_codes) for ref, p in kept[:LISTED]]

    child_ids = _children_save(children, recorded.children, user, summary)
    group_placement = _placements_save(groups, match, recorded, child_ids, {p.pk for _, p in to_remove}, codes,
                                       user, summary)
    existing_episodes, in_return = _episodes_save(groups, group_placement, child_ids, codes, user, summary)
    _removed_save(existing_episodes, in_return, covers_from, child_ids, {p.pk for _, p in kept}, to_remove,
                  place_codes, summary)
    summary.sex_read = checked.sex_read
    summary.notes = _notes(summary)
    return summary


def load_postcode_districts(table: Table, *, user) -> ImportSummary:
    """Postcode-district centroids from a CSV the council supplies: district, latitude, longitude[, local_authority]."""
    errors = check_columns(table, required=["district", "latitude", "longitude"], optional=["local_authority"])
    if errors:
        raise ImportFailed(errors)
    rows = {}
    for number, cells in table.rows:
        r = RowReader(number, cells, errors)
        code = r.text("district", required=True)
        try:
            code = rules.postcode_district(code) if code else ""
        except ValueError as exc:
            r.error("district", str(exc))
        lat = r.decimal("latitude", required=True)
        lon = r.decimal("longitude", required=True)
        if lat is not None and not (49 <= lat <= 61):
            r.error("latitude", "must be between 49 and 61 (the UK)")
        if lon is not None and not (-9 <= lon <= 2):
            r.error("longitude", "must be between -9 and 2 (the UK)")
        if code in rows:
            r.error("district", f"'{code}' is repeated")
        rows[code] = (lat, lon, r.text("local_authority", max_length=100))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    summary = ImportSummary()
    with transaction.atomic():
        existing = {d.code: d for d in PostcodeDistrict.objects.filter(code__in=list(rows))}
        changed = []
        for code, (lat, lon, authority) in rows.items():
            lat, lon = lat.quantize(rules.Decimal("0.00001")), lon.quantize(rules.Decimal("0.00001"))
            district = existing.get(code)
            if district is None:
                district = PostcodeDistrict(code=code, latitude=lat, longitude=lon, local_authority=authority)
                summary.created += 1
            elif (district.latitude, district.longitude, district.local_authority) != (lat, lon, authority):
                district.latitude, district.longitude, district.local_authority = lat, lon, authority
                summary.updated += 1
            else:
                summary.unchanged += 1
                continue
            district._history_user = user
            district.save()
            changed.append(code)
        if changed:
            from .services import placement_distances_refresh

            refreshed = placement_distances_refresh(districts=changed)
            summary.notes.append(f"Distances worked out again for {refreshed} placement(s).")
    return summary
