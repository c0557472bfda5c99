"""Writes for contracts: every view, form, import, admin action and task goes through these."""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string

from core.services import audited_save, model_assign, model_update

from . import dates
from .models import (
    PROVIDER_NAME_TAKEN,
    AlertKind,
    AlertSent,
    Contract,
    ContractReview,
    ContractStatus,
    Decision,
    Framework,
    FrameworkMembership,
    ProcurementPlanItem,
    Provider,
    url_maker,
)

logger = logging.getLogger(__name__)

CONTRACT_FIELDS = [
    "reference", "title", "description", "service_area", "provider", "framework", "contract_type",
    "procurement_route", "start_date", "end_date", "extension_options", "extensions_used", "annual_value",
    "total_value", "irrecoverable_vat", "awarded_on", "signed_on", "funding_source", "risk", "contract_manager",
    "manager_name", "savings",
    "social_value", "status",
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
        "decision_due_on": dates.decision_due_on(
            current, decision_lead_months() if lead_months is None else lead_months
        ),
        "next_review_due": dates.next_review_due(
            last_reviewed_on, start_date, risk, intervals or review_intervals(), current_end_date=current
        ),
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


def _set_links(contract, indicators, outcomes):
    if indicators is not None:
        contract.indicators.set(indicators)
    if outcomes is not None:
        contract.outcomes.set(outcomes)


@transaction.atomic
def contract_create(*, user, indicators=None, outcomes=None, **fields) -> Contract:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"{', '.join(sorted(unknown))} cannot be set here")
    contract = Contract(**fields)
    _validate_and_derive(contract)
    contract._history_user = user
    contract.save()
    _set_links(contract, indicators, outcomes)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, user, indicators=None, outcomes=None, **fields) -> Contract:
    for name, value in fields.items():
        if name not in CONTRACT_FIELDS:
            raise TypeError(f"{name} cannot be set here")
        setattr(contract, name, value)
    _validate_and_derive(contract)
    contract._history_user = user
    contract.save()
    _set_links(contract, indicators, outcomes)
    return contract


@transaction.atomic
def contract_record_decision(
    *, contract: Contract, decision: str, decided_by, decided_on: date, note: str = ""
) -> Contract:
    """Record what happens at the current end. Extending takes the next extension option at once,
    which moves the current end; the new end then needs its own decision in time."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose what will happen at the end of the contract"})
    if decision == Decision.EXTEND and not dates.extension_available(
        contract.extension_months, contract.extensions_used
    ):
        raise ValidationError(
            {"decision": "This contract has no extension left: choose re-procure, decommission or let expire"}
        )
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
    audited_save(review, user=user)
    contract_reviews_apply(contract=contract, user=user)
    return review


@transaction.atomic
def contract_reviews_apply(*, contract: Contract, user) -> Contract:
    """Set the last review date from the latest review held, and the next review due from it. Called
    after any review is recorded, changed or deleted (the service above, the admin)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    latest = contract.reviews.aggregate(latest=Max("reviewed_on"))["latest"]
    if latest != contract.last_reviewed_on:
        contract.last_reviewed_on = latest
        contract_refresh_derived(contract=contract)
        contract._history_user = user
        contract.save(update_fields=["last_reviewed_on", "next_review_due", "updated_at"])
    return contract


# --- providers -----------------------------------------------------------------------------

PROVIDER_FIELDS = [
    "name", "kind", "companies_house_number", "charity_number", "ofsted_urn", "ofsted_rating",
    "ofsted_inspected_on", "is_sme", "is_vcse", "status", "locality",
]


def _save_provider(provider: Provider, user) -> Provider:
    # full_clean normalises the registration numbers and checks the name is not taken; the savepoint
    # turns a name taken meanwhile by someone else into a message, not a broken transaction.
    try:
        with transaction.atomic():
            return audited_save(provider, user=user)
    except IntegrityError as exc:
        same = Provider.objects.filter(name__iexact=provider.name).exclude(pk=provider.pk).first()
        if same is None:
            raise
        raise ValidationError({"name": PROVIDER_NAME_TAKEN.format(name=same.name)}) from exc


@transaction.atomic
def provider_create(*, user, **fields) -> Provider:
    """Add a provider to the register (the import adds the ones it meets by name)."""
    provider = Provider()
    model_assign(provider, fields=fields, allowed=PROVIDER_FIELDS)
    return _save_provider(provider, user)


