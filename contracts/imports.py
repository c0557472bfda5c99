"""`import_contracts`: the contracts register from a spreadsheet, all or nothing, idempotent by reference.

Used by the upload page and `manage.py import_contracts`. Providers are matched by name (ignoring
case) or created; contract managers are matched by username or email address.
"""

from django.core.exceptions import ValidationError
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

from . import dates, services
from .models import (
    Contract,
    ContractStatus,
    ContractType,
    ProcurementRoute,
    Provider,
    ProviderKind,
    Risk,
    ServiceArea,
    award_and_signature_errors,
    normalise_charity_number,
    normalise_companies_house_number,
)

IMPORT_COLUMNS = [
    "reference", "title", "provider", "provider_kind", "service_area", "contract_type", "procurement_route",
    "start_date", "end_date", "extension_options", "extensions_used", "annual_value", "total_value", "risk",
    "manager",
]
IMPORT_OPTIONAL_COLUMNS = [
    "companies_house_number", "charity_number", "status", "description", "irrecoverable_vat", "award_date",
    "date_signed",
]
# Optional columns kept on the contract: set from the file only when it has the column, so a register
# without them leaves what was entered on the contract pages alone. A blank irrecoverable_vat is "not known".
OPTIONAL_FIELDS = {"description": "description", "irrecoverable_vat": "irrecoverable_vat",
                   "award_date": "awarded_on", "date_signed": "signed_on"}
COMPARED = [
    "title", "service_area_id", "contract_type", "procurement_route", "start_date", "end_date", "extension_options",
    "extensions_used", "annual_value", "total_value", "risk", "contract_manager_id", "manager_name", "status",
    *OPTIONAL_FIELDS.values(),
]


def _registration_number(r: RowReader, column: str, normalise) -> str:
    """The same format rule and message as the provider pages (contracts.models.normalise_*)."""
    try:
        return normalise(r.cells.get(column, ""))
    except ValueError as exc:
        r.error(column, str(exc))
        return ""


def _validate(table, areas: ReferenceMatcher):
    errors = check_columns(table, required=IMPORT_COLUMNS, optional=IMPORT_OPTIONAL_COLUMNS)
    if errors:
        return [], errors
    users = UserMatcher()
    seen = {}
    items = []
    today = timezone.localdate()
    optional = [column for column in OPTIONAL_FIELDS if column in table.header]
    for number, cells in table.rows:
        r = RowReader(number, cells, errors)
        reference = r.text("reference", required=True, max_length=50)
        item = {
            "row": number,
            "reference": reference,
            "title": r.text("title", required=True, max_length=250),
            "provider": r.text("provider", required=True, max_length=200),
            "provider_kind": r.choice("provider_kind", ProviderKind.choices) or ProviderKind.PRIVATE,
            "service_area_id": _service_area(r, areas),
            "contract_type": r.choice("contract_type", ContractType.choices, required=True),
            "procurement_route": r.choice("procurement_route", ProcurementRoute.choices, required=True),
            "start_date": r.date("start_date", required=True),
            "end_date": r.date("end_date", required=True),
            "extensions_used": r.integer("extensions_used", minimum=0) or 0,
            "annual_value": r.decimal("annual_value", required=True, minimum=0),
            "total_value": r.decimal("total_value", required=True, minimum=0),
            "risk": r.choice("risk", Risk.choices, required=True),
            "companies_house_number": _registration_number(r, "companies_house_number",
                                                           normalise_companies_house_number),
            "charity_number": _registration_number(r, "charity_number", normalise_charity_number),
            "status": (r.choice("status", ContractStatus.choices) or "") if cells.get("status") else "",
        }
        item["optional"] = _optional_values(r, optional)
        for field, message in award_and_signature_errors(
            item["optional"].get("awarded_on"), item["optional"].get("signed_on"), today=today
        ).items():
            r.error("award_date" if field == "awarded_on" else "date_signed", message[0].lower() + message[1:])
        options_text = cells.get("extension_options", "").replace(" ", "")
        try:
            options = dates.parse_extension_options(options_text)
        except ValueError as exc:
            r.error("extension_options", str(exc))
            options = ()
        item["extension_options"] = options_text
        if item["extensions_used"] > len(options):
            r.error("extensions_used", f"must be {len(options)} or fewer: there are {len(options)} extension options")
        if item["start_date"] and item["end_date"] and item["end_date"] < item["start_date"]:
            r.error("end_date", "must be the same as or after start_date")
        manager = r.text("manager", max_length=200)
        item["contract_manager"] = users.match(manager)
        item["manager_name"] = "" if item["contract_manager"] else manager
        if reference:
            key = reference.lower()
            if key in seen:
                r.error("reference", f"'{reference}' is repeated (first on row {seen[key]})")
            seen[key] = number
        items.append(item)
    return items, errors


