"""Writes for placements: each keyword-only, atomic, validated, and taking the acting user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import rules
from .models import (
    AgreementStatus,
    Child,
    ChildPageView,
    CostKind,
    CostLine,
    CostStatus,
    PanelReview,
    Placement,
    PlacementAgreement,
    PostcodeDistrict,
)


def _settings_decimal(name: str) -> Decimal:
    return Decimal(str(getattr(settings, name)))


def centroids_for(*codes: str) -> dict[str, tuple]:
    wanted = [c for c in codes if c]
    return {
        d.code: (d.latitude, d.longitude) for d in PostcodeDistrict.objects.filter(code__in=wanted)
    }


def placement_distance_refresh(*, placement: Placement, centroids: dict | None = None) -> Decimal | None:
    """Set `distance_miles` from the district centroids, else the recorded distance (not saved)."""
    if centroids is None:
        centroids = centroids_for(placement.home_district, placement.placement_district)
    placement.distance_miles = rules.placement_distance(
        placement.home_district, placement.placement_district, centroids, placement.recorded_distance_miles
    )
    return placement.distance_miles


def child_page_view_record(*, child: Child, user) -> ChildPageView:
    return ChildPageView.objects.create(child=child, user=user)


def weekly_cost_on(*, placement: Placement, day: date) -> Decimal:
    lines = [
        rules.CostChange(line.weekly_amount, line.effective_from, line.effective_to, line.status == CostStatus.IN_FORCE)
        for line in placement.cost_lines.all()
    ]
    return rules.cost_in_force(lines, day)


@transaction.atomic
def cost_line_create(
    *, placement: Placement, kind: str, weekly_amount: Decimal, effective_from: date,
    effective_to: date | None = None, reason: str, user,
) -> CostLine:
    """Record a cost change agreed by `user`. Above the threshold it waits for a second person."""
    Placement.objects.select_for_update().filter(pk=placement.pk).first()  # one change at a time per placement
    current = weekly_cost_on(placement=placement, day=effective_from)
    if kind == CostKind.REDUCTION and weekly_amount > 0:
        weekly_amount = -weekly_amount
    needs = rules.approval_needed(
        current_weekly=current, change=weekly_amount,
        threshold_pct=_settings_decimal("PLACEMENTS_COST_CHANGE_APPROVAL_PCT"),
        high_cost_weekly=_settings_decimal("PLACEMENTS_HIGH_COST_WEEKLY"),
    )
    line = CostLine(
        placement=placement, kind=kind, weekly_amount=weekly_amount, effective_from=effective_from,
        effective_to=effective_to, reason=reason, agreed_by=user, needs_approval=needs,
        status=CostStatus.AWAITING_APPROVAL if needs else CostStatus.IN_FORCE,
    )
    line.full_clean()
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def cost_line_decide(*, line: CostLine, approve: bool, user) -> CostLine:
    """A second person approves (the change takes effect) or rejects a change awaiting approval."""
    line = CostLine.objects.select_for_update().get(pk=line.pk)
    if not user.has_perm("placements.approve_costline"):
        raise PermissionDenied
    if line.status != CostStatus.AWAITING_APPROVAL:
        raise ValidationError("This change is not awaiting approval.")
    if user.pk == line.agreed_by_id:
        raise ValidationError("A second person must approve this change: you agreed it.")
    line.status = CostStatus.IN_FORCE if approve else CostStatus.REJECTED
    line.approved_by = user
    line.approved_at = timezone.now()
    line.full_clean()
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def agreement_update(*, placement: Placement, user, **fields) -> PlacementAgreement:
    """Create or change a placement's IPA; dates for each status reached are required."""
    agreement = PlacementAgreement.objects.filter(placement=placement).first() or PlacementAgreement(
        placement=placement
    )
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement._history_user = user
    agreement.save()
    return agreement


@transaction.atomic
def panel_review_record(*, review: PanelReview, held_on: date, decision: str, notes: str, user,
                        next_due_on: date | None = None) -> PanelReview:
    review.held_on, review.decision, review.notes = held_on, decision, notes
    review.full_clean()
    review._history_user = user
    review.save()
    if next_due_on:
        follow_up = PanelReview(placement=review.placement, due_on=next_due_on)
        follow_up.full_clean()
        follow_up._history_user = user
        follow_up.save()
    return review


def agreement_status_default(placement: Placement) -> str:
    return getattr(getattr(placement, "agreement", None), "status", AgreementStatus.NOT_STARTED)
