"""Reads for contracts: annotated querysets, one per question, reused by pages, exports, alerts and reports."""

from datetime import date, timedelta

from django.db.models import Count, Max, Prefetch, Sum
from django.http import Http404

from .models import (
    Contract,
    ContractReview,
    Framework,
    FrameworkMembership,
    ProcurementPlanItem,
    Provider,
    live_q,
)


def _can_view(user, model_name: str) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(f"contracts.view_{model_name}"))


def contracts_visible_to(user):
    """The one answer to "which contracts may this user see"."""
    if not _can_view(user, "contract"):
        return Contract.objects.none()
    return Contract.objects.all()


def contract_register(*, user, as_of: date):
    """Rows for the register, exports and reports: provider, manager and status in one query."""
    return (
        contracts_visible_to(user)
        .select_related("provider", "contract_manager", "framework", "service_area")
        .with_status(as_of)
        .order_by("current_end", "reference")
    )


def contract_get(*, user, pk, as_of: date) -> Contract:
    """Fetch and authorise in one: a contract the user may not see is as missing as one that is not there."""
    try:
        return contract_register(user=user, as_of=as_of).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contract") from None


def contract_reviews(*, contract: Contract):
    return (
        ContractReview.objects.filter(contract=contract).select_related("reviewed_by").order_by("-reviewed_on", "-pk")
    )


def _for_manager(qs, manager):
    return qs.filter(contract_manager=manager) if manager is not None else qs


def contracts_decision_due(*, as_of: date, manager=None):
    """Live contracts whose decision date has come, with no decision recorded for their current end.
    (One already past its end is a different alert: `contracts_ended_no_decision`.)"""
    qs = (
        Contract.objects.decision_overdue(as_of)
        .select_related("provider", "contract_manager")
        .with_status(as_of)
        .order_by("current_end", "reference")
    )
    return _for_manager(qs, manager)


def contracts_review_overdue(*, as_of: date, manager=None):
    """Live contracts, and those past their end with no decision, whose next review (by risk) fell due before
    `as_of`."""
    qs = (
        Contract.objects.review_overdue(as_of)
        .select_related("provider", "contract_manager")
        .with_status(as_of)
        .order_by("next_review_due", "reference")
    )
    return _for_manager(qs, manager)


def contracts_ended_no_decision(*, as_of: date, manager=None):
    """Past their current end with no decision recorded for it: someone must record what happened."""
    qs = (
        Contract.objects.ended_no_decision(as_of)
        .select_related("provider", "contract_manager")
        .with_status(as_of)
        .order_by("current_end", "reference")
    )
    return _for_manager(qs, manager)


def contracts_due(*, as_of: date, within_days: int, user=None):
    """Live contracts whose current end falls in [as_of, as_of + within_days], soonest first."""
    base = contracts_visible_to(user) if user is not None else Contract.objects.all()
    return (
        base.filter(pk__in=Contract.objects.live_on(as_of).values("pk"))
        .filter(current_end__gte=as_of, current_end__lte=as_of + timedelta(days=within_days))
        .select_related("provider", "contract_manager")
        .with_status(as_of)
        .order_by("current_end", "reference")
    )


def providers_visible_to(user):
    if not _can_view(user, "provider"):
        return Provider.objects.none()
    return Provider.objects.all()


def provider_register(*, user, as_of: date):
    live = live_q(as_of, prefix="contracts__")
    return providers_visible_to(user).annotate(
        contract_count=Count("contracts", distinct=True),
        live_contract_count=Count("contracts", filter=live, distinct=True),
        live_annual_value=Sum("contracts__annual_value", filter=live),
    ).order_by("name")


def provider_get(*, user, pk) -> Provider:
    try:
        return providers_visible_to(user).get(pk=pk)
    except (Provider.DoesNotExist, ValueError, TypeError):
        raise Http404("No such provider") from None


def frameworks_visible_to(user):
    if not _can_view(user, "framework"):
        return Framework.objects.none()
    return Framework.objects.all()


def framework_list(*, user):
    return frameworks_visible_to(user).annotate(
        member_count=Count("memberships__provider", distinct=True),
        contract_count=Count("contracts", distinct=True),
        top_tier=Max("memberships__tier"),
    ).order_by("name")


def framework_get(*, user, pk) -> Framework:
    try:
        return frameworks_visible_to(user).prefetch_related(
            Prefetch("memberships", queryset=FrameworkMembership.objects.select_related("provider")
                     .order_by("lot", "tier", "provider__name"))
        ).get(pk=pk)
    except (Framework.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework") from None


def pipeline_items(*, user):
    if not _can_view(user, "procurementplanitem"):
        return ProcurementPlanItem.objects.none()
    return ProcurementPlanItem.objects.select_related("lead_officer", "replaces", "contract", "service_area").order_by(
        "planned_award", "title"
    )


def plan_item_get(*, user, pk) -> ProcurementPlanItem:
    try:
        return pipeline_items(user=user).get(pk=pk)
    except (ProcurementPlanItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such procurement") from None


def membership_get(*, user, framework: Framework, pk) -> FrameworkMembership:
    """A membership of this framework (one of another framework is as missing as one that is not there)."""
    if not _can_view(user, "frameworkmembership"):
        raise Http404("No such provider on this framework")
    try:
        return FrameworkMembership.objects.select_related("provider", "framework").get(framework=framework, pk=pk)
    except (FrameworkMembership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such provider on this framework") from None
