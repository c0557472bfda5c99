"""Reads for the finance view. The forecast is one definition, computed by the database.

A placement costs, for each night from its start up to but not including its end (an open
placement: to the end of the financial year), the weekly cost in force that day divided by 7. The
weekly cost on a day is the sum of the in-force cost lines covering it (a line covers
effective_from to effective_to, both included). So the money a cost line adds to a placement in
a stretch of nights is weekly_amount x (nights where the line, the placement and the stretch
overlap) / 7: the database works out each overlap from the dates, never day by day.

As at D, actual to date is the nights from 1 April to D, D included; committed is the nights
after D to 31 March (see rules.buckets). Each placement's two sums are rounded to pence before
they are added up by budget line. Cost lines awaiting approval count in neither; they are shown
beside their line as a weekly amount.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from contracts.models import Contract
from contracts.models import ProviderKind as ContractProviderKind
from core.periods import financial_year_bounds, financial_year_name
from placements.models import CostKind, CostLine, CostStatus, Placement, PlacementCategory, ProviderKind, Route

from . import rules
from .models import BudgetLine, ForecastSnapshot

MONEY = DecimalField(max_digits=16, decimal_places=2)
WEEKS_A_YEAR = Decimal("52")


class DayNumber(Func):
    """A date as a whole number of days, so the database can subtract dates the same way everywhere."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '2000-01-01')", **extra)


def _day(value: date):
    return DayNumber(Value(value, output_field=DateField()))


def provision_expression(prefix: str = ""):
    """In-house when the route or the provider is in-house, or the 903 provider is the council's own (PR1).

    A DfE other placement (PLACE Z1, Z11-Z14) has no 903 provider kind: it is external unless its route or
    provider is in-house (a return brings it in as a spot purchase), so with its PLACE category, Other, its
    cost goes to the line for other placements bought externally, else other placements of any provision,
    else Unbudgeted (rules.line_for)."""
    return Case(
        When(Q(**{f"{prefix}route": Route.IN_HOUSE}) | Q(**{f"{prefix}provider__kind": ContractProviderKind.IN_HOUSE})
             | Q(**{f"{prefix}provider_kind__kind": ProviderKind.OWN_COUNCIL}), then=Value("in_house")),
        default=Value("external"), output_field=CharField(),
    )


def in_year(year: int) -> Q:
    start, last = financial_year_bounds(year)
    return Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gt=start))


def _nights(first: date, stop: date):
    """Nights in [first, stop) that the cost line at cost_lines__ and its placement both cover."""
    lo = Greatest(DayNumber(F("start")), DayNumber(F("cost_lines__effective_from")), _day(first))
    hi = Least(
        Coalesce(DayNumber(F("end")), _day(stop)),
        Coalesce(DayNumber(F("cost_lines__effective_to")) + 1, _day(stop)),
        _day(stop),
    )
    return Greatest(hi - lo, Value(0))


def _cost_in(first: date, stop: date):
    in_force = Q(cost_lines__status=CostStatus.IN_FORCE, cost_lines__effective_from__lt=stop) & (
        Q(cost_lines__effective_to__isnull=True) | Q(cost_lines__effective_to__gte=first)
    )
    return Sum(ExpressionWrapper(F("cost_lines__weekly_amount") * _nights(first, stop), output_field=MONEY),
               filter=in_force, output_field=MONEY)


def placement_costs(*, year: int, as_of: date, placements=None, weekly_now: bool = True):
    """One row per placement running in the year: category, provision, the unrounded actual and committed
    (weekly pounds x nights, still to be divided by 7), awaiting approval a week, and the weekly cost on `as_of`."""
    (a0, a1), (c0, c1) = rules.buckets(year, as_of)
    start, last = financial_year_bounds(year)
    awaiting = Q(cost_lines__status=CostStatus.AWAITING_APPROVAL, cost_lines__effective_from__lte=last) & (
        Q(cost_lines__effective_to__isnull=True) | Q(cost_lines__effective_to__gte=start)
    )
    on_day = Q(cost_lines__status=CostStatus.IN_FORCE, cost_lines__effective_from__lte=as_of) & (
        Q(cost_lines__effective_to__isnull=True) | Q(cost_lines__effective_to__gte=as_of)
    )
    queryset = placements if placements is not None else Placement.objects.all()
    sums = {
        "actual_raw": _cost_in(a0, a1),
        "committed_raw": _cost_in(c0, c1),
        "awaiting": Sum("cost_lines__weekly_amount", filter=awaiting, output_field=MONEY),
    }
    if weekly_now:
        sums["weekly_now"] = Sum("cost_lines__weekly_amount", filter=on_day, output_field=MONEY)
    return (
        queryset.filter(in_year(year))
        .annotate(category=F("placement_type__category"), provision=provision_expression())
        .order_by()
        .values("pk", "child_id", "category", "provision")
        .annotate(**sums)
    )


