"""Writes for KPIs. Every change that can move a status queues a recompute after it commits."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.outbox import task_send_on_commit
from core.services import audited_save

from .models import Benchmark, Indicator, Measurement, Target
from .recompute import statuses_recompute
from .status import BenchmarkPoint, TargetRule, compute_series
from .validation import measurement_errors

__all__ = ["statuses_recompute"]  # kept here too: it is the write every caller knows as a service

log = logging.getLogger(__name__)


def queue_recompute(indicator_ids: Iterable[int] | None) -> None:
    """Queue the bulk recompute to run after the current transaction commits (never blocks a request)."""
    ids = None if indicator_ids is None else sorted(set(indicator_ids))
    # Through the outbox: with the broker down the change is kept and the recompute sent when it is back.
    task_send_on_commit("kpis.tasks.kpi_statuses_recompute", kwargs={"indicator_ids": ids})


# --- measurements, targets, benchmarks ---------------------------------------------------------

def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, period_end: date, value: Decimal | None, numerator: Decimal | None = None,
    denominator: Decimal | None = None, note: str = "", user, today: date | None = None,
) -> Measurement:
    """Create or replace the value for one period; the status is recomputed after commit."""
    _raise_if(measurement_errors(
        unit=indicator.unit, frequency=indicator.frequency, period_end=period_end, value=value,
        numerator=numerator, denominator=denominator, today=today or timezone.localdate(),
    ))
    measurement = (
        Measurement.objects.select_for_update().filter(indicator=indicator, period_end=period_end).first()
        or Measurement(indicator=indicator, period_end=period_end)
    )
    changed = measurement.pk is None or (
        measurement.value, measurement.numerator, measurement.denominator) != (value, numerator, denominator)
    measurement.value, measurement.numerator, measurement.denominator = value, numerator, denominator
    measurement.note = note
    measurement.entered_by = user
    if changed:  # a new figure is provisional until a second person signs it off
        measurement.approved_by = measurement.approved_at = None
    measurement.status, measurement.direction = measurement_status_now(
        indicator=indicator, period_end=period_end, value=value
    )
    measurement.computed_at = None  # until the bulk recompute confirms it with the whole series
    audited_save(measurement, user=user)
    # Later values' direction of travel may move with this one: they wait on the worker too.
    later = Measurement.objects.filter(indicator=indicator, period_end__gt=period_end).update(computed_at=None)
    if not later:
        Indicator.objects.filter(pk=indicator.pk).update(latest_measurement=measurement)
        indicator.latest_measurement = measurement
    queue_recompute([indicator.pk])
    return measurement


@transaction.atomic
def measurement_enter(
    *, indicator: Indicator, period_end: date, value: Decimal | None, numerator: Decimal | None = None,
    denominator: Decimal | None = None, note: str = "", commentary: str = "", remedial_action: str = "", user,
    today: date | None = None,
) -> Measurement:
    """The value form: a period's value and, when given, its commentary and remedial action, saved together
    or not at all. Empty commentary leaves the value's commentary as it is."""
    if remedial_action.strip() and not commentary.strip():
        raise ValidationError({"commentary": "Enter the commentary: why the value is what it is, with the "
                                             "remedial action"})
    measurement = measurement_record(
        indicator=indicator, period_end=period_end, value=value, numerator=numerator, denominator=denominator,
        note=note, user=user, today=today,
    )
    if commentary.strip():
        measurement = measurement_comment(
            measurement=measurement, commentary=commentary, remedial_action=remedial_action, user=user
        )
        measurement.indicator = indicator
    return measurement


def measurement_status_now(*, indicator: Indicator, period_end: date, value: Decimal | None) -> tuple[str, str]:
    """Status and direction of one value, worked out at once by the pure engine from the targets, the
    benchmarks and the value before it, so the page shows the right status the moment it is saved."""
    targets = [
        TargetRule(*row) for row in indicator.targets.values_list(
            "kind", "starts_on", "value", "upper", "benchmark_source", "tolerance"
        )
    ]
    benchmarks = {
        (p, source): BenchmarkPoint(v, lo, hi)
        for p, source, v, lo, hi in indicator.benchmarks.filter(period_end__lte=period_end).values_list(
            "period_end", "source", "value", "minimum", "maximum"
        )
    }
    previous = (
        indicator.measurements.filter(period_end__lt=period_end, value__isnull=False)
        .order_by("-period_end").values_list("period_end", "value").first()
    )
    series = [previous] if previous else []
    result = compute_series(
        polarity=indicator.polarity, measurements=[*series, (period_end, value)], targets=targets,
        benchmarks=benchmarks,
    )[-1]
    return result.status, result.direction


