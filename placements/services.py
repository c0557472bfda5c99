"""Writes for placements: each keyword-only, atomic, validated, and taking the acting user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.services import audited_save

from . import rules
from .models import (
    Child,
    ChildPageView,
    CostKind,
    CostLine,
    CostStatus,
    Episode,
    PanelReview,
    Placement,
    PlacementAgreement,
    PostcodeDistrict,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
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
        approval_weekly=_settings_decimal("PLACEMENTS_COST_APPROVAL_WEEKLY"),
    )
    line = CostLine(
        placement=placement, kind=kind, weekly_amount=weekly_amount, effective_from=effective_from,
        effective_to=effective_to, reason=reason, agreed_by=user, needs_approval=needs,
        status=CostStatus.AWAITING_APPROVAL if needs else CostStatus.IN_FORCE,
    )
    audited_save(line, user=user)
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
    audited_save(line, user=user)
    return line


@transaction.atomic
def agreement_update(*, placement: Placement, user, **fields) -> PlacementAgreement:
    """Create or change a placement's IPA; dates for each status reached are required."""
    agreement = PlacementAgreement.objects.filter(placement=placement).first() or PlacementAgreement(
        placement=placement
    )
    for name, value in fields.items():
        setattr(agreement, name, value)
    audited_save(agreement, user=user)
    return agreement


@transaction.atomic
def panel_review_record(*, review: PanelReview, held_on: date, decision: str, notes: str, user,
                        next_due_on: date | None = None) -> PanelReview:
    review.held_on, review.decision, review.notes = held_on, decision, notes
    audited_save(review, user=user)
    if next_due_on:
        follow_up = PanelReview(placement=review.placement, due_on=next_due_on)
        audited_save(follow_up, user=user)
    return review


def _in_area(district: str, given):
    """Inside the council's area: as recorded, else from the district's local authority where known."""
    if given is not None or not district or not settings.PLACEMENTS_LOCAL_AUTHORITY:
        return given
    authority = PostcodeDistrict.objects.filter(code=district).values_list("local_authority", flat=True).first()
    return None if not authority else authority == settings.PLACEMENTS_LOCAL_AUTHORITY


@transaction.atomic
def placement_create(
    *, child_reference: str, start: date, legal_status, user, sex: str = "", birth_month: int | None = None,
    birth_year: int | None = None, **details,
) -> Placement:
    """Record a new placement (and the child, if new). A move ends the child's current placement on the
    day the new one starts, as the 903 does; the period of care carries on across the move."""
    child = Child.objects.filter(reference=child_reference).first()
    if child is None:
        child = Child(reference=child_reference, sex=sex, birth_month=birth_month, birth_year=birth_year)
        audited_save(child, user=user)
    current = (
        Placement.objects.select_for_update().filter(child=child, start__lt=start)
        .filter(models.Q(end__isnull=True) | models.Q(end__gt=start)).order_by("-start").first()
    )
    if Placement.objects.filter(child=child, start=start).exists():
        raise ValidationError({"start": "This child already has a placement starting that day."})
    moved = current is not None
    if moved:
        current.end = start
        current.reason_ended = ReasonEpisodeCeased.objects.filter(code="X1").first()
        current._history_user = user
        current.save(update_fields=["end", "reason_ended"])
        Episode.objects.filter(placement=current, end__isnull=True).update(end=start, reason_ended=current.reason_ended)
    previous = Placement.objects.filter(child=child, end=start).exclude(pk=getattr(current, "pk", None)).first()
    carried = current or previous
    placement = Placement(
        child=child, start=start, care_period_start=carried.care_period_start if carried else start,
        reason_new_episode=ReasonNewEpisode.objects.filter(code="P" if carried else "S").first(), **details,
    )
    placement.in_area = _in_area(placement.placement_district, placement.in_area)
    placement_distance_refresh(placement=placement)
    audited_save(placement, user=user)
    episode = Episode(placement=placement, child=child, start=start, legal_status=legal_status,
                      reason_new_episode=placement.reason_new_episode)
    audited_save(episode, user=user)
    return placement


@transaction.atomic
def placement_update(*, placement: Placement, user, **fields) -> Placement:
    """Change what is recorded about a placement; the distance is worked out again."""
    old_end = placement.end
    for name, value in fields.items():
        setattr(placement, name, value)
    placement.in_area = _in_area(placement.placement_district, placement.in_area)
    placement_distance_refresh(placement=placement)
    audited_save(placement, user=user)
    if placement.end != old_end:
        last = placement.episodes.order_by("-start").first()
        if last is not None and (placement.end is None or placement.end >= last.start):
            last.end, last.reason_ended = placement.end, placement.reason_ended
            last._history_user = user
            last.save()
    return placement


@transaction.atomic
def placement_distances_refresh(*, districts: list[str] | None = None) -> int:
    """Work distances out again after centroids change (only placements touching those districts)."""
    queryset = Placement.objects.all()
    if districts is not None:
        queryset = queryset.filter(models.Q(home_district__in=districts) | models.Q(placement_district__in=districts))
    centroids = {d.code: (d.latitude, d.longitude) for d in PostcodeDistrict.objects.all()}
    changed = []
    for placement in queryset.only("pk", "home_district", "placement_district", "recorded_distance_miles",
                                   "distance_miles").iterator(chunk_size=2000):
        before = placement.distance_miles
        placement_distance_refresh(placement=placement, centroids=centroids)
        if placement.distance_miles != before:
            changed.append(placement)
    Placement.objects.bulk_update(changed, ["distance_miles"], batch_size=1000)
    return len(changed)