# The per-placement rounding, in SQL: the same text for the totals and for the lists of placements.
_ROUNDED = (
    "ROUND(COALESCE(t.actual_raw, 0) / 7.0, 2) AS actual, ROUND(COALESCE(t.committed_raw, 0) / 7.0, 2) AS committed, "
    "COALESCE(t.awaiting, 0) AS awaiting"
)
_COSTS_SOMETHING = (
    "(COALESCE(t.actual_raw, 0) <> 0 OR COALESCE(t.committed_raw, 0) <> 0 OR COALESCE(t.awaiting, 0) <> 0)"
)


def _pounds(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(rules.PENNY)


def _line_expression(keys) -> tuple[str, list]:
    """SQL CASE giving each (category, provision) its budget line code, as rules.line_for does."""
    whens, params = [], []
    for category in PlacementCategory.values:
        for provision in ("in_house", "external"):
            whens.append("WHEN r.category = %s AND r.provision = %s THEN %s")
            params += [category, provision, rules.line_for(category, provision, keys)]
    return f"CASE {' '.join(whens)} ELSE %s END", [*params, rules.UNBUDGETED]


def _line_totals(*, year: int, as_of: date, keys) -> list[dict]:
    """Per budget line code: placements, children, actual, committed and awaiting approval, in one query."""
    sql, params = placement_costs(year=year, as_of=as_of, weekly_now=False).query.sql_with_params()
    case, case_params = _line_expression(keys)
    # Django's own SQL and fixed text; every value is a parameter.
    outer = (
        f"SELECT {case} AS code, COUNT(*), COUNT(DISTINCT r.child_id), SUM(r.actual), SUM(r.committed), "  # noqa: S608
        f"SUM(r.awaiting) FROM (SELECT t.child_id, t.category, t.provision, {_ROUNDED} FROM ({sql}) t "
        f"WHERE {_COSTS_SOMETHING}) r GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, [*case_params, *params])
        rows = cursor.fetchall()
    return [
        {"code": code, "placements": n, "children": k, "actual": _pounds(a), "committed": _pounds(m),
         "awaiting": _pounds(w)}
        for code, n, k, a, m, w in rows
    ]


def placement_rows(*, year: int, as_of: date, placements=None) -> list[dict]:
    """Per placement (costing something in the year): the rounded actual, committed and forecast."""
    sql, params = placement_costs(year=year, as_of=as_of, placements=placements).query.sql_with_params()
    outer = (f"SELECT t.pk, t.category, t.provision, {_ROUNDED}, COALESCE(t.weekly_now, 0) "  # noqa: S608
             f"FROM ({sql}) t WHERE {_COSTS_SOMETHING}")
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    result = []
    for pk, category, provision, actual, committed, awaiting, weekly in rows:
        actual, committed = _pounds(actual), _pounds(committed)
        result.append({"pk": pk, "category": category, "provision": provision, "actual": actual,
                       "committed": committed, "forecast": actual + committed, "awaiting": _pounds(awaiting),
                       "weekly_now": _pounds(weekly)})
    return result


@dataclass
class ForecastLine:
    code: str
    name: str
    budget: Decimal
    savings_target: Decimal
    category: str = ""
    provision: str = ""
    actual_to_date: Decimal = Decimal("0.00")
    committed: Decimal = Decimal("0.00")
    awaiting_weekly: Decimal = Decimal("0.00")
    placements: int = 0
    children: int = 0
    is_placements: bool = True
    rag: str = "green"

    @property
    def forecast(self) -> Decimal:
        if not self.is_placements:
            return self.budget  # the product knows only placements' costs: other lines are taken as on budget
        return self.actual_to_date + self.committed

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.budget

    def as_json(self) -> dict:
        return {
            "code": self.code, "name": self.name, "budget": rules.money(self.budget),
            "actual_to_date": rules.money(self.actual_to_date), "committed": rules.money(self.committed),
            "forecast": rules.money(self.forecast), "variance": rules.money(self.variance),
            "savings_target": rules.money(self.savings_target),
        }


@dataclass
class Forecast:
    year: int
    as_of: date
    lines: list[ForecastLine]

    @property
    def year_label(self) -> str:
        return financial_year_name(self.year)

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), Decimal("0.00"))

    @property
    def budget(self):
        return self.total("budget")

    @property
    def actual_to_date(self):
        return self.total("actual_to_date")

    @property
    def committed(self):
        return self.total("committed")

    @property
    def forecast(self):
        return self.total("forecast")

    @property
    def variance(self):
        return self.forecast - self.budget

    @property
    def savings_target(self):
        return self.total("savings_target")

    @property
    def overspending(self) -> list[ForecastLine]:
        return [line for line in self.lines if line.variance > 0]

    def line(self, code: str) -> ForecastLine | None:
        return next((line for line in self.lines if line.code == code), None)


