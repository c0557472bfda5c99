"""Writes for the market: the Ofsted import, groups, quality checks, contract KPIs and performance ratings.

Every write is atomic, validated with full_clean and saved with the acting person for its history.
"""

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts import services as contract_services
from contracts.models import Contract, OfstedRating, Provider
from core.imports import ImportFailed, ImportSummary, RowError, Table, parse_date, parse_decimal, run_import
from core.roles import PLACEMENTS_OFFICER
from core.services import audited_save
from placements.models import Placement

from . import ofsted
from .models import (
    JUDGEMENT_RANK,
    ContractIndicator,
    ContractIndicatorValue,
    ContractPerformanceAssessment,
    OfstedInspection,
    OfstedSetting,
    OwningGroup,
    ProviderAlert,
    ProviderAlertKind,
    ProviderOwnership,
    QualityAction,
    QualityCheck,
    is_registration_active,
)

logger = logging.getLogger(__name__)

SETTING_FIELDS = ["setting_name", "provider_name", "provider_type", "local_authority", "region",
                  "registration_status", "places", "owner_name"]
DOWNGRADE_TO = {OfstedRating.REQUIRES_IMPROVEMENT, OfstedRating.INADEQUATE}


# --- Ofsted's register -----------------------------------------------------------------------------

def is_downgrade(previous: str, new: str) -> bool:
    """Down to Requires improvement or Inadequate from a better judgement (no judgement before: not a downgrade)."""
    return bool(previous) and new in DOWNGRADE_TO and JUDGEMENT_RANK[new] > JUDGEMENT_RANK[previous]


def import_ofsted_providers(table: Table, *, user) -> ImportSummary:
    """Ofsted's provider-level data: every row checked first, nothing saved if any row is wrong."""
    return run_import(table, validate=ofsted.read_rows, write=lambda rows: _write_settings(rows, user=user))


def _write_settings(rows: list[ofsted.SettingRow], *, user) -> ImportSummary:
    summary = ImportSummary()
    today = timezone.localdate()
    urns = [r.urn for r in rows]
    existing = {s.urn: s for s in OfstedSetting.objects.filter(urn__in=urns)}
    by_urn = {p.ofsted_urn: p for p in Provider.objects.exclude(ofsted_urn="").filter(ofsted_urn__in=urns)}
    was_active = {urn: s.is_registered for urn, s in existing.items() if s.registration_status}
    to_create, to_update = [], []
    for row in rows:
        setting = existing.get(row.urn)
        new = setting is None
        if new:
            setting = OfstedSetting(urn=row.urn)
        before = [getattr(setting, f) for f in SETTING_FIELDS] + [setting.provider_id]
        for field in SETTING_FIELDS:
            if field == "registration_status" and not row.has_status:
                continue
            value = getattr(row, field)
            if value in ("", None) and not new and field != "places":
                continue  # a file without that column (or a blank cell) leaves what is known
            setattr(setting, field, value)
        if setting.provider_id is None and row.urn in by_urn:
            setting.provider = by_urn[row.urn]
        setting.imported_on = today
        if new:
            to_create.append(setting)
        elif before != [getattr(setting, f) for f in SETTING_FIELDS] + [setting.provider_id]:
            to_update.append(setting)
        else:
            summary.unchanged += 1
            to_update.append(setting)  # imported_on moves on
    if to_create:
        bulk_create_with_history(to_create, OfstedSetting, batch_size=500, default_user=user)
    if to_update:
        bulk_update_with_history(to_update, OfstedSetting, [*SETTING_FIELDS, "provider", "imported_on"],
                                 batch_size=500, default_user=user)
    summary.created = len(to_create)
    summary.updated = len(to_update) - summary.unchanged
    settings_by_urn = {s.urn: s for s in OfstedSetting.objects.filter(urn__in=urns).select_related("provider")}

    inspections = _record_inspections(rows, settings_by_urn, user=user)
    alerts = _raise_alerts(rows, settings_by_urn, inspections, was_active)
    providers = {s.provider for s in settings_by_urn.values() if s.provider_id}
    _refresh_providers(providers, user=user)
    _assign_owners(settings_by_urn.values(), user=user)

    unmatched = sum(1 for s in settings_by_urn.values() if s.provider_id is None)
    summary.notes.append(f"{inspections['created']} inspection judgement{'s' if inspections['created'] != 1 else ''} "
                         "recorded")
    if unmatched:
        summary.notes.append(f"{unmatched} setting{'s' if unmatched != 1 else ''} not matched to a provider: "
                             "link them from the unmatched settings page")
    if alerts:
        summary.notes.append(f"{alerts} provider alert{'s' if alerts != 1 else ''} raised")
        transaction.on_commit(lambda: provider_alerts_send())
    return summary


