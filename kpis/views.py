import csv
import io

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.formatting import spreadsheet_safe
from core.import_views import ImportRecordListView, ImportUploadView, WorkbookUploadForm
from core.imports import read_sheets
from core.periods import parse_as_of
from core.roles import COMMITTEE_OFFICER, sees_small_numbers, user_roles
from core.suppression import MARKER
from core.views import ServiceFormView

from . import framework, imports, selectors, services
from .filters import IndicatorFilter
from .formatting import describe_indicator_target, format_indicator_value, hides_small_count
from .forms import ApprovalForm, CommentaryForm, MeasurementForm, TargetForm
from .models import Indicator, Measurement, Status
from .periods import period_label, period_name
from .presenters import indicator_page
from .status import BenchmarkPoint, target_in_force
from .tables import IndicatorTable, export_rows

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

    def get_table_kwargs(self):
        # Committee officers and viewers see counts of 1 to 5 children as [c], as every download does.
        return {"suppress_small_counts": not sees_small_numbers(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts of the rows shown (every filter applied); each links to that status within the other filters.
        params = self.request.GET.copy()
        for key in ("status", "page", "sort", "export"):
            params.pop(key, None)
        shown = IndicatorFilter(self.request.GET, queryset=selectors.indicators_with_latest())
        base = shown.qs if shown.is_valid() else selectors.indicators_with_latest().none()
        counts = []
        for status, label, count in selectors.status_counts(base):
            query = params.copy()
            query["status"] = status
            counts.append({"status": status, "label": label, "count": count, "query": query.urlencode()})
        export = self.request.GET.copy()
        export.pop("page", None)
        context.update(
            rag_counts=counts, crumbs=[("KPIs", None)], total=self.object_list.count(),
            suppresses_small_counts=context["table"].suppress_small_counts,
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
            writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kpis-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("KPIs")
    sheet.append(header)
    for row in rows:
        sheet.append([spreadsheet_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kpis-{stamp}.xlsx"'
    return response


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
        context.update(indicator_page(indicator, page=self.request.GET.get("page"),
                                      suppress_small_counts=not sees_small_numbers(self.request.user)))
        context["crumbs"] = [("KPIs", reverse("kpis:index")), (indicator.code, None)]
        context["can_enter"] = self.request.user.has_perm("kpis.add_measurement")
        context["can_set_target"] = self.request.user.has_perm("kpis.add_target")
        context["can_comment"] = services.can_write_commentary(user=self.request.user, indicator=indicator)
        context["can_approve"] = self.request.user.has_perm("kpis.approve_measurement")
        for row in context["rows"]:  # a value's author is not offered its approval
            row["own"] = self.request.user.pk in services.measurement_authors(row["m"])
        return context


class MeasurementCreateView(IndicatorMixin, ServiceFormView):
    """Enter (or correct) the value for one period."""

    permission_required = "kpis.add_measurement"
    template_name = "kpis/measurement_form.html"
    form_class = MeasurementForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"indicator": self.get_indicator(), "today": timezone.localdate()}

    def get_initial(self):
        """?period_end=2026-09-30 opens the form on that period, filled in with its value and commentary."""
        period_end = parse_as_of(self.request.GET.get("period_end"), default=None)
        if period_end is None:
            return {}
        m = self.get_indicator().measurements.filter(period_end=period_end).first()
        fields = ("value", "numerator", "denominator", "note", "commentary", "remedial_action")
        return {"period_end": period_end} | ({f: getattr(m, f) or "" for f in fields} if m else {})

    def save(self, form):
        data = form.cleaned_data
        self.with_commentary = bool(data["commentary"].strip())
        return services.measurement_enter(
            indicator=self.get_indicator(), period_end=data["period_end"], value=data["value"],
            numerator=data["numerator"], denominator=data["denominator"], note=data["note"],
            commentary=data["commentary"], remedial_action=data["remedial_action"], user=self.request.user,
        )

    def success_message(self, measurement):
        indicator = self.get_indicator()
        saved = "value and commentary" if self.with_commentary else "value"
        return (f"{indicator.code}, {period_name(measurement.period_end, indicator.frequency)}: {saved} for the "
                f"period ending {measurement.period_end:%d %B %Y} saved. Status: {Status(measurement.status).label}. "
                "It is provisional until someone else approves it.")

    def delayed_job(self, measurement):
        return "The KPI's status"

    def success_url_for(self, measurement):
        return self.get_indicator().get_absolute_url()

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        return super().get_context_data(
            indicator=indicator, existing=[m.period_end for m in indicator.measurements.all()][-6:],
            crumbs=[("KPIs", reverse("kpis:index")), (indicator.code, indicator.get_absolute_url()),
                    ("Enter a value", None)],
            **kwargs,
        )


class TargetCreateView(IndicatorMixin, ServiceFormView):
    permission_required = "kpis.add_target"
    template_name = "kpis/target_form.html"
    form_class = TargetForm

    def save(self, form):
        data = form.cleaned_data
        return services.target_set(
            indicator=self.get_indicator(), starts_on=data["starts_on"], kind=data["kind"], value=data["value"],
            upper=data["upper"], benchmark_source=data["benchmark_source"], tolerance=data["tolerance"],
            user=self.request.user,
        )

    def success_message(self, target):
        return f"{self.get_indicator().code}: target from {target.starts_on:%d %B %Y} saved."

    def success_url_for(self, target):
        return self.get_indicator().get_absolute_url()

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
            "area": "kpis", "kind": kind,
            "breadcrumbs": [("KPIs", reverse_lazy("kpis:index")), (title, None)],
        },
    )


ImportIndicatorsView = _import_view("indicators", "Import KPIs (indicators)", "kpis.add_indicator")
ImportTargetsView = _import_view("targets", "Import KPI targets", "kpis.add_target")
ImportMeasurementsView = _import_view("measurements", "Import KPI values (measurements)", "kpis.add_measurement")
ImportBenchmarksView = _import_view("benchmarks", "Import KPI benchmarks", "kpis.add_benchmark")


class ImportFrameworkView(ImportUploadView):
    """Outcomes, indicators, targets, benchmarks and measurements from one workbook, all or nothing."""

    permission_required = ("outcomes.add_outcome", "kpis.add_indicator", "kpis.add_measurement")
    title = "Import the outcomes framework and KPIs (one workbook)"
    form_class = WorkbookUploadForm
    area, kind = "kpis", "framework"
    sheets = list(framework.SHEETS)
    importer = staticmethod(framework.import_framework)
    success_url = reverse_lazy("kpis:index")
    breadcrumbs = [("KPIs", reverse_lazy("kpis:index")), ("Import the framework", None)]

    def read(self, data, name):
        return read_sheets(data, name)


class KpiImportRecordsView(ImportRecordListView):
    permission_required = "kpis.add_indicator"
    area = "kpis"
    title = "KPI imports"
    breadcrumbs = [("KPIs", reverse_lazy("kpis:index")), ("Imports", None)]


class MeasurementMixin(IndicatorMixin):
    """The indicator and one of its values named in the URL, or 404."""

    def get_measurement(self) -> Measurement:
        if not hasattr(self, "_measurement"):
            indicator = self.get_indicator()
            try:
                self._measurement = indicator.measurements.select_related(
                    "entered_by", "commentary_by", "approved_by").get(pk=self.kwargs["measurement_pk"])
            except Measurement.DoesNotExist as exc:
                raise Http404("No such value") from exc
            self._measurement.indicator = indicator
        return self._measurement

    def shown_value(self, m: Measurement) -> str:
        """The value as this user may see it: [c] for a small count of children unless they see those."""
        indicator = self.get_indicator()
        small = not sees_small_numbers(self.request.user) and hides_small_count(
            counts_children=indicator.counts_children, unit=indicator.unit, value=m.value,
            numerator=m.numerator, denominator=m.denominator)
        return MARKER if small else format_indicator_value(indicator, m.value)

    def value_context(self) -> dict:
        indicator, m = self.get_indicator(), self.get_measurement()
        return {
            "indicator": indicator, "measurement": m, "period": period_label(m.period_end, indicator.frequency),
            "entered_by": _name(m.entered_by), "commentary_by": _name(m.commentary_by),
            "approved_by": _name(m.approved_by, "the system"),
            "value": self.shown_value(m),
        }

    def recent_values_context(self) -> dict:
        """The target the value is judged by and the latest values up to it, for whoever explains it."""
        indicator, m = self.get_indicator(), self.get_measurement()
        values, benchmarks = selectors.value_with_its_context(measurement=m)
        bench_map = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum) for b in benchmarks}
        rule = target_in_force([t.rule for t in indicator.targets.all()], m.period_end)
        return {
            "target": describe_indicator_target(indicator, rule, period_end=m.period_end, benchmarks=bench_map),
            "recent_values": [
                {"period": period_label(v.period_end, indicator.frequency), "value": self.shown_value(v),
                 "status": v.status, "this": v.pk == m.pk}
                for v in values
            ],
        }