def amber_pct() -> Decimal:
    return Decimal(str(settings.FINANCE_AMBER_OVERSPEND_PCT))


def budget_lines(year: int) -> list[ForecastLine]:
    return [
        ForecastLine(code=b.code, name=b.name, budget=b.amount, savings_target=b.savings_target,
                     category=b.placement_category, provision=b.provision, is_placements=bool(b.placement_category))
        for b in BudgetLine.objects.filter(financial_year=year).order_by("code")
    ]


def data_version() -> tuple:
    """The last change to anything the forecast reads, from the history every write leaves. One query."""
    from contracts.models import Provider
    from placements.models import PlacementProvider, PlacementType

    models = [CostLine, Placement, BudgetLine, PlacementType, PlacementProvider, Provider]
    tables = [model.history.model._meta.db_table for model in models]
    # Table names from the models, quoted; no value comes from outside.
    parts = [f"(SELECT MAX(history_id) FROM {connection.ops.quote_name(t)})" for t in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _line_totals_cached(*, year: int, as_of: date, keys) -> list[dict]:
    """The line totals, kept in the cache until anything they read changes (or for FINANCE_FORECAST_CACHE_SECONDS)."""
    seconds = settings.FINANCE_FORECAST_CACHE_SECONDS
    if not seconds:
        return _line_totals(year=year, as_of=as_of, keys=keys)
    digest = hashlib.sha256(repr((year, as_of, sorted(keys.items()), data_version())).encode()).hexdigest()
    key = f"finance:line-totals:{digest}"
    found = cache.get(key)
    if found is None:
        found = _line_totals(year=year, as_of=as_of, keys=keys)
        cache.set(key, found, seconds)
    return found


def forecast(*, year: int, as_of: date) -> Forecast:
    """Every budget line of the year (and Unbudgeted, when anything falls outside them), sorted by code.

    Three queries, or two when the totals are in the cache."""
    lines = budget_lines(year)
    keys = rules.line_keys((line.code, line.category, line.provision) for line in lines)
    by_code = {line.code: line for line in lines}
    unbudgeted = ForecastLine(code=rules.UNBUDGETED, name=rules.UNBUDGETED_NAME, budget=Decimal("0.00"),
                              savings_target=Decimal("0.00"))
    for group in _line_totals_cached(year=year, as_of=as_of, keys=keys):
        line = by_code.get(group["code"]) or unbudgeted
        line.actual_to_date = group["actual"]
        line.committed = group["committed"]
        line.awaiting_weekly = group["awaiting"]
        line.placements = group["placements"]
        line.children = group["children"]
    if unbudgeted.placements:
        lines.append(unbudgeted)
    pct = amber_pct()
    for line in lines:
        line.rag = rules.rag(budget=line.budget, forecast=line.forecast, amber_pct=pct)
    lines.sort(key=lambda line: line.code)
    return Forecast(year=year, as_of=as_of, lines=lines)


def line_pairs(*, year: int, code: str) -> list[tuple[str, str]] | None:
    """The (category, provision) pairs whose placements belong to the line `code`; None when there is no such line."""
    rows = list(BudgetLine.objects.filter(financial_year=year).values_list("code", "placement_category", "provision"))
    if code != rules.UNBUDGETED and code not in {r[0] for r in rows}:
        return None
    keys = rules.line_keys(rows)
    return [(c, p) for c in PlacementCategory.values for p in ("in_house", "external")
            if rules.line_for(c, p, keys) == code]


def placements_for_line(*, year: int, code: str, as_of: date) -> list[dict] | None:
    """The placements behind a line with their forecast, largest first (child-level: check permission first)."""
    pairs = line_pairs(year=year, code=code)
    if pairs is None:
        return None
    if not pairs:
        return []
    match = Q()
    for category, provision in pairs:
        match |= Q(placement_type__category=category, provision=provision)
    chosen = Placement.objects.annotate(provision=provision_expression()).filter(match).values("pk")
    return _with_placements(placement_rows(year=year, as_of=as_of, placements=Placement.objects.filter(pk__in=chosen)))


def _with_placements(rows: list[dict]) -> list[dict]:
    found = Placement.objects.select_related("child", "placement_type", "provider_kind", "provider").in_bulk(
        [r["pk"] for r in rows]
    )
    for row in rows:
        row["placement"] = found[row["pk"]]
    rows.sort(key=lambda r: (-r["forecast"], r["placement"].child.reference))
    return rows


def high_cost_placements(*, year: int, as_of: date, level: Decimal | None = None) -> list[dict]:
    """Placements running on `as_of` whose weekly cost then is at or above the high-cost level, with their forecast."""
    level = Decimal(str(settings.FINANCE_HIGH_COST_LIST_WEEKLY)) if level is None else level
    keys = rules.line_keys(BudgetLine.objects.filter(financial_year=year)
                           .values_list("code", "placement_category", "provision"))
    running = Placement.objects.active_on(as_of)
    rows = [r for r in placement_rows(year=year, as_of=as_of, placements=running) if r["weekly_now"] >= level]
    for row in rows:
        row["line"] = rules.line_for(row["category"], row["provision"], keys)
    return _with_placements(rows)


# --- savings -------------------------------------------------------------------------------------

def savings(*, year: int) -> dict:
    """Savings targets against savings delivered: cost reductions in force from within the year, annualised
    (52 weeks), by budget line; and the savings negotiated on contracts running in the year."""
    start, last = financial_year_bounds(year)
    lines = budget_lines(year)
    keys = rules.line_keys((line.code, line.category, line.provision) for line in lines)
    reductions = (
        CostLine.objects.filter(status=CostStatus.IN_FORCE, weekly_amount__lt=0, effective_from__gte=start,
                                effective_from__lte=last, kind__in=[CostKind.REDUCTION, CostKind.OTHER])
        .annotate(category=F("placement__placement_type__category"), provision=provision_expression("placement__"))
        .order_by().values("category", "provision").annotate(weekly=Sum("weekly_amount"), n=Count("pk"))
    )
    delivered: dict[str, Decimal] = {}
    changes: dict[str, int] = {}
    for row in reductions:
        code = rules.line_for(row["category"], row["provision"], keys)
        delivered[code] = delivered.get(code, Decimal("0")) - _pounds(row["weekly"]) * WEEKS_A_YEAR
        changes[code] = changes.get(code, 0) + row["n"]
    rows = []
    for line in lines:
        rows.append({"code": line.code, "name": line.name, "target": line.savings_target,
                     "delivered": delivered.pop(line.code, Decimal("0.00")), "changes": changes.get(line.code, 0)})
    if delivered.get(rules.UNBUDGETED):
        rows.append({"code": rules.UNBUDGETED, "name": rules.UNBUDGETED_NAME, "target": Decimal("0.00"),
                     "delivered": delivered[rules.UNBUDGETED], "changes": changes.get(rules.UNBUDGETED, 0)})
    contracts = Contract.objects.filter(start_date__lte=last, current_end__gte=start, savings__gt=0)
    contract_figures = contracts.aggregate(total=Sum("savings"), n=Count("pk"))
    from_costs = sum((r["delivered"] for r in rows), Decimal("0.00"))
    contract_total = contract_figures["total"] or Decimal("0.00")
    target = sum((r["target"] for r in rows), Decimal("0.00"))
    return {
        "year": year, "rows": rows, "target": target, "from_costs": from_costs,
        "from_contracts": contract_total, "contracts": contract_figures["n"],
        "delivered": from_costs + contract_total, "gap": target - from_costs - contract_total,
    }


# --- KPI figures -----------------------------------------------------------------------------------

def average_weekly_cost_by_category(day: date) -> dict[str, tuple[Decimal, int]]:
    """{category: (average weekly cost, placements)} over placements running on `day` with a cost in force."""
    rows = (
        CostLine.objects.in_force_on(day).filter(placement__in=Placement.objects.active_on(day).values("pk"))
        .order_by().values("placement__placement_type__category")
        .annotate(total=Sum("weekly_amount"), n=Count("placement", distinct=True))
    )
    return {
        r["placement__placement_type__category"]: ((_pounds(r["total"]) / r["n"]).quantize(rules.PENNY), r["n"])
        for r in rows if r["n"]
    }


def years_with_budgets() -> list[int]:
    return list(BudgetLine.objects.order_by("-financial_year").values_list("financial_year", flat=True).distinct())


def snapshots(*, year: int) -> list[ForecastSnapshot]:
    return list(ForecastSnapshot.objects.filter(financial_year=year).order_by("as_of", "code"))