def _record_inspections(rows, settings_by_urn, *, user) -> dict:
    """Keep each inspection as a dated judgement; return the new ones with the judgement before each."""
    ids = [s.pk for s in settings_by_urn.values()]
    history = defaultdict(dict)  # setting id -> {date: judgement}
    for setting_id, day, judgement in OfstedInspection.objects.filter(setting_id__in=ids).values_list(
            "setting_id", "inspected_on", "judgement"):
        history[setting_id][day] = judgement
    to_create, to_update, new = [], [], []
    for row in rows:
        if not row.judgement:
            continue
        setting = settings_by_urn[row.urn]
        known = history[setting.pk]
        if row.inspected_on in known:
            if known[row.inspected_on] != row.judgement:
                to_update.append((setting, row))
            continue
        earlier = [d for d in known if d < row.inspected_on]
        if earlier:
            previous = known[max(earlier)]
        elif setting.provider_id and setting.provider.ofsted_urn == setting.urn:
            previous = setting.provider.ofsted_rating  # typed by hand before Ofsted's data was imported
        else:
            previous = ""
        to_create.append(OfstedInspection(setting=setting, inspected_on=row.inspected_on,
                                          published_on=row.published_on, judgement=row.judgement))
        if not any(d > row.inspected_on for d in known):
            new.append((setting, row, previous))
    if to_create:
        bulk_create_with_history(to_create, OfstedInspection, batch_size=500, default_user=user)
    for setting, row in to_update:
        inspection = OfstedInspection.objects.get(setting=setting, inspected_on=row.inspected_on)
        inspection.judgement, inspection.published_on = row.judgement, row.published_on
        audited_save(inspection, user=user)
    return {"created": len(to_create), "new": new}


def _raise_alerts(rows, settings_by_urn, inspections, was_active) -> int:
    wanted = []
    for setting, row, previous in inspections["new"]:
        if setting.provider_id and is_downgrade(previous, row.judgement):
            wanted.append(ProviderAlert(
                setting=setting, provider_id=setting.provider_id, kind=ProviderAlertKind.DOWNGRADED,
                about=row.inspected_on.isoformat(),
                message=(f"{setting.provider} ({setting.setting_name or setting.urn}, URN {setting.urn}) was judged "
                         f"{OfstedRating(row.judgement).label} at its inspection on {row.inspected_on:%-d %B %Y}, "
                         f"down from {OfstedRating(previous).label}."),
            ))
    for row in rows:
        setting = settings_by_urn[row.urn]
        if not (setting.provider_id and row.has_status and row.registration_status):
            continue
        if not is_registration_active(row.registration_status) and was_active.get(row.urn, True):
            wanted.append(ProviderAlert(
                setting=setting, provider_id=setting.provider_id, kind=ProviderAlertKind.REGISTRATION_LAPSED,
                about=row.registration_status.lower()[:60],
                message=(f"{setting.provider} ({setting.setting_name or setting.urn}, URN {setting.urn}): Ofsted "
                         f"lists its registration as {row.registration_status}. It cannot take children while its "
                         "registration is not active."),
            ))
    if not wanted:
        return 0
    already = set(ProviderAlert.objects.filter(setting__in=[a.setting for a in wanted])
                  .values_list("setting_id", "kind", "about"))
    fresh = [a for a in wanted if (a.setting.pk, a.kind, a.about) not in already]
    ProviderAlert.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def _refresh_providers(providers, *, user):
    """A provider's rating and inspection date: the latest judgement across its settings."""
    if not providers:
        return
    latest = {}
    for provider_id, day, judgement in (
        OfstedInspection.objects.filter(setting__provider__in=providers).order_by("inspected_on", "pk")
        .values_list("setting__provider_id", "inspected_on", "judgement")
    ):
        latest[provider_id] = (day, judgement)
    for provider in providers:
        if provider.pk not in latest:
            continue
        day, judgement = latest[provider.pk]
        if (provider.ofsted_inspected_on, provider.ofsted_rating) == (day, judgement):
            continue
        fields = {"ofsted_rating": judgement, "ofsted_inspected_on": day}
        if not provider.ofsted_urn:
            fields["ofsted_urn"] = provider.ofsted_settings.order_by("urn").values_list("urn", flat=True).first()
        contract_services.provider_update(provider=provider, user=user, **fields)


