"""Reading Ofsted's provider-level data for children's social care (CSV or XLSX), as published.

Ofsted's files differ by year and by download (the "providers and places" list, the inspections
list), so columns are found by name, whatever their case, spacing, punctuation or order. Each field
below lists the headings it is read from; the first is Ofsted's current one. Social Finance's
sufficiency-data-transform reads the same files with the same headings. Other columns in the file
(sub-judgements, constituency, sector and so on) are left alone.

Judgements are read as Ofsted writes them, in words or as grades 1 to 4.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from contracts.models import OfstedRating, normalise_ofsted_urn
from core.imports import RowError, RowReader, Table

COLUMNS = {
    "urn": ["URN", "Unique reference number"],
    "provider_type": ["Provider type", "Provision type", "Setting type"],
    "setting_name": ["Setting name", "Provision name", "Home name"],
    "provider_name": ["Provider name", "Organisation name", "Registered provider"],
    "local_authority": ["Local authority", "Local authority name", "LA"],
    "region": ["Region", "Ofsted region"],
    "registration_status": ["Registration status", "Provider status"],
    "places": ["Places", "Number of places", "Maximum users", "Max users"],
    "inspected_on": ["Inspection date", "Latest full inspection date", "Date of latest full inspection",
                     "Latest inspection date"],
    "published_on": ["Inspection publication date", "Publication date", "Latest full inspection publication date"],
    "judgement": ["Overall experiences and progress of children and young people", "Overall effectiveness",
                  "Overall judgement", "Latest full inspection overall effectiveness"],
    "owner_name": ["Organisation which owns the provider", "Owner name", "Owning organisation"],
}
REQUIRED = ["urn"]

JUDGEMENT_WORDS = {
    "1": OfstedRating.OUTSTANDING,
    "outstanding": OfstedRating.OUTSTANDING,
    "2": OfstedRating.GOOD,
    "good": OfstedRating.GOOD,
    "3": OfstedRating.REQUIRES_IMPROVEMENT,
    "requires improvement": OfstedRating.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": OfstedRating.REQUIRES_IMPROVEMENT,
    "4": OfstedRating.INADEQUATE,
    "inadequate": OfstedRating.INADEQUATE,
}
# Ofsted's words for "no judgement to record".
NO_JUDGEMENT = ("", "-", "n/a", "na", "not yet inspected", "not inspected", "not provided", "none")


def heading_key(text: str) -> str:
    """'Organisation which owns the provider', 'organisation_which_owns_the_provider' and
    'ORGANISATION WHICH OWNS THE PROVIDER ' are one heading."""
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


ALIASES = {heading_key(alias): field for field, names in COLUMNS.items() for alias in names}


def parse_judgement(text: str) -> str:
    """A judgement in words or grade 1-4 -> OfstedRating value; '' for no judgement. ValueError otherwise."""
    key = heading_key(text)
    if key.endswith(" 0") or key.endswith(".0"):
        key = key[:-2]
    if key in JUDGEMENT_WORDS:
        return JUDGEMENT_WORDS[key]
    if key in NO_JUDGEMENT or key.startswith("not provided") or key.startswith("not yet"):
        return ""
    raise ValueError(
        f"'{text}' is not an Ofsted judgement: use Outstanding, Good, Requires improvement to be good, "
        "Inadequate, or a grade 1 to 4"
    )


@dataclass
class SettingRow:
    row: int
    urn: str
    setting_name: str = ""
    provider_name: str = ""
    provider_type: str = ""
    local_authority: str = ""
    region: str = ""
    registration_status: str = ""
    places: int | None = None
    inspected_on: date | None = None
    published_on: date | None = None
    judgement: str = ""
    owner_name: str = ""
    has_status: bool = False


def map_columns(header: list[str]) -> tuple[dict[str, str], list[RowError]]:
    """{field: the file's column} for every column we read, with errors for a missing URN or a field
    given twice under different headings."""
    found: dict[str, str] = {}
    errors = []
    for column in header:
        field = ALIASES.get(heading_key(column))
        if field is None:
            continue
        if field in found:
            errors.append(RowError(1, f"Columns '{found[field]}' and '{column}' both give the {field.replace('_', ' ')}"
                                      ": keep one."))
            continue
        found[field] = column
    for field in REQUIRED:
        if field not in found:
            errors.append(RowError(1, f"No column gives the {COLUMNS[field][0]}: the file needs a column headed "
                                      f"'{COLUMNS[field][0]}'."))
    return found, errors


def read_rows(table: Table) -> tuple[list[SettingRow], list[RowError]]:
    """Every row checked; the rows are only worth using when there are no errors."""
    columns, errors = map_columns(table.header)
    if errors:
        return [], errors
    today = timezone.localdate()
    seen: dict[str, int] = {}
    rows = []
    for number, raw in table.rows:
        cells = {field: raw.get(column, "") for field, column in columns.items()}
        r = RowReader(number, cells, errors)
        item = SettingRow(row=number, urn="")
        try:
            item.urn = normalise_ofsted_urn(cells.get("urn", ""))
        except ValueError as exc:
            r.error(columns["urn"], str(exc))
        if not item.urn and not any(e.row == number for e in errors):
            r.error(columns["urn"], "is required")
        for field in ("setting_name", "provider_name", "provider_type", "local_authority", "region",
                      "registration_status", "owner_name"):
            value = cells.get(field, "").strip()
            limit = 60 if field == "registration_status" else 120 if field in (
                "provider_type", "local_authority", "region") else 250
            if len(value) > limit:
                r.error(columns[field], f"is longer than {limit} characters")
                value = ""
            setattr(item, field, value)
        item.has_status = "registration_status" in columns
        before = len(errors)
        item.places = r.integer("places", minimum=0) if "places" in columns else None
        item.inspected_on = r.date("inspected_on") if "inspected_on" in columns else None
        item.published_on = r.date("published_on") if "published_on" in columns else None
        try:
            item.judgement = parse_judgement(cells.get("judgement", ""))
        except ValueError as exc:
            r.error("judgement", str(exc))
        # RowReader names fields; the person reading the errors knows the file's headings.
        for index in range(before, len(errors)):
            e = errors[index]
            errors[index] = RowError(e.row, e.message, columns.get(e.column, e.column))
        if item.inspected_on and item.inspected_on > today:
            r.error(columns["inspected_on"], "is in the future: an inspection date must be today or earlier")
        if item.judgement and not item.inspected_on:
            r.error(columns.get("inspected_on", "Inspection date"),
                    "is needed with a judgement: a judgement is kept against the date of its inspection")
        if item.published_on and item.inspected_on and item.published_on < item.inspected_on:
            r.error(columns["published_on"], "is before the inspection date")
        if item.urn:
            if item.urn in seen:
                r.error(columns["urn"], f"{item.urn} is repeated (first on row {seen[item.urn]}): one row a setting")
            else:
                seen[item.urn] = number
        rows.append(item)
    return rows, errors