def _optional_values(r: RowReader, columns) -> dict:
    values = {}
    for column in columns:
        if column == "description":
            values["description"] = r.text(column)
        elif column == "irrecoverable_vat":
            values["irrecoverable_vat"] = r.decimal(column, minimum=0)
        else:
            values[OPTIONAL_FIELDS[column]] = r.date(column)
    return values


def _service_area(r: RowReader, areas: ReferenceMatcher):
    text = r.text("service_area", required=True, max_length=100)
    return areas.match(text) if text else None


def _write(items, *, user, areas: ReferenceMatcher):
    summary = ImportSummary()
    if areas.new:
        bulk_create_with_history(
            [ServiceArea(code=code, label=label) for code, label in areas.new.items()], ServiceArea, default_user=user
        )
        summary.add_new("service areas", areas.new.values())
    providers = {p.name.lower(): p for p in Provider.objects.all()}
    new_providers = []
    for item in items:
        key = item["provider"].lower()
        if key not in providers:
            provider = Provider(name=item["provider"], kind=item["provider_kind"],
                                companies_house_number=item["companies_house_number"],
                                charity_number=item["charity_number"])
            providers[key] = provider
            new_providers.append(provider)
    if new_providers:
        bulk_create_with_history(new_providers, Provider, default_user=user)
        providers = {p.name.lower(): p for p in Provider.objects.all()}
        summary.notes.append(f"{len(new_providers)} new provider{'s' if len(new_providers) != 1 else ''} added")
    existing = {c.reference: c for c in Contract.objects.filter(reference__in=[i["reference"] for i in items])}
    to_create, to_update = [], []
    for item in items:
        fields = {k: item[k] for k in (
            "title", "service_area_id", "contract_type", "procurement_route", "start_date", "end_date",
            "extension_options", "extensions_used", "annual_value", "total_value", "risk", "contract_manager",
            "manager_name", "status")}
        fields.update(item["optional"])
        fields["provider"] = providers[item["provider"].lower()]
        contract = existing.get(item["reference"])
        if contract is None:
            contract = Contract(reference=item["reference"], **fields)
            services.contract_refresh_derived(contract=contract)
            to_create.append(contract)
            summary.created_records.append(f"Contract: {contract.reference} {contract.title}")
            continue
        before = {name: getattr(contract, name) for name in [*COMPARED, "provider_id"]}
        for name, value in fields.items():
            setattr(contract, name, value)
        after = {name: getattr(contract, name) for name in [*COMPARED, "provider_id"]}
        if before == after:
            summary.unchanged += 1
            continue
        summary.note_changes(f"Contract {contract.reference}", before, after)
        services.contract_refresh_derived(contract=contract)
        to_update.append(contract)
    if to_create:
        bulk_create_with_history(to_create, Contract, batch_size=500, default_user=user)
    if to_update:
        bulk_update_with_history(
            to_update, Contract, [*COMPARED, "provider", *services.DERIVED_FIELDS], batch_size=500, default_user=user
        )
    summary.created, summary.updated = len(to_create), len(to_update)
    unlinked_note(summary, [i["manager_name"] for i in items], "contract")
    return summary


def import_contracts(table, *, user) -> ImportSummary:
    try:
        areas = ReferenceMatcher(ServiceArea.objects.values_list("code", "label"))
        return run_import(table, validate=lambda t: _validate(t, areas),
                          write=lambda items: _write(items, user=user, areas=areas))
    except ValidationError as exc:  # a rule only the database knows; reported on the file, not as a crash
        from core.imports import ImportFailed

        raise ImportFailed([RowError(0, "; ".join(exc.messages))]) from exc