def _assign_owners(settings_list, *, user):
    """Ofsted names the organisation that owns a provider: a provider with no group yet joins that one."""
    pending = [s for s in settings_list if s.provider_id and s.owner_name]
    if not pending:
        return
    owned = set(ProviderOwnership.objects.filter(provider_id__in=[s.provider_id for s in pending])
                .values_list("provider_id", flat=True))
    groups = {g.name.lower(): g for g in OwningGroup.objects.all()}
    for setting in pending:
        if setting.provider_id in owned:
            continue
        group = groups.get(setting.owner_name.lower())
        if group is None:
            group = audited_save(OwningGroup(name=setting.owner_name), user=user)
            groups[group.name.lower()] = group
        audited_save(ProviderOwnership(provider_id=setting.provider_id, group=group), user=user)
        owned.add(setting.provider_id)


@transaction.atomic
def ofsted_setting_link(*, setting: OfstedSetting, provider: Provider, user) -> OfstedSetting:
    """Link a setting Ofsted lists to a provider in the register; its judgements then count for the provider."""
    setting = OfstedSetting.objects.select_for_update().get(pk=setting.pk)
    if setting.provider_id:
        raise ValidationError({"provider": f"URN {setting.urn} is already linked to {setting.provider}"})
    setting.provider = provider
    audited_save(setting, user=user)
    _refresh_providers({provider}, user=user)
    _assign_owners([setting], user=user)
    return setting


def _recipients(provider: Provider, setting: OfstedSetting, *, as_of: date) -> list[str]:
    """Managers of the provider's live contracts, and the officers of the children placed there now (the
    person who recorded each placement; the placements team when that is not known)."""
    emails = set(
        Contract.objects.live_on(as_of).filter(provider=provider, contract_manager__is_active=True)
        .exclude(contract_manager__email="").values_list("contract_manager__email", flat=True)
    )
    placed = Placement.objects.active_on(as_of).filter(provider=provider) | \
        Placement.objects.active_on(as_of).filter(ofsted_urn=setting.urn)
    placement_ids = list(placed.values_list("pk", flat=True))
    if placement_ids:
        officers = set(
            Placement.history.filter(id__in=placement_ids, history_user__is_active=True)
            .exclude(history_user__email="").values_list("history_user__email", flat=True)
        )
        if not officers:
            officers = set(get_user_model().objects.filter(groups__name=PLACEMENTS_OFFICER, is_active=True)
                           .exclude(email="").values_list("email", flat=True))
        emails |= officers
    return sorted(emails)


def provider_alerts_send(*, as_of: date | None = None) -> int:
    """Email every alert not yet sent, each once, and mark it sent with whom it went to."""
    as_of = as_of or timezone.localdate()
    sent = 0
    for alert in ProviderAlert.objects.filter(sent_at__isnull=True).select_related("provider", "setting"):
        recipients = _recipients(alert.provider, alert.setting, as_of=as_of)
        try:
            with transaction.atomic():
                locked = ProviderAlert.objects.select_for_update().filter(pk=alert.pk, sent_at__isnull=True)
                if not locked.exists():
                    continue
                if recipients:
                    body = render_to_string("market/email/provider_alert.txt", {
                        "alert": alert, "site_url": getattr(settings, "SITE_URL", ""),
                    })
                    send_mail(f"Provider alert: {alert.get_kind_display()} ({alert.provider})", body, None,
                              recipients, fail_silently=False)
                locked.update(sent_at=timezone.now(), recipients="\n".join(recipients))
        except OSError:  # mail server down: left unsent, tried again after the next import or scan
            logger.exception("Provider alert %s could not be sent", alert.pk)
            continue
        sent += 1
    return sent


# --- owning groups -----------------------------------------------------------------------------------

@transaction.atomic
def group_create(*, user, name: str, parent: OwningGroup | None = None, notes: str = "") -> OwningGroup:
    return audited_save(OwningGroup(name=name, parent=parent, notes=notes), user=user)


@transaction.atomic
def group_update(*, group: OwningGroup, user, name: str, parent: OwningGroup | None, notes: str = "") -> OwningGroup:
    group = OwningGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.parent, group.notes = name, parent, notes
    return audited_save(group, user=user)


@transaction.atomic
def provider_set_group(*, provider: Provider, group: OwningGroup | None, user) -> ProviderOwnership | None:
    """Put a provider in a group, move it, or (group None) record it as independent."""
    current = ProviderOwnership.objects.select_for_update().filter(provider=provider).first()
    if group is None:
        if current is not None:
            current._history_user = user
            current.delete()
        return None
    if current is None:
        current = ProviderOwnership(provider=provider)
    current.group = group
    return audited_save(current, user=user)


# --- quality assurance ---------------------------------------------------------------------------------