@transaction.atomic
def provider_update(*, provider: Provider, user, **fields) -> Provider:
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    model_assign(provider, fields=fields, allowed=PROVIDER_FIELDS)
    return _save_provider(provider, user)


# --- procurement pipeline and frameworks ---------------------------------------------------

PLAN_ITEM_FIELDS = [
    "title", "service_area", "description", "estimated_value", "procurement_route", "planned_start",
    "planned_award", "planned_contract_start", "key_decision", "approving_body", "approved_on", "status",
    "lead_officer", "replaces", "contract",
]
FRAMEWORK_FIELDS = [
    "name", "kind", "service_area", "lead_authority", "member_councils", "start_date", "end_date",
    "extension_options", "extensions_used", "lots_or_tiers", "description",
]
MEMBERSHIP_FIELDS = ["provider", "lot", "tier", "agreed_weekly_price", "price_notes", "joined_on"]


@transaction.atomic
def plan_item_create(*, user, **fields) -> ProcurementPlanItem:
    """Add a planned procurement to the pipeline."""
    item = ProcurementPlanItem()
    return model_update(instance=item, fields=fields, allowed=PLAN_ITEM_FIELDS, user=user)


@transaction.atomic
def plan_item_update(*, item: ProcurementPlanItem, user, **fields) -> ProcurementPlanItem:
    item = ProcurementPlanItem.objects.select_for_update().get(pk=item.pk)
    return model_update(instance=item, fields=fields, allowed=PLAN_ITEM_FIELDS, user=user)


def _normalise_framework_fields(fields: dict) -> dict:
    if "extension_options" in fields and fields["extension_options"] is not None:
        fields["extension_options"] = fields["extension_options"].replace(" ", "")
    if "member_councils" in fields and fields["member_councils"] is not None:
        lines = [line.strip() for line in fields["member_councils"].splitlines()]
        fields["member_councils"] = "\n".join(line for line in lines if line)
    return fields


@transaction.atomic
def framework_create(*, user, **fields) -> Framework:
    """Record a framework, approved provider list or dynamic purchasing system."""
    framework = Framework()
    return model_update(instance=framework, fields=_normalise_framework_fields(fields), allowed=FRAMEWORK_FIELDS,
                        user=user)


@transaction.atomic
def framework_update(*, framework: Framework, user, **fields) -> Framework:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    return model_update(instance=framework, fields=_normalise_framework_fields(fields), allowed=FRAMEWORK_FIELDS,
                        user=user)


@transaction.atomic
def framework_add_member(*, framework: Framework, user, **fields) -> FrameworkMembership:
    """Put a provider on a framework (in a lot or tier, with its agreed price)."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)  # one add at a time per framework
    membership = FrameworkMembership(framework=framework)
    model_assign(membership, fields=fields, allowed=MEMBERSHIP_FIELDS)
    membership.lot = (membership.lot or "").strip()
    return audited_save(membership, user=user)


@transaction.atomic
def framework_remove_member(*, membership: FrameworkMembership, user) -> None:
    """Take a provider off a framework. Contracts already called off are not affected; the
    membership stays in the history with who removed it."""
    membership = FrameworkMembership.objects.select_for_update().get(pk=membership.pk)
    membership._history_user = user
    membership.delete()


DERIVED_FIELDS = ["current_end", "final_end", "decision_due_on", "next_review_due"]


def contracts_sync_derived(*, lead_months=None, intervals=None) -> int:
    """Recompute the stored derived dates of every contract (after a change to the lead time or the
    review intervals); saves only the rows that changed. Returns how many changed."""
    lead_months = decision_lead_months() if lead_months is None else lead_months
    intervals = intervals or review_intervals()
    changed = []
    for contract in Contract.objects.only(
        "pk", "start_date", "end_date", "extension_options", "extensions_used", "risk", "last_reviewed_on",
        *DERIVED_FIELDS,
    ):
        try:
            if contract_refresh_derived(contract=contract, lead_months=lead_months, intervals=intervals):
                changed.append(contract)
        except (ValueError, KeyError):
            continue  # a malformed row from before validation existed: left as it is, shown in the admin
    if changed:
        Contract.objects.bulk_update(changed, DERIVED_FIELDS, batch_size=500)
    return len(changed)


def contracts_pending_alerts(*, as_of: date) -> list[tuple[Contract, str, date]]:
    """Every alert that holds today, as (contract, kind, due date), whether or not it was sent before."""
    from .selectors import contracts_decision_due, contracts_ended_no_decision, contracts_review_overdue

    alerts = [(c, AlertKind.DECISION_DUE, c.decision_due_on) for c in contracts_decision_due(as_of=as_of)]
    ended = list(contracts_ended_no_decision(as_of=as_of))
    alerts += [(c, AlertKind.PAST_END, c.current_end) for c in ended]
    # A contract past its end is alerted as such; its overdue review is shown on its page, not emailed again.
    ended_ids = {c.pk for c in ended}
    alerts += [(c, AlertKind.REVIEW_OVERDUE, c.next_review_due) for c in contracts_review_overdue(as_of=as_of)
               if c.pk not in ended_ids]
    return alerts


# Key space of the digest locks: pg_try_advisory_xact_lock(ALERT_LOCK_SPACE, manager id). ("CoAl")
ALERT_LOCK_SPACE = 0x436F416C


def _lock_digest(manager_id: int) -> bool:
    """Take the lock on one manager's digest for the rest of the current transaction; False if another
    scan holds it (that scan is sending the digest, so this one leaves it alone).

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback, never waited for.
    SQLite: every transaction begins IMMEDIATE (settings), which already takes the database's one
    write lock, so two scans are serialised there and the re-check after the lock is enough.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ALERT_LOCK_SPACE, int(manager_id)])
        return bool(cursor.fetchone()[0])


