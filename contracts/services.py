"""Writes for contracts: every view, form, import, admin action and task goes through these."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import dates
from .models import Contract, ContractReview, ContractStatus, Decision

CONTRACT_FIELDS = [
    "reference", "title", "description", "service_area", "provider", "framework", "contract_type",
    "procurement_route", "start_date", "end_date", "extension_options", "extensions_used", "annual_value",
    "total_value", "funding_source", "risk", "contract_manager", "savings", "social_value", "status",
]


def decision_lead_months() -> int:
    return getattr(settings, "CONTRACT_DECISION_LEAD_MONTHS", dates.DEFAULT_DECISION_LEAD_MONTHS)


def review_intervals() -> dict[str, int]:
    return {
        "high": getattr(settings, "CONTRACT_REVIEW_MONTHS_HIGH", 1),
        "medium": getattr(settings, "CONTRACT_REVIEW_MONTHS_MEDIUM", 3),
        "low": getattr(settings, "CONTRACT_REVIEW_MONTHS_LOW", 12),
    }


def derived_values(*, start_date, end_date, extension_options, extensions_used, risk, last_reviewed_on,
                   lead_months=None, intervals=None) -> dict:
    """The stored derived dates for a contract's plain values (all from contracts.dates)."""
    options = dates.parse_extension_options(extension_options)
    current = dates.current_end(end_date, options, extensions_used)
    return {
        "current_end": current,
        "final_end": dates.final_end(end_date, options),
        "decision_due_on": dates.decision_due_on(current, decision_lead_months() if lead_months is None else lead_months),
        "next_review_due": dates.next_review_due(last_reviewed_on, start_date, risk, intervals or review_intervals()),
    }


def contract_refresh_derived(*, contract: Contract, lead_months=None, intervals=None) -> bool:
    """Set the stored derived dates from the contract's fields. Returns True if any changed. Does not save."""
    values = derived_values(
        start_date=contract.start_date, end_date=contract.end_date, extension_options=contract.extension_options,
        extensions_used=contract.extensions_used, risk=contract.risk, last_reviewed_on=contract.last_reviewed_on,
        lead_months=lead_months, intervals=intervals,
    )
    changed = False
    for name, value in values.items():
        if getattr(contract, name, None) != value:
            setattr(contract, name, value)
            changed = True
    return changed


def _validate_and_derive(contract: Contract):
    # Validate the entered fields first so a malformed extension option gets its own message.
    contract.full_clean(exclude=["current_end", "final_end", "decision_due_on", "next_review_due"])
    contract_refresh_derived(contract=contract)


@transaction.atomic
def contract_create(*, user, **fields) -> Contract:
    contract = Contract(**{k: v for k, v in fields.items() if k in CONTRACT_FIELDS})
    _validate_and_derive(contract)
    contract._history_user = user
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, user, **fields) -> Contract:
    for name, value in fields.items():
        if name not in CONTRACT_FIELDS:
            raise TypeError(f"{name} cannot be set here")
        setattr(contract, name, value)
    _validate_and_derive(contract)
    contract._history_user = user
    contract.save()
    return contract


@transaction.atomic
def contract_record_decision(*, contract: Contract, decision: str, decided_by, decided_on: date, note: str = "") -> Contract:
    """Record what happens at the current end. Extending takes the next extension option at once,
    which moves the current end; the new end then needs its own decision in time."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose what will happen at the end of the contract"})
    if decision == Decision.EXTEND and not dates.extension_available(contract.extension_months, contract.extensions_used):
        raise ValidationError({"decision": "This contract has no extension left: choose re-procure, decommission or let expire"})
    if contract.status in (ContractStatus.TERMINATED, ContractStatus.EXPIRED):
        raise ValidationError({"decision": "This contract has ended: a decision can no longer be recorded"})
    contract.decision = decision
    contract.decision_for_end = contract.current_end
    contract.decision_on = decided_on
    contract.decision_by = decided_by
    contract.decision_note = note
    if decision == Decision.EXTEND:
        contract.extensions_used += 1
    _validate_and_derive(contract)
    contract._history_user = decided_by
    contract.save()
    return contract


@transaction.atomic
def contract_review_record(*, contract: Contract, user, reviewed_on: date, kind: str, rating: str,
                           findings: str = "", actions: str = "") -> ContractReview:
    """Record a review or visit; the next review falls due from the latest review date."""
    review = ContractReview(contract=contract, reviewed_on=reviewed_on, kind=kind, rating=rating,
                            findings=findings, actions=actions, reviewed_by=user)
    review.full_clean()
    review._history_user = user
    review.save()
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.last_reviewed_on is None or reviewed_on > contract.last_reviewed_on:
        contract.last_reviewed_on = reviewed_on
        contract_refresh_derived(contract=contract)
        contract._history_user = user
        contract.save(update_fields=["last_reviewed_on", "next_review_due", "updated_at"])
    return review