@transaction.atomic
def quality_check_record(*, provider: Provider, user, checked_on: date, kind: str, rating: str, findings: str = "",
                         contract=None, placement=None, actions=()) -> QualityCheck:
    """A visit, self-assessment or audit with its actions: [{action, owner, due_on}, ...]."""
    check = audited_save(QualityCheck(provider=provider, contract=contract, placement=placement,
                                      checked_on=checked_on, kind=kind, rating=rating, findings=findings,
                                      recorded_by=user), user=user)
    for item in actions:
        audited_save(QualityAction(check_record=check, **item), user=user)
    return check


@transaction.atomic
def quality_action_add(*, check: QualityCheck, user, action: str, owner, due_on: date) -> QualityAction:
    return audited_save(QualityAction(check_record=check, action=action, owner=owner, due_on=due_on), user=user)


@transaction.atomic
def quality_action_complete(*, action: QualityAction, user, completed_on: date) -> QualityAction:
    action = QualityAction.objects.select_for_update().get(pk=action.pk)
    action.completed_on = completed_on
    return audited_save(action, user=user)


# --- contract performance ---------------------------------------------------------------------------

@transaction.atomic
def contract_kpi_create(*, contract: Contract, user, **fields) -> ContractIndicator:
    indicator = ContractIndicator(contract=contract, **fields)
    if ContractIndicator.objects.filter(contract=contract, code__iexact=fields.get("code", "")).exists():
        raise ValidationError({"code": f"Contract {contract.reference} already has a KPI {fields.get('code')}"})
    return audited_save(indicator, user=user)


RETURN_COLUMNS = ["kpi", "period_end", "value"]
RETURN_OPTIONAL = ["note"]


def contract_return_import(table: Table, *, contract: Contract, user) -> ImportSummary:
    """A provider's return of its KPI values (kpi code, period end, value): all or nothing."""
    from core.imports import check_columns

    def validate(table):
        errors = check_columns(table, required=RETURN_COLUMNS, optional=RETURN_OPTIONAL)
        if errors:
            return [], errors
        indicators = {i.code.lower(): i for i in contract.contract_kpis.all()}
        seen, items = {}, []
        for number, cells in table.rows:
            code = cells.get("kpi", "").strip()
            indicator = indicators.get(code.lower())
            row_errors = []
            if indicator is None:
                known = ", ".join(sorted(i.code for i in indicators.values())) or "none yet"
                row_errors.append(RowError(number, f"'{code}' is not a KPI of contract {contract.reference} "
                                                   f"(its KPIs: {known})", "kpi"))
            try:
                period_end = parse_date(cells.get("period_end", ""))
            except ValueError as exc:
                row_errors.append(RowError(number, str(exc), "period_end"))
                period_end = None
            try:
                value = parse_decimal(cells.get("value", ""))
            except ValueError as exc:
                row_errors.append(RowError(number, str(exc) if cells.get("value") else "is required", "value"))
                value = None
            note = cells.get("note", "")[:250]
            if indicator and period_end:
                key = (indicator.pk, period_end)
                if key in seen:
                    row_errors.append(RowError(number, f"{indicator.code} for {period_end:%d/%m/%Y} is repeated "
                                                       f"(first on row {seen[key]})", "kpi"))
                seen[key] = number
            errors += row_errors
            items.append((indicator, period_end, value, note))
        return items, errors

    def write(items):
        summary = ImportSummary()
        for indicator, period_end, value, note in items:
            current = ContractIndicatorValue.objects.filter(indicator=indicator, period_end=period_end).first()
            if current is None:
                audited_save(ContractIndicatorValue(indicator=indicator, period_end=period_end, value=value,
                                                    note=note), user=user)
                summary.created += 1
            elif (current.value, current.note) != (value, note):
                current.value, current.note = value, note
                audited_save(current, user=user)
                summary.updated += 1
            else:
                summary.unchanged += 1
        return summary

    try:
        return run_import(table, validate=validate, write=write)
    except ValidationError as exc:
        raise ImportFailed([RowError(0, "; ".join(exc.messages))]) from exc


@transaction.atomic
def contract_performance_rate(*, contract: Contract, user, year_ending: date, rating: str,
                              reasons: str) -> ContractPerformanceAssessment:
    """Record (or correct) the year's rating on the Procurement Act scale, with its reasons."""
    assessment = ContractPerformanceAssessment.objects.select_for_update().filter(
        contract=contract, year_ending=year_ending).first() or ContractPerformanceAssessment(
        contract=contract, year_ending=year_ending)
    assessment.rating, assessment.reasons, assessment.assessed_by = rating, reasons, user
    return audited_save(assessment, user=user)