def contracts_send_alerts(*, as_of: date) -> dict:
    """Email each contract manager one digest of their new alerts; never the same alert twice.

    An alert is (contract, kind, due date): a review that falls overdue again after a new review
    has a new due date, so it is a new alert. Contracts with no manager (or a manager with no
    email address) are left for the dashboards and are not marked as sent. Each digest is sent and
    marked as sent in its own transaction, so a mail failure for one manager neither resends nor
    loses anyone else's alerts (theirs are tried again on the next run).

    Safe when two scans run at once (a retried task beside the beat's, two beat processes): each
    digest is sent under a per-manager lock (`_lock_digest`), and what was already sent is read
    again once the lock is held, so the second scan finds the alerts marked and sends nothing; a
    scan that finds the lock taken skips that manager (counted in "locked").
    """
    contracts_sync_derived()
    pending = contracts_pending_alerts(as_of=as_of)
    ids = {c.pk for c, _, _ in pending}
    already = set(
        AlertSent.objects.filter(contract_id__in=ids).values_list("contract_id", "kind", "due_on")
    ) if ids else set()
    by_manager = defaultdict(list)
    for contract, kind, due_on in pending:
        manager = contract.contract_manager
        if (contract.pk, kind, due_on) in already or manager is None or not manager.email:
            continue
        by_manager[manager].append((contract, kind, due_on))
    labels = dict(AlertKind.choices)
    contract_url = url_maker("contracts:detail")
    emails = alerts = failures = locked = 0
    for manager, items in sorted(by_manager.items(), key=lambda kv: kv[0].pk):
        try:
            with transaction.atomic():
                if not _lock_digest(manager.pk):
                    locked += 1
                    continue
                # Read again under the lock: a scan that ran meanwhile may have sent some or all of these.
                sent_meanwhile = set(
                    AlertSent.objects.filter(contract_id__in={c.pk for c, _, _ in items})
                    .values_list("contract_id", "kind", "due_on")
                )
                items = [i for i in items if (i[0].pk, i[1], i[2]) not in sent_meanwhile]
                if not items:
                    continue
                rows = [
                    {"contract": c, "kind": k, "label": labels[k], "due_on": d, "url": contract_url(c.pk),
                     "days_to_end": dates.days_to(c.current_end, as_of)}
                    for c, k, d in sorted(items, key=lambda i: (i[1], i[2], i[0].reference))
                ]
                context = {"manager": manager, "rows": rows, "as_of": as_of,
                           "site_url": settings.SITE_URL}
                subject = f"Contracts needing your attention: {len(rows)} new alert{'s' if len(rows) != 1 else ''}"
                send_mail(subject, render_to_string("contracts/email/alert_digest.txt", context),
                          None, [manager.email], fail_silently=False)
                AlertSent.objects.bulk_create(
                    [AlertSent(contract=c, kind=k, due_on=d, recipient=manager) for c, k, d in items],
                    ignore_conflicts=True,
                )
        except OSError:  # SMTP errors are OSErrors: nothing is marked, so this manager is tried again next run
            logger.exception("Contract alert digest to user %s could not be sent", manager.pk)
            failures += 1
            continue
        emails += 1
        alerts += len(items)
    return {"emails": emails, "alerts": alerts, "pending": len(pending), "failed": failures, "locked": locked}
