import csv
import io
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import outbox
from core.import_views import ImportUploadView

from . import imports, selectors, services
from .charts import trend_chart_svg
from .filters import IndicatorFilter
from .formatting import format_target, format_value
from .forms import MeasurementForm, TargetForm
from .models import BenchmarkSource, Indicator, Status
from .status import STATISTICAL_NEIGHBOURS, BenchmarkPoint, TargetRule, resolve_bounds, target_in_force
from .tables import IndicatorTable, direction_text, export_rows

EXPORT_FORMATS = ("csv", "xlsx")


class IndicatorListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """The KPI dashboard: filters, RAG counts, sortable table, CSV/XLSX export of the filtered rows."""

    permission_required = "kpis.view_indicator"
    template_name = "kpis/index.html"
    table_class = IndicatorTable
    filterset_class = IndicatorFilter
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.kpi_dashboard_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts for the rows the other filters select, so each count links to that status within them.
        params = self.request.GET.copy()
        for key in ("status", "page", "sort", "export"):
            params.pop(key, None)
        others = IndicatorFilter(params, queryset=selectors.indicators_with_latest())
        base = others.qs if others.is_valid() else selectors.indicators_with_latest().none()
        counts = []
        for status, label, count in selectors.status_counts(base):
            query = params.copy()
            query["status"] = status
            counts.append({"status": status, "label": label, "count": count, "query": query.urlencode()})
        export = self.request.GET.copy()
        export.pop("page", None)
        context.update(
            rag_counts=counts, crumbs=[("KPIs", None)], total=self.object_list.count(),
            export_query=export.urlencode(),
            can_import=self.request.user.has_perm("kpis.add_indicator"),
        )
        return context

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return export_response(list(context["table"].data), fmt)
        return super().render_to_response(context, **kwargs)


def export_response(indicators, fmt: str) -> HttpResponse:
    header, rows = export_rows(indicators)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else _csv_safe(v) for v in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kpis-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KPIs")
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kpis-{stamp}.xlsx"'
    return response


def _csv_safe(value):
    # Stop a cell being read as a formula by a spreadsheet (CSV injection).
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _xlsx_safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class IndicatorMixin:
    """Fetch the indicator named in the URL, or 404."""

    def get_indicator(self) -> Indicator:
        if not hasattr(self, "_indicator"):
            try:
                self._indicator = selectors.indicator_detail(pk=self.kwargs["pk"])
            except Indicator.DoesNotExist as exc:
                raise Http404("No such KPI") from exc
        return self._indicator


class IndicatorDetailView(PermissionRequiredMixin, IndicatorMixin, TemplateView):
    permission_required = "kpis.view_indicator"
    template_name = "kpis/detail.html"

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        context = super().get_context_data(**kwargs)
        context.update(indicator_page_context(indicator))
        context["crumbs"] = [("KPIs", reverse("kpis:index")), (indicator.code, None)]
        context["can_enter"] = self.request.user.has_perm("kpis.add_measurement")
        context["can_set_target"] = self.request.user.has_perm("kpis.add_target")
        return context


def _rule(t) -> TargetRule:
    return TargetRule(t.kind, t.starts_on, t.value, t.upper, t.benchmark_source, t.tolerance)


def indicator_page_context(indicator: Indicator) -> dict:
    """Everything the KPI page and the report section show for one indicator (prefetched, no queries)."""
    targets = list(indicator.targets.all())
    rules = [_rule(t) for t in targets]
    benchmarks = list(indicator.benchmarks.all())
    bench_map = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum) for b in benchmarks}
    by_period = defaultdict(dict)
    for b in benchmarks:
        by_period[b.period_end][b.source] = b
    measurements = list(indicator.measurements.all())
    fmt = {"unit": indicator.unit, "decimals": indicator.decimals}
    rows = []
    target_line, upper_line = [], []
    for m in measurements:
        rule = target_in_force(rules, m.period_end)
        bounds = resolve_bounds(rule, m.period_end, bench_map) if rule else None
        target = targets[rules.index(rule)] if rule else None
        if bounds:
            target_line.append((m.period_end, bounds[1]))
            if bounds[2] is not None:
                upper_line.append((m.period_end, bounds[2]))
        bench = by_period.get(m.period_end, {})
        rows.append({
            "m": m, "value": format_value(m.value, **fmt),
            "target": format_target(target) if target else "None set",
            "target_value": _bounds_text(bounds, fmt),
            "benchmarks": {s: format_value(b.value, **fmt) for s, b in bench.items() if b.value is not None},
            "status": m.status, "direction": direction_text(m.direction),
        })
    # The benchmark line: the one the target follows, else England, else whatever exists.
    followed = next((t.benchmark_source for t in reversed(targets) if t.benchmark_source), "")
    sources = {b.source for b in benchmarks}
    line_source = followed if followed in sources else next(
        (s for s in (BenchmarkSource.ENGLAND, BenchmarkSource.STATISTICAL_NEIGHBOURS, BenchmarkSource.REGION)
         if s in sources), None)
    bench_line = [(b.period_end, b.value) for b in benchmarks if b.source == line_source and b.value is not None]
    chart = trend_chart_svg(
        [(m.period_end, m.value) for m in measurements],
        target=target_line or None, target_upper=upper_line or None, benchmark=bench_line or None,
        benchmark_label=f"{BenchmarkSource(line_source).label} benchmark" if line_source else "Benchmark",
        title=f"{indicator.code} {indicator.name}: trend", unit="%" if indicator.unit == "percentage" else "",
        decimals=indicator.decimals,
    )
    latest = measurements[-1] if measurements else None
    current = target_in_force(rules, timezone.localdate())
    return {
        "indicator": indicator, "targets": targets, "rows": rows, "rows_newest_first": rows[::-1],
        "chart": chart, "latest": latest, "latest_value": format_value(latest.value, **fmt) if latest else "No data",
        "latest_status": latest.status if latest else Status.NO_DATA,
        "latest_direction": direction_text(latest.direction) if latest else "Unknown",
        "current_target": format_target(targets[rules.index(current)]) if current else "None set",
        "benchmark_sources": [s for s in BenchmarkSource if s in sources],
        "line_source": line_source, "statistical_neighbours": STATISTICAL_NEIGHBOURS,
        "line_label": BenchmarkSource(line_source).label if line_source else "",
    }