@transaction.atomic
def target_set(
    *, indicator: Indicator, starts_on: date, kind: str, value: Decimal | None = None, upper: Decimal | None = None,
    benchmark_source: str = "", tolerance: Decimal | None = None, user,
) -> Target:
    """Add the target in force from `starts_on` (or replace the one that starts that day)."""
    target = Target.objects.filter(indicator=indicator, starts_on=starts_on).first() or Target(
        indicator=indicator, starts_on=starts_on
    )
    target.kind, target.value, target.upper = kind, value, upper
    target.benchmark_source, target.tolerance = benchmark_source, tolerance
    audited_save(target, user=user)
    queue_recompute([indicator.pk])
    return target


@transaction.atomic
def benchmark_record(
    *, indicator: Indicator, period_end: date, source: str, value: Decimal | None,
    minimum: Decimal | None = None, maximum: Decimal | None = None, user,
) -> Benchmark:
    benchmark = Benchmark.objects.filter(indicator=indicator, period_end=period_end, source=source).first() or (
        Benchmark(indicator=indicator, period_end=period_end, source=source)
    )
    benchmark.value, benchmark.minimum, benchmark.maximum = value, minimum, maximum
    audited_save(benchmark, user=user)
    queue_recompute([indicator.pk])
    return benchmark


# --- commentary and sign-off --------------------------------------------------------------------

def can_write_commentary(*, user, indicator: Indicator) -> bool:
    """The KPI's owner or a commissioner (whoever may enter values) writes its commentary."""
    return user.is_authenticated and (indicator.owner_id == user.pk or user.has_perm("kpis.add_measurement"))


def measurement_authors(measurement: Measurement) -> set[int]:
    """Who wrote what is to be signed off: the value (unless computed) and the commentary."""
    return {pk for pk in (measurement.entered_by_id, measurement.commentary_by_id) if pk is not None}


@transaction.atomic
def measurement_comment(
    *, measurement: Measurement, commentary: str, remedial_action: str = "", user
) -> Measurement:
    """Write (or rewrite) the commentary and remedial action on a value. It awaits a second person's approval."""
    if not can_write_commentary(user=user, indicator=measurement.indicator):
        raise ValidationError("Only the KPI's owner or a commissioner can write its commentary.")
    commentary, remedial_action = commentary.strip(), remedial_action.strip()
    if not commentary:
        raise ValidationError({"commentary": "Enter the commentary: why the value is what it is"})
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if (measurement.commentary, measurement.remedial_action) == (commentary, remedial_action):
        return measurement
    measurement.commentary, measurement.remedial_action = commentary, remedial_action
    measurement.commentary_by = user
    measurement.approved_by = measurement.approved_at = None
    audited_save(measurement, user=user)
    return measurement


@transaction.atomic
def measurement_approve(*, measurement: Measurement, user, now=None) -> Measurement:
    """Sign off a value and its commentary: by someone allowed to approve who wrote neither. Recorded on the
    value (who, when) and in its history."""
    if not user.has_perm("kpis.approve_measurement"):
        raise ValidationError("You cannot approve KPI values.")
    measurement = Measurement.objects.select_for_update().select_related("indicator").get(pk=measurement.pk)
    if not measurement.is_provisional:
        raise ValidationError(
            f"{measurement.indicator.code} for {measurement.period_end:%d %B %Y} is already approved."
        )
    if user.pk in measurement_authors(measurement):
        raise ValidationError(
            "You wrote this value or its commentary: a second person must approve it."
        )
    measurement.approved_by = user
    measurement.approved_at = now or timezone.now()
    audited_save(measurement, user=user)
    return measurement


@dataclass
class ApprovalResult:
    approved: list[Measurement] = field(default_factory=list)
    refused: list[tuple[Measurement, str]] = field(default_factory=list)  # each with the reason


@transaction.atomic
def measurements_approve(*, measurement_ids: Iterable[int], user, now=None) -> ApprovalResult:
    """Approve several values at once, each exactly as measurement_approve does one: a value this person
    wrote (or one already approved) is refused with the reason, and the rest are approved."""
    result = ApprovalResult()
    chosen = Measurement.objects.filter(pk__in=list(measurement_ids)).select_related("indicator")
    for measurement in chosen.order_by("indicator__code", "period_end"):
        try:
            with transaction.atomic():
                result.approved.append(measurement_approve(measurement=measurement, user=user, now=now))
        except ValidationError as exc:
            result.refused.append((measurement, " ".join(exc.messages)))
    return result
