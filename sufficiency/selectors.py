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


def scenario_ids() -> set[int]:
    """The scenarios still saved (a stored run may name one deleted since). One query."""
    from .models import Scenario

    return set(Scenario.objects.values_list("pk", flat=True))


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


# --- supply: the Ofsted register, own provision, where children are placed now ------------------------------

# Ofsted's provider types by the forecast's categories. Fostering agencies are registered without places.
OFSTED_TYPE_CATEGORY = {
    "children's home": engine.RESIDENTIAL,
    "independent fostering agency": engine.FOSTERING,
    "supported accommodation": engine.SUPPORTED,
}


def ofsted_category(provider_type: str) -> str:
    return OFSTED_TYPE_CATEGORY.get((provider_type or "").strip().lower().replace("\u2019", "'"), engine.OTHER)


def _authority_centres() -> dict[str, tuple[float, float]]:
    """Each local authority's centre: the mean of its postcode districts' centroids (one query)."""
    from django.db.models import Avg

    from placements.models import PostcodeDistrict

    return {
        row["local_authority"].strip().lower(): (float(row["lat"]), float(row["lon"]))
        for row in PostcodeDistrict.objects.exclude(local_authority="").values("local_authority")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude")).order_by()
    }


def _miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def supply(*, as_of: date) -> dict:
    """Places and settings by category: in the council's area, and within 20 miles (in authorities whose centre
    is within 20 miles of the council's: Ofsted's register gives a setting's authority, not its address); the
    council's own settings; and where the children looked after on the day are placed. Four queries."""
    from django.conf import settings
    from django.db.models import Q

    from market.models import OfstedSetting, is_registration_active
    from placements.selectors import looked_after_placements

    home = settings.PLACEMENTS_LOCAL_AUTHORITY.strip().lower()
    threshold = settings.PLACEMENTS_DISTANCE_THRESHOLD_MILES
    centres = _authority_centres()
    near = {la for la, centre in centres.items() if home in centres and _miles(centres[home], centre) <= threshold}
    near.add(home)
    rows = {c: {"category": c, "label": engine.CATEGORY_LABELS[c], "settings_in_area": 0, "places_in_area": 0,
                "settings_near": 0, "places_near": 0, "own_settings": 0, "own_places": 0}
            for c in engine.CATEGORIES}
    registered = OfstedSetting.objects.values_list("provider_type", "local_authority", "places",
                                                   "registration_status", "provider__kind").order_by()
    for provider_type, authority, places, status, provider_kind in registered:
        if not is_registration_active(status):
            continue
        row = rows[ofsted_category(provider_type)]
        authority = (authority or "").strip().lower()
        places = places or 0
        if authority == home:
            row["settings_in_area"] += 1
            row["places_in_area"] += places
        if authority in near:
            row["settings_near"] += 1
            row["places_near"] += places
        if provider_kind == "in_house":
            row["own_settings"] += 1
            row["own_places"] += places
    placed = (
        looked_after_placements(as_of).annotate(category=category_expression()).values("category")
        .annotate(children=Count("pk"), inside=Count("pk", filter=Q(in_area=True)),
                  out_of_area=Count("pk", filter=Q(in_area=False)),
                  over_threshold=Count("pk", filter=Q(distance_miles__gt=threshold)),
                  own_provision=Count("pk", filter=Q(provider_kind__kind="own_council")))
        .order_by()
    )
    counted = ("children", "inside", "out_of_area", "over_threshold", "own_provision")
    for row in placed:
        rows[row["category"]].update({k: row[k] for k in counted})
    for row in rows.values():
        for key in counted:
            row.setdefault(key, 0)
    return {"as_of": as_of, "threshold": threshold, "authority": settings.PLACEMENTS_LOCAL_AUTHORITY,
            "rows": [rows[c] for c in engine.CATEGORIES], "near_authorities": len(near)}


def sufficiency_gaps(*, as_of: date) -> dict:
    """Forecast need against local supply by category: children forecast in one and five years beside the places
    within 20 miles (fostering agencies have no places on the register, so fostering compares with the children
    in fostering placed within 20 miles now). Five queries."""
    run = latest_forecast()
    figures = supply(as_of=as_of)
    months = run.result["baseline"] if run else []
    one_year = months[11] if len(months) >= 12 else (months[-1] if months else None)
    five_years = months[-1] if months else None
    for row in figures["rows"]:
        category = row["category"]
        row["need_1"] = one_year[category] if one_year else None
        row["need_5"] = five_years[category] if five_years else None
        local = row["places_near"] if category in (engine.RESIDENTIAL, engine.SUPPORTED) else (
            row["children"] - row["over_threshold"])
        row["local_supply"] = local
        row["gap_1"] = None if row["need_1"] is None else row["need_1"] - local
        row["gap_5"] = None if row["need_5"] is None else row["need_5"] - local
    figures.update(run=run, one_year=one_year, five_years=five_years)
    return figures
