"""Reads for KPIs: annotated querysets, no per-row queries."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from core.registry import registry

from .models import Benchmark, Indicator, Measurement, Status, Target

STATUS_ORDER = [Status.RED, Status.AMBER, Status.GREEN, Status.NO_DATA, Status.NO_TARGET]
VALUES_PER_PAGE = 50
# The KPI page's chart shows the latest values only (10 years of a monthly KPI), so the page stays
# the same size however long a KPI has been measured; the table pages through the rest.
CHART_VALUES = 120


def indicators_with_latest(*, owner=None, include_inactive: bool = False) -> QuerySet[Indicator]:
    """Indicators with their latest measurement annotated: latest_period_end, latest_value, latest_status,
    latest_direction (latest_status is 'no_data' when an indicator has no measurement at all).

    The latest measurement is kept on the indicator by the status recompute, so this is one join.
    """
    qs = Indicator.objects.select_related("theme", "owner").annotate(
        latest_period_end=F("latest_measurement__period_end"),
        latest_value=F("latest_measurement__value"),
        latest_numerator=F("latest_measurement__numerator"),
        latest_denominator=F("latest_measurement__denominator"),
        latest_status=Coalesce(F("latest_measurement__status"), Value(Status.NO_DATA.value)),
        latest_direction=Coalesce(F("latest_measurement__direction"), Value("unknown")),
    )
    if not include_inactive:
        qs = qs.filter(active=True)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("code")


def outcome_kpis_prefetch() -> list[Prefetch]:
    """An outcome's active KPIs with their latest status, as `outcome.kpis` (one query for all outcomes)."""
    return [Prefetch("indicators", queryset=indicators_with_latest().order_by("code"), to_attr="kpis")]


def responsible_for(user) -> Q:
    """KPIs a person answers for: those they own, and those in a theme they lead or serving an outcome
    they own. (Outcomes by subquery, so a KPI serving two of their outcomes counts once.)"""
    return (
        Q(owner=user)
        | Q(theme__lead=user)
        | Q(pk__in=Indicator.outcomes.through.objects.filter(outcome__owner=user).values("indicator_id"))
    )


def red_indicators(*, responsible=None) -> QuerySet[Indicator]:
    qs = indicators_with_latest().filter(latest_status=Status.RED)
    return qs.filter(responsible_for(responsible)) if responsible is not None else qs


def status_counts(queryset) -> list[tuple[str, str, int]]:
    """[(status, label, count)] for every status in RAG order, for an indicators_with_latest queryset."""
    grouped = queryset.order_by().values("latest_status").annotate(n=Count("pk"))
    found = {row["latest_status"]: row["n"] for row in grouped}
    return [(s.value, s.label, found.get(s.value, 0)) for s in STATUS_ORDER]


def indicator_detail(*, pk) -> Indicator:
    """One indicator with its targets, outcomes and contracts; its values come from indicator_values()."""
    return (
        Indicator.objects.select_related("theme", "owner")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("starts_on")),
            "outcomes__age_band",
            *registry.panel_prefetches("kpis.indicator", "summary"),
        )
        .get(pk=pk)
    )


def indicator_values(*, indicator: Indicator, page=None) -> tuple[Page, list[Measurement], list[Benchmark]]:
    """One page of an indicator's values (newest first), the latest CHART_VALUES values for its chart
    (oldest first), and the benchmarks for periods up to the latest either shows (a benchmark target follows the
    latest benchmark published up to a value's period): four queries whatever the number of values.

    `page` is the raw ?page= text; anything that is not a page number gives the first or last page.
    """
    newest_first = indicator.measurements.select_related("entered_by", "approved_by").order_by("-period_end")
    values_page = Paginator(newest_first, VALUES_PER_PAGE).get_page(page)
    chart = list(indicator.measurements.order_by("-period_end")[:CHART_VALUES])[::-1]
    shown = [m.period_end for m in values_page] + [m.period_end for m in chart]
    benchmarks = list(indicator.benchmarks.filter(period_end__lte=max(shown)).order_by("period_end", "source")
                      ) if shown else []
    return values_page, chart, benchmarks


