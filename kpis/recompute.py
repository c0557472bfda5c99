"""The status recompute: stored RAG status and direction of every measurement, from the pure engine.

Kept apart from the services that queue it so the task, the computed-measure fill and the
services all call it without importing one another in a circle.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from .models import Benchmark, Indicator, Measurement, Target
from .status import BenchmarkPoint, TargetRule, compute_series

UPDATE_CHUNK = 20000


def statuses_recompute(*, indicator_ids: Iterable[int] | None = None) -> int:
    """Recompute stored status and direction for the given indicators' measurements (all when None).

    Reads everything it needs in four queries, computes with the pure engine (kpis.status) and
    writes only the rows whose status or direction changed, so running it twice changes nothing
    the second time. Returns the number of rows changed.
    """
    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        ids = sorted(set(indicator_ids))
        if not ids:
            return 0
        indicators = indicators.filter(pk__in=ids)
    polarity = dict(indicators.values_list("pk", "polarity"))
    if not polarity:
        return 0
    scope = {} if indicator_ids is None else {"indicator_id__in": list(polarity)}

    targets = defaultdict(list)
    for ind, *fields in Target.objects.filter(**scope).values_list("indicator_id", *Target.RULE_FIELDS):
        targets[ind].append(TargetRule(*fields))
    benchmarks = defaultdict(dict)
    for ind, period_end, source, value, minimum, maximum in Benchmark.objects.filter(**scope).values_list(
        "indicator_id", "period_end", "source", "value", "minimum", "maximum"
    ):
        benchmarks[ind][(period_end, source)] = BenchmarkPoint(value, minimum, maximum)
    series = defaultdict(list)
    fields = ("pk", "indicator_id", "period_end", "value", "status", "direction", "computed_at")
    for pk, ind, period_end, value, status, direction, computed_at in (
        Measurement.objects.filter(**scope).values_list(*fields)
    ):
        series[ind].append((pk, period_end, value, status, direction, computed_at))

    changed, confirmed = [], []
    latest_now = dict(Indicator.objects.filter(pk__in=list(polarity)).values_list("pk", "latest_measurement_id"))
    latest_wanted = {}
    for ind, rows in series.items():
        results = compute_series(
            polarity=polarity[ind], measurements=[(r[1], r[2]) for r in rows],
            targets=targets.get(ind, ()), benchmarks=benchmarks.get(ind, {}),
        )
        by_period = {r.period_end: r for r in results}
        latest_wanted[ind] = max(rows, key=lambda r: r[1])[0]
        for pk, period_end, _value, status, direction, computed_at in rows:
            result = by_period[period_end]
            if (result.status, result.direction) != (status, direction):
                changed.append((pk, result.status, result.direction))
            elif computed_at is None:
                # A value saved since the last run shows "recalculating" until a run confirms it.
                confirmed.append((pk, status, direction))
    _write_statuses(changed + confirmed)
    moved = [(ind, latest_wanted.get(ind)) for ind in polarity if latest_now.get(ind) != latest_wanted.get(ind)]
    _write_latest(moved)
    return len(changed)


def _write_latest(moved: list[tuple[int, int | None]]) -> None:
    """Point each indicator at its latest measurement (a plain update: not a change anyone made)."""
    objs = [Indicator(pk=ind, latest_measurement_id=m) for ind, m in moved]
    Indicator.objects.bulk_update(objs, ["latest_measurement"], batch_size=500)


def _write_statuses(changed: list[tuple[int, str, str]]) -> None:
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(changed), UPDATE_CHUNK):
            chunk = changed[start:start + UPDATE_CHUNK]
            if connection.vendor == "postgresql":
                # One UPDATE ... FROM unnest(arrays) per chunk: three parameters, not one per row.
                table = Measurement._meta.db_table
                ids, statuses, directions = (list(col) for col in zip(*chunk, strict=True))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'UPDATE "{table}" AS m SET status = v.status, direction = v.direction, '  # noqa: S608
                        "computed_at = %s FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
                        "AS v(id, status, direction) WHERE m.id = v.id",
                        [now, ids, statuses, directions],
                    )
            else:
                objs = [Measurement(pk=pk, status=s, direction=d, computed_at=now) for pk, s, d in chunk]
                Measurement.objects.bulk_update(objs, ["status", "direction", "computed_at"], batch_size=500)