class MeasurementCommentaryView(MeasurementMixin, ServiceFormView):
    """Write the commentary and remedial action on a value: the KPI's owner or a commissioner."""

    permission_required = "kpis.view_indicator"
    template_name = "kpis/commentary_form.html"
    form_class = CommentaryForm

    def load(self, **kwargs):
        if not services.can_write_commentary(user=self.request.user, indicator=self.get_indicator()):
            raise PermissionDenied
        self.get_measurement()

    def get_initial(self):
        m = self.get_measurement()
        return {"commentary": m.commentary, "remedial_action": m.remedial_action}

    def save(self, form):
        return services.measurement_comment(
            measurement=self.get_measurement(), commentary=form.cleaned_data["commentary"],
            remedial_action=form.cleaned_data["remedial_action"], user=self.request.user,
        )

    def success_message(self, m):
        return (f"{self.get_indicator().code}: commentary on the value for {m.period_end:%d %B %Y} saved. "
                "It is provisional until someone else approves it.")

    def success_url_for(self, m):
        return self.get_indicator().get_absolute_url() + "#values"

    def get_context_data(self, **kwargs):
        indicator = self.get_indicator()
        return super().get_context_data(
            **self.value_context(), **self.recent_values_context(),
            crumbs=[("KPIs", reverse("kpis:index")), (indicator.code, indicator.get_absolute_url()),
                    ("Commentary", None)],
            **kwargs,
        )