def _bounds_text(bounds, fmt) -> str:
    if not bounds:
        return ""
    rule, x, y = bounds
    if rule == "between":
        return f"{format_value(x, **fmt)} to {format_value(y, **fmt)}"
    return ("≥ " if rule == "at_least" else "≤ ") + format_value(x, **fmt)


class MeasurementCreateView(PermissionRequiredMixin, IndicatorMixin, FormView):
    """Enter (or correct) the value for one period."""

    permission_required = "kpis.add_measurement"
    template_name = "kpis/measurement_form.html"
    form_class = MeasurementForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"indicator": self.get_indicator()}

    def form_valid(self, form):
        indicator = self.get_indicator()
        data = form.cleaned_data
        try:
            with outbox.watch() as sending:
                measurement = services.measurement_record(
                    indicator=indicator, period_end=data["period_end"], value=data["value"],
                    numerator=data["numerator"], denominator=data["denominator"], note=data["note"],
                    user=self.request.user,
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"{indicator.code}: value for the period ending "
                                       f"{measurement.period_end:%d %B %Y} saved.")
        if sending.failed:
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job="The KPI's status"))
        return redirect(indicator.get_absolute_url())

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        return super().get_context_data(
            indicator=indicator, existing=[m.period_end for m in indicator.measurements.all()][-6:],
            crumbs=[("KPIs", reverse("kpis:index")), (indicator.code, indicator.get_absolute_url()),
                    ("Enter a value", None)],
            **kwargs,
        )


class TargetCreateView(PermissionRequiredMixin, IndicatorMixin, FormView):
    permission_required = "kpis.add_target"
    template_name = "kpis/target_form.html"
    form_class = TargetForm

    def form_valid(self, form):
        indicator = self.get_indicator()
        data = form.cleaned_data
        try:
            services.target_set(
                indicator=indicator, starts_on=data["starts_on"], kind=data["kind"], value=data["value"],
                upper=data["upper"], benchmark_source=data["benchmark_source"], tolerance=data["tolerance"],
                user=self.request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"{indicator.code}: target from {data['starts_on']:%d %B %Y} saved.")
        return redirect(indicator.get_absolute_url())

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        return super().get_context_data(
            indicator=indicator,
            crumbs=[("KPIs", reverse("kpis:index")), (indicator.code, indicator.get_absolute_url()),
                    ("Set a target", None)],
            **kwargs,
        )


def _import_view(kind: str, title: str, permission: str):
    importer, columns, optional = imports.IMPORTERS[kind]
    return type(
        f"Import{kind.title()}View", (ImportUploadView,), {
            "permission_required": permission, "title": title, "columns": columns, "optional_columns": optional,
            "importer": staticmethod(importer), "success_url": reverse_lazy("kpis:index"),
            "breadcrumbs": [("KPIs", reverse_lazy("kpis:index")), (title, None)],
        },
    )


ImportIndicatorsView = _import_view("indicators", "Import KPIs (indicators)", "kpis.add_indicator")
ImportTargetsView = _import_view("targets", "Import KPI targets", "kpis.add_target")
ImportMeasurementsView = _import_view("measurements", "Import KPI values (measurements)", "kpis.add_measurement")
ImportBenchmarksView = _import_view("benchmarks", "Import KPI benchmarks", "kpis.add_benchmark")
