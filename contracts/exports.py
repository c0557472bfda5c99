"""Files that leave the system: the register as CSV/XLSX, the Transparency Code register, and OCDS.

All built from the selectors' querysets (one query for the rows), so what is published matches
what the register shows.
"""

import csv
import hashlib
import io
import json
import logging
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.formatting import spreadsheet_safe
from core.people import person_label

from . import dates
from .models import (
    Contract,
    ContractStatus,
    PlanStatus,
    ProcurementPlanItem,
    Provider,
    ProviderKind,
    ServiceArea,
    ShownStatus,
)

logger = logging.getLogger(__name__)

REGISTER_COLUMNS = [
    ("Reference", lambda c, a: c.reference),
    ("Title", lambda c, a: c.title),
    ("Provider", lambda c, a: c.provider.name),
    ("Service area", lambda c, a: c.service_area.label),
    ("Type", lambda c, a: c.get_contract_type_display()),
    ("Procurement route", lambda c, a: c.get_procurement_route_display()),
    ("Status", lambda c, a: dict(ShownStatus.choices).get(c.effective_status, c.effective_status)),
    ("Risk", lambda c, a: c.get_risk_display()),
    ("Start", lambda c, a: c.start_date),
    ("Original end", lambda c, a: c.end_date),
    ("Extension options (months)", lambda c, a: c.extension_options),
    ("Extensions used", lambda c, a: c.extensions_used),
    ("Current end", lambda c, a: c.current_end),
    ("Final possible end", lambda c, a: c.final_end),
    ("Days to current end", lambda c, a: dates.days_to(c.current_end, a)),
    ("Decision due", lambda c, a: c.decision_due_on),
    ("Decision", lambda c, a: c.get_decision_display() if c.decision_recorded else ""),
    ("Next review due", lambda c, a: c.next_review_due),
    ("Annual value", lambda c, a: c.annual_value),
    ("Whole-life value", lambda c, a: c.total_value),
    ("Savings", lambda c, a: c.savings),
    ("Funding", lambda c, a: c.get_funding_source_display()),
    ("Contract manager", lambda c, a: person_label(c.contract_manager, c.manager_name)),
    ("Manager has an account", lambda c, a: "Yes" if c.contract_manager_id else "No"),
]


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def register_rows(queryset, *, as_of):
    for contract in queryset.iterator(chunk_size=500):
        yield [getter(contract, as_of) for _, getter in REGISTER_COLUMNS]


