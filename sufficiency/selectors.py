"""Reads for the sufficiency pages and the forecast."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Sum, Value, When

from placements.models import Episode, Placement, covering_q

from . import engine


def _birth(year: int, month: int) -> date:
    # Only the month and year of birth are kept: the middle of the month is the best guess at the day.
    return date(year, month, 15)


def care_spells() -> list[engine.Spell]:
    """Every 903 episode of care (short breaks, legal statuses V3 and V4, are not being looked after) with its
    placement's PLACE code, and placements entered in the app that have no episodes. Two queries."""
    episodes = (
        Episode.objects.filter(legal_status__is_short_break=False)
        .values_list("child__reference", "child__birth_year", "child__birth_month", "start", "end",
                     "placement__placement_type__code")
        .order_by()
    )
    spells = [engine.Spell(ref, _birth(year, month), start, end, place)
              for ref, year, month, start, end, place in episodes.iterator(chunk_size=5000)]
    without = (
        Placement.objects.filter(~Exists(Episode.objects.filter(placement=OuterRef("pk"))))
        .values_list("child__reference", "child__birth_year", "child__birth_month", "start", "end",
                     "placement_type__code")
        .order_by()
    )
    spells += [engine.Spell(ref, _birth(year, month), start, end, place)
               for ref, year, month, start, end, place in without.iterator(chunk_size=5000)]
    return spells


# --- stored forecasts -------------------------------------------------------------------------------

def latest_forecast():
    """The newest finished forecast run, or None. One query."""
    from .models import ForecastRun, ForecastRunStatus

    return ForecastRun.objects.filter(status=ForecastRunStatus.DONE).order_by("-finished_at", "-pk").first()


def run_in_progress():
    from .models import ForecastRun, ForecastRunStatus

    return ForecastRun.objects.filter(status__in=[ForecastRunStatus.QUEUED, ForecastRunStatus.RUNNING]).first()


def scenario_adjustment(*, name: str) -> engine.Adjustment | None:
    from .models import Scenario

    scenario = Scenario.objects.filter(name=name).first()
    return scenario.adjustment() if scenario else None


def data_fingerprint() -> str:
    """Changes whenever an episode, placement or cost line is added, changed or removed (each leaves a history
    record), so the worker can tell the forecast is out of date. One query."""
    from django.db.models import Max

    from placements.models import CostLine

    parts = []
    for model in (Episode, Placement, CostLine):
        history = model.history.model
        parts.append(history.objects.aggregate(last=Max("history_id"))["last"] or 0)
    return "-".join(str(p) for p in parts)


def data_window(*, today: date, reference_months: int) -> tuple[date, date] | None:
    """The reference window: the `reference_months` up to the last month end the data reaches (on or before
    today). None when nothing is held."""
    from django.db.models import Max

    last = Episode.objects.aggregate(start=Max("start"), end=Max("end"))
    last_placement = Placement.objects.aggregate(start=Max("start"), end=Max("end"))
    days = [d for d in (*last.values(), *last_placement.values()) if d is not None]
    if not days:
        return None
    latest = min(max(days), today)
    end = engine.month_end(latest)
    if end > latest:
        end = date(latest.year, latest.month, 1) - timedelta(days=1)
    start = engine.add_months(end + timedelta(days=1), -reference_months)
    return start, end


# --- unit costs ---------------------------------------------------------------------------------------

def category_expression(prefix: str = ""):
    """A placement's forecast category from its PLACE code, in SQL (engine.place_category in Python)."""
    whens = [When(**{f"{prefix}placement_type__code__in": [c for c, cat in engine.PLACE_CATEGORY.items()
                                                          if cat == category]}, then=Value(category))
             for category in (engine.FOSTERING, engine.RESIDENTIAL, engine.SUPPORTED)]
    return Case(*whens, default=Value(engine.OTHER), output_field=CharField())


def unit_costs(*, as_of: date) -> dict[str, dict]:
    """Weekly cost per child by category: set by hand where someone has, else the average weekly cost of the
    placements in place on the day that have cost lines in force (two queries)."""
    from placements.models import CostLine

    from .models import UnitCost, UnitCostSource

    worked_out = {
        row["category"]: row
        for row in CostLine.objects.in_force_on(as_of)
        .filter(covering_q(as_of, "placement__"))
        .annotate(category=category_expression("placement__"))
        .values("category")
        .annotate(total=Sum("weekly_amount"), placements=Count("placement", distinct=True))
        .order_by()
    }
    by_hand = {cost.category: cost for cost in UnitCost.objects.select_related("set_by")}
    out = {}
    for category in engine.CATEGORIES:
        if category in by_hand:
            cost = by_hand[category]
            out[category] = {"weekly": cost.weekly_cost, "source": UnitCostSource.SET_BY_HAND.label,
                             "note": cost.source_note, "placements": None, "set_by": cost.set_by}
            continue
        row = worked_out.get(category)
        weekly = (row["total"] / row["placements"]).quantize(Decimal("0.01")) if row and row["placements"] else None
        out[category] = {"weekly": weekly, "source": UnitCostSource.COST_LINES.label,
                         "note": f"Average of {row['placements']} placements' cost lines in force on "
                                 f"{as_of:%d/%m/%Y}" if row else "No placement in this category has a cost line",
                         "placements": row["placements"] if row else 0, "set_by": None}
    return out


def medium_term_projection(*, as_of: date) -> dict | None:
    """Spend by financial year for the next five years from the latest forecast and today's unit costs: the
    figure the budget pages show as the medium-term projection (three queries)."""
    from .costs import spend_by_year

    run = latest_forecast()
    if run is None:
        return None
    costs = unit_costs(as_of=as_of)
    weekly = {c: costs[c]["weekly"] or Decimal("0") for c in engine.CATEGORIES}
    return {"run": run, "costs": costs, "years": spend_by_year(run.result["baseline"], weekly)}