def value_with_its_context(*, measurement: Measurement, count: int = 4) -> tuple[list[Measurement], list[Benchmark]]:
    """What a value's commentary explains: the value and those before it (`count` in all, newest first), and
    the benchmarks up to its period (a benchmark target is judged against them). Two queries."""
    indicator = measurement.indicator
    values = list(indicator.measurements.filter(period_end__lte=measurement.period_end).order_by("-period_end")[:count])
    benchmarks = list(indicator.benchmarks.filter(period_end__lte=measurement.period_end))
    return values, benchmarks


def status_rows(*, all_measurements: bool = False) -> list[dict]:
    """Rows for `kpi_status --json`: by code then period end."""
    if all_measurements:
        rows = Measurement.objects.order_by("indicator__code", "period_end").values_list(
            "indicator__code", "period_end", "value", "status", "direction"
        )
        return [_status_row(*r) for r in rows]
    rows = indicators_with_latest(include_inactive=True).values_list(
        "code", "latest_period_end", "latest_value", "latest_status", "latest_direction"
    )
    return [_status_row(*r) for r in rows if r[1] is not None]


def _status_row(code, period_end, value, status, direction) -> dict:
    return {
        "indicator": code,
        "period_end": period_end.isoformat() if period_end else None,
        "value": _plain(value),
        "status": status,
        "direction": direction,
    }


def _plain(value) -> str | None:
    """A Decimal as plain text without trailing zeros: 21.5000 -> '21.5', 85.0000 -> '85'."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def kpi_dashboard_rows() -> QuerySet[Indicator]:
    """The dashboard's rows: latest value/status/direction annotated; targets and the benchmarks for periods up to
    the latest prefetched (`latest_benchmarks`), so the target column gives its figures with no query per row."""
    return indicators_with_latest().prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("starts_on")),
        Prefetch("benchmarks", to_attr="latest_benchmarks", queryset=Benchmark.objects.filter(
            period_end__lte=F("indicator__latest_measurement__period_end"))),
    )



def measurements_awaiting_approval(*, approver=None) -> QuerySet[Measurement]:
    """Values (with their commentary) not yet signed off, oldest period first. A value with neither a figure nor
    commentary has nothing to approve. With `approver`: only those that person may approve (not their own)."""
    qs = (
        Measurement.objects.filter(approved_at__isnull=True, indicator__active=True)
        .exclude(value__isnull=True, commentary="")
        .select_related("indicator", "indicator__theme", "indicator__owner", "entered_by", "commentary_by")
        .order_by("period_end", "indicator__code")
    )
    if approver is not None:
        qs = qs.exclude(entered_by=approver).exclude(commentary_by=approver)
    return qs


def status_counts_by_theme() -> list[dict]:
    """For each theme with active KPIs, in the themes' order: its name, pk, total and [(status, label, count)] in
    RAG order. One query."""
    grouped = (indicators_with_latest().order_by().values("theme", "theme__name", "theme__order", "latest_status")
               .annotate(n=Count("pk")))
    themes: dict[int, dict] = {}
    for row in grouped:
        theme = themes.setdefault(row["theme"], {"pk": row["theme"], "name": row["theme__name"],
                                                 "order": row["theme__order"], "found": {}})
        theme["found"][row["latest_status"]] = row["n"]
    rows = []
    for theme in sorted(themes.values(), key=lambda t: (t["order"], t["name"])):
        counts = [(s.value, s.label, theme["found"].get(s.value, 0)) for s in STATUS_ORDER]
        rows.append({"pk": theme["pk"], "name": theme["name"], "counts": counts,
                     "total": sum(n for *_, n in counts)})
    return rows