def to_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(_cell(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(header, rows, *, title="Contracts") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else spreadsheet_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_csv(queryset, *, as_of) -> bytes:
    return to_csv([name for name, _ in REGISTER_COLUMNS], register_rows(queryset, as_of=as_of))


def register_xlsx(queryset, *, as_of) -> bytes:
    return to_xlsx([name for name, _ in REGISTER_COLUMNS], register_rows(queryset, as_of=as_of))


# --- Local Government Transparency Code 2015 -------------------------------------------------

TRANSPARENCY_HEADER = [
    "Reference", "Title", "Description", "Record type", "Department", "Service area", "Supplier name",
    "Companies House number", "Charity number", "SME", "Voluntary or community sector",
    "Start date", "End date", "Review date", "Tender start date", "Award date", "Extension options (months)",
    "Latest possible end date",
    "Value over the life of the contract", "Estimated annual value", "Irrecoverable VAT",
    "Procurement route", "Result of an invitation to tender",
]
TENDERED_ROUTES = {"open", "restricted", "competitive_with_negotiation", "competitive_dialogue"}


def transparency_queryset(*, as_of: date):
    """Every agreement with an external body over the threshold (whatever its type: an SLA with a
    voluntary body is published like a block contract) that is current on `as_of` or awarded to start
    later. Only in-house arrangements, with the council's own services, stay out. A contract whose
    current end has passed is not current, even if still recorded as live."""
    threshold = Decimal(getattr(settings, "CONTRACT_TRANSPARENCY_THRESHOLD", 5000))
    return (
        Contract.objects.with_status(as_of)
        .filter(total_value__gt=threshold)
        .exclude(provider__kind=ProviderKind.IN_HOUSE)
        .filter(Q(effective_status=ContractStatus.LIVE) | Q(effective_status=ContractStatus.NOT_STARTED))
        .filter(current_end__gte=as_of)
        .select_related("provider", "service_area")
        .order_by("reference")
    )


def transparency_rows(*, as_of: date):
    department = getattr(settings, "CONTRACT_DEPARTMENT", "Children's Services")
    for c in transparency_queryset(as_of=as_of).iterator(chunk_size=500):
        p = c.provider
        yield [
            c.reference, c.title, c.description, c.get_contract_type_display(), department,
            c.service_area.label, p.name, p.companies_house_number, p.charity_number,
            "Yes" if p.is_sme else "No", "Yes" if p.is_vcse else "No",
            c.start_date, c.current_end, c.next_review_due, "", c.awarded_on or "", c.extension_options, c.final_end,
            c.total_value, c.annual_value, c.irrecoverable_vat, c.get_procurement_route_display(),
            "Yes" if c.procurement_route in TENDERED_ROUTES else "No",
        ]
    threshold = Decimal(getattr(settings, "CONTRACT_TRANSPARENCY_THRESHOLD", 5000))
    tenders = ProcurementPlanItem.objects.filter(
        status=PlanStatus.IN_PROGRESS, estimated_value__gt=threshold, planned_start__lte=as_of
    ).select_related("service_area").order_by("planned_award", "pk")
    for t in tenders:
        # A tender carries the pipeline's own dates: when the procurement started, the planned award and
        # (when planned) the contract's start. Its end and review dates belong to the contract it becomes.
        yield [
            f"ITT-{t.pk:05d}", t.title, t.description, "Invitation to tender", department,
            t.service_area.label, "", "", "", "", "", t.planned_contract_start or "", "", "", t.planned_start,
            t.planned_award, "", "", t.estimated_value, "", "",
            t.get_procurement_route_display() if t.procurement_route else "", "Yes",
        ]


def transparency_csv(*, as_of: date) -> bytes:
    return to_csv(TRANSPARENCY_HEADER, transparency_rows(as_of=as_of))


# --- Open Contracting Data Standard 1.1 ------------------------------------------------------

OCDS_METHOD = {
    "open": "open", "restricted": "selective", "competitive_with_negotiation": "selective",
    "competitive_dialogue": "selective", "framework": "selective", "direct_award": "direct", "spot": "direct",
    "grant": "direct",
}
OCDS_STATUS = {
    ContractStatus.NOT_STARTED: "pending", ContractStatus.LIVE: "active",
    ContractStatus.EXPIRED: "terminated", ContractStatus.TERMINATED: "terminated",
    # Past its end by the dates: OCDS's "has now come to a close", whatever was (not) decided.
    ShownStatus.ENDED_NO_DECISION: "terminated",
}
SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
# parties[].details.scale (sme / large) comes from this extension, so the package declares it.
PARTY_SCALE_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyScale_extension/v1.1.5/extension.json"
)


def ocds_buyer() -> dict:
    """The council as buyer, identified from the settings (OCDS_BUYER_SCHEME, OCDS_BUYER_ID).

    Without an identifier the party id is the council's name as a slug: unique within the release, as
    OCDS asks, and never mistaken for a registered identifier (`check --deploy` warns until one is set)."""
    name = getattr(settings, "AUTHORITY_NAME", "Example Borough Council")
    scheme, identifier = settings.OCDS_BUYER_SCHEME, settings.OCDS_BUYER_ID
    if not identifier:
        return {"id": slugify(name) or "buyer", "name": name, "roles": ["buyer"]}
    return {"id": f"{scheme}-{identifier}", "name": name, "roles": ["buyer"],
            "identifier": {"scheme": scheme, "id": identifier, "legalName": name}}


def _release_status(contract: Contract, as_of: date) -> tuple[str, str]:
    """(award status, contract status) that agree with each other and with the codelists.

    A contract brought to an end before it ever started was never in force: OCDS calls that a
    cancelled contract, and its award cancelled too. A contract that ran (to its end or ended early)
    is terminated; its award was made and stays active.
    """
    status = contract.effective_status
    if status == ContractStatus.TERMINATED and contract.start_date > as_of:
        return "cancelled", "cancelled"
    return "active", OCDS_STATUS.get(status, "active")


def _dt(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _ocid_part(reference: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)


def ocds_release(contract: Contract, *, as_of: date, buyer: dict, published: datetime | None = None) -> dict:
    prefix = getattr(settings, "CONTRACT_OCID_PREFIX", "ocds-xxxxxx")
    ocid = f"{prefix}-{_ocid_part(contract.reference)}"
    p = contract.provider
    supplier_id = f"GB-COH-{p.companies_house_number}" if p.companies_house_number else (
        f"GB-CHC-{p.charity_number}" if p.charity_number else f"provider-{p.pk}")
    supplier = {"id": supplier_id, "name": p.name, "roles": ["supplier"],
                "details": {"scale": "sme" if p.is_sme else "large"}}
    if p.companies_house_number:
        supplier["identifier"] = {"scheme": "GB-COH", "id": p.companies_house_number, "legalName": p.name}
    elif p.charity_number:
        supplier["identifier"] = {"scheme": "GB-CHC", "id": p.charity_number, "legalName": p.name}
    value = {"amount": float(contract.total_value), "currency": "GBP"}
    award_id = f"{ocid}-award"
    award_status, status = _release_status(contract, as_of)
    award_date = {"date": _dt(contract.awarded_on)} if contract.awarded_on else {}
    date_signed = {"dateSigned": _dt(contract.signed_on)} if contract.signed_on else {}
    # A release is dated no later than the package that publishes it: a contract edited after the
    # as-of date is published as it was known then.
    updated = contract.updated_at.astimezone(UTC)
    if published is not None and updated > published:
        updated = published
    release_date = updated.isoformat().replace("+00:00", "Z")
    tags = ["tender", "award", "contract"]  # the release carries all three sections
    if status == "terminated":
        tags.append("contractTermination")
    # Only what the contract records: an empty description or an unknown date is left out, not published blank.
    described = {"description": contract.description} if contract.description.strip() else {}
    return {
        "ocid": ocid,
        "id": f"{ocid}-{updated:%Y%m%d%H%M%S}",
        "date": release_date,
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [buyer, supplier],
        "tender": {
            "id": f"{ocid}-tender",
            "title": contract.title,
            **described,
            "procurementMethod": OCDS_METHOD.get(contract.procurement_route, "direct"),
            "procurementMethodDetails": contract.get_procurement_route_display(),
            "mainProcurementCategory": "services",
            "status": "complete",
        },
        "awards": [{
            "id": award_id,
            "title": contract.title,
            "status": award_status,
            **award_date,
            "suppliers": [{"id": supplier_id, "name": p.name}],
            "value": value,
            "contractPeriod": {"startDate": _dt(contract.start_date), "endDate": _dt(contract.current_end)},
        }],
        "contracts": [{
            "id": contract.reference,
            "awardID": award_id,
            "title": contract.title,
            **described,
            "status": status,
            **date_signed,
            "period": {
                "startDate": _dt(contract.start_date),
                "endDate": _dt(contract.current_end),
                "maxExtentDate": _dt(contract.final_end),
            },
            "value": value,
        }],
    }


def ocds_package_uri(*, as_of: date) -> str:
    """Where this package can be fetched again, on the site's own address (SITE_URL): the public address when
    it is on (OPEN_DATA_PUBLIC), else the download behind the sign-in."""
    name = "contracts:public_ocds" if settings.OPEN_DATA_PUBLIC else "contracts:ocds"
    return f"{settings.SITE_URL}{reverse(name)}?as_of={as_of.isoformat()}"


def ocds_package(*, as_of: date, queryset=None) -> dict:
    authority = getattr(settings, "AUTHORITY_NAME", "Example Borough Council")
    buyer = ocds_buyer()
    if queryset is None:
        # Every agreement with an external body, whatever its type; only in-house arrangements stay out.
        queryset = (
            Contract.objects.with_status(as_of).select_related("provider", "service_area")
            .exclude(provider__kind=ProviderKind.IN_HOUSE).order_by("reference")
        )
    # Published as of now, or as of the end of an earlier day asked for.
    published = min(timezone.now().astimezone(UTC), datetime.combine(as_of, time.max, tzinfo=UTC)).replace(
        microsecond=0)
    releases = [ocds_release(c, as_of=as_of, buyer=buyer, published=published)
                for c in queryset.iterator(chunk_size=500)]
    package = {
        "uri": ocds_package_uri(as_of=as_of),
        "version": "1.1",
        "extensions": [PARTY_SCALE_EXTENSION],
        "publishedDate": published.isoformat().replace("+00:00", "Z"),
        "publisher": {"name": authority},
        "license": settings.OCDS_LICENSE_URL,
        "publicationPolicy": settings.OCDS_PUBLICATION_POLICY_URL,
        "releases": releases,
    }
    return {key: value for key, value in package.items() if value != ""}


def ocds_json(*, as_of: date) -> bytes:
    return json.dumps(ocds_package(as_of=as_of), indent=2).encode()


# --- The public address ----------------------------------------------------------------------------------

OPEN_DATA_FILES = {"transparency": transparency_csv, "ocds": ocds_json}
OPEN_DATA_CACHE_SECONDS = 3600
# What the files are built from: saving or deleting any of these writes a history row, which moves the key.
_SOURCES = (Contract, Provider, ProcurementPlanItem, ServiceArea)
_SETTINGS = ("AUTHORITY_NAME", "SITE_URL", "OPEN_DATA_PUBLIC", "CONTRACT_TRANSPARENCY_THRESHOLD",
             "CONTRACT_DEPARTMENT", "CONTRACT_OCID_PREFIX", "OCDS_BUYER_SCHEME", "OCDS_BUYER_ID", "OCDS_LICENSE_URL",
             "OCDS_PUBLICATION_POLICY_URL")


def _open_data_key(kind: str, as_of: date) -> str:
    version = [model.history.aggregate(last=Max("history_id"))["last"] for model in _SOURCES]
    configured = [getattr(settings, name, None) for name in _SETTINGS]
    digest = hashlib.sha256(repr((kind, as_of.isoformat(), version, configured)).encode()).hexdigest()
    return f"contracts:open-data:{digest}"


def open_data_file(kind: str, *, as_of: date) -> bytes:
    """The Transparency Code register ("transparency") or the OCDS package ("ocds") for the public address,
    from the cache while nothing it is built from has changed (for at most OPEN_DATA_CACHE_SECONDS, since
    derived dates are recomputed without history). A cache that cannot be reached is passed by: the file
    is built as the signed-in download builds it, never an error page."""
    build = OPEN_DATA_FILES[kind]
    key = _open_data_key(kind, as_of)
    try:
        found = cache.get(key)
    except Exception as exc:  # each cache backend raises its own errors (Redis: ConnectionError...)
        logger.warning("Open data cache not read (%s: %s); building the %s file", type(exc).__name__, exc, kind)
        return build(as_of=as_of)
    if found is not None:
        return found
    data = build(as_of=as_of)
    try:
        cache.set(key, data, OPEN_DATA_CACHE_SECONDS)
    except Exception as exc:  # as above: the file is served all the same
        logger.warning("Open data cache not written (%s: %s)", type(exc).__name__, exc)
    return data


def validate_ocds_package(package: dict) -> list[str]:
    """Errors from checking the package against the OCDS 1.1.5 schemas held in ocds_schema/ (offline)."""
    import jsonschema
    from referencing import Registry, Resource

    release_schema = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    package_schema = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    registry = Registry().with_resources([
        (release_schema["id"], Resource.from_contents(release_schema, default_specification=_draft4())),
    ])
    validator = jsonschema.Draft4Validator(package_schema, registry=registry,
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]


def _draft4():
    from referencing.jsonschema import DRAFT4

    return DRAFT4