class MeasurementApproveView(MeasurementMixin, ServiceFormView):
    """Read a value and its commentary, then sign them off (someone who wrote neither)."""

    permission_required = "kpis.approve_measurement"
    template_name = "kpis/approve_form.html"
    form_class = ApprovalForm

    def load(self, **kwargs):
        self.get_measurement()

    def save(self, form):
        return services.measurement_approve(measurement=self.get_measurement(), user=self.request.user)

    def success_message(self, m):
        return f"{self.get_indicator().code}: value for {m.period_end:%d %B %Y} and its commentary approved."

    def success_url_for(self, m):
        return reverse("kpis:awaiting_approval")

    def get_context_data(self, **kwargs):
        m = self.get_measurement()
        return super().get_context_data(
            **self.value_context(),
            own=self.request.user.pk in services.measurement_authors(m),
            crumbs=[("KPIs", reverse("kpis:index")), ("Awaiting approval", reverse("kpis:awaiting_approval")),
                    (f"{self.get_indicator().code}, {m.period_end:%d %B %Y}", None)],
            **kwargs,
        )


def _value_name(m: Measurement) -> str:
    return f"{m.indicator.code}, {period_name(m.period_end, m.indicator.frequency)}"


def _name(user, missing: str = "Not recorded") -> str:
    return (user.get_full_name() or user.username) if user else missing


def may_see_awaiting_approval(user) -> bool:
    """Those who approve, and committee officers, who check what a report will print as provisional."""
    return user.has_perm("kpis.approve_measurement") or COMMITTEE_OFFICER in user_roles(user)


class AwaitingApprovalView(PermissionRequiredMixin, TemplateView):
    """KPI values and commentary not yet signed off: reports print them as provisional until they are."""

    template_name = "kpis/awaiting_approval.html"
    nav_section = "kpis"

    def has_permission(self):
        return may_see_awaiting_approval(self.request.user)

    def post(self, request, *args, **kwargs):
        """Approve the values ticked: each one its author did not write; the message names those refused."""
        if not request.user.has_perm("kpis.approve_measurement"):
            raise PermissionDenied
        ids = [int(pk) for pk in request.POST.getlist("measurements") if pk.isdigit()]
        if not ids:
            messages.error(request, "Select the values to approve")
            return redirect(request.get_full_path())
        result = services.measurements_approve(measurement_ids=ids, user=request.user)
        if result.approved:
            n = len(result.approved)
            # Each value links to its KPI, where the approver can see the value's status as the committee will.
            approved = format_html_join(", ", '<a class="govuk-notification-banner__link" href="{}#values">{}</a>',
                                        ((m.indicator.get_absolute_url(), _value_name(m)) for m in result.approved))
            messages.success(request, format_html("{} value{} approved: {}.", n, pluralize(n), approved))
        for m, reason in result.refused:
            messages.warning(request, f"{_value_name(m)} not approved: {reason}")
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_approve = user.has_perm("kpis.approve_measurement")
        mine = can_approve and self.request.GET.get("mine") == "yes"
        rows = []
        hide_small = not sees_small_numbers(user)
        for m in selectors.measurements_awaiting_approval(approver=user if mine else None):
            indicator = m.indicator
            small = hide_small and hides_small_count(
                counts_children=indicator.counts_children, unit=indicator.unit, value=m.value,
                numerator=m.numerator, denominator=m.denominator)
            rows.append({
                "m": m, "indicator": indicator,
                "value": MARKER if small else format_indicator_value(indicator, m.value),
                "own": user.pk in services.measurement_authors(m),
                "period": period_name(m.period_end, indicator.frequency),
                "written_by": _name(m.commentary_by or m.entered_by),
            })
        return super().get_context_data(
            rows=rows, can_approve=can_approve, mine=mine, crumbs=[("KPIs", reverse("kpis:index")),
                                                                   ("Awaiting approval", None)],
            **kwargs,
        )
