"""Thin views: each reads through a selector or writes through a service."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from core.charts import trend_chart_svg
from core.import_views import ImportRecordListView, ImportUploadView
from core.periods import financial_year_name, financial_year_of

from . import reports, rules, selectors, services
from .forms import ForecastForm, KeepForm, SnapshotForm
from .importers import BUDGET_COLUMNS, COST_COLUMNS, import_budgets, import_placement_costs
from .models import BudgetLine

SECTION = ("Finance", "finance:index")
CHILD_LEVEL = "placements.view_placement"


def _crumbs(*items):
    return [(SECTION[0], reverse(SECTION[1])), *items]


class ForecastMixin:
    """`?year=2025&as_of=31/10/2025` on every page that shows a forecast; bad values never 500."""

    def get_choice(self):
        if not hasattr(self, "_choice"):
            today = timezone.localdate()
            years = selectors.years_with_budgets()
            self.forecast_form = ForecastForm(self.request.GET or None, years=years)
            as_of, year = today, None
            if self.forecast_form.is_bound and self.forecast_form.is_valid():
                as_of = self.forecast_form.cleaned_data["as_of"] or today
                year = self.forecast_form.cleaned_data["year"]
            if not self.forecast_form.is_bound:
                self.forecast_form = ForecastForm(years=years)
            self._choice = (year if year is not None else financial_year_of(as_of), as_of)
        return self._choice

    def forecast_context(self):
        year, as_of = self.get_choice()
        return {"year": year, "year_label": financial_year_name(year), "as_of": as_of, "form": self.forecast_form}


class DashboardView(PermissionRequiredMixin, ForecastMixin, TemplateView):
    """Every budget line of the year: budget, actual to date, committed, forecast and variance with RAG.
    People without child-level access see lines covering 1 to 5 children suppressed, as committees do."""

    permission_required = "finance.view_budgetline"
    template_name = "finance/index.html"

    def get_context_data(self, **kwargs):
        year, as_of = self.get_choice()
        user = self.request.user
        child_level = user.has_perm(CHILD_LEVEL)
        shown = reports.position_of(selectors.forecast(year=year, as_of=as_of), suppress=not child_level)
        return super().get_context_data(
            **self.forecast_context(), **shown, child_level=child_level, amber_pct=selectors.amber_pct(),
            can_import_budgets=user.has_perm("finance.add_budgetline"),
            can_import_costs=user.has_perm("placements.add_costline"),
            crumbs=[("Finance", None)], **kwargs,
        )


class BudgetsView(PermissionRequiredMixin, ForecastMixin, TemplateView):
    permission_required = "finance.view_budgetline"
    template_name = "finance/budgets.html"

    def get_context_data(self, **kwargs):
        year, _ = self.get_choice()
        lines = list(BudgetLine.objects.filter(financial_year=year).order_by("code"))
        return super().get_context_data(
            **self.forecast_context(), lines=lines,
            total=sum((b.amount for b in lines), Decimal("0")),
            savings_total=sum((b.savings_target for b in lines), Decimal("0")),
            can_import=self.request.user.has_perm("finance.add_budgetline"),
            crumbs=_crumbs(("Budgets", None)), **kwargs,
        )


class ChildLevelMixin(PermissionRequiredMixin):
    child_level = True  # lists placements by child reference: never kept in a browser or proxy cache

    def get_permission_required(self):
        return ("finance.view_budgetline", CHILD_LEVEL)


class LineView(ChildLevelMixin, TemplateView):
    """The placements behind a budget line, with what each is forecast to cost in the year."""

    template_name = "finance/line.html"

    def get_context_data(self, **kwargs):
        year, code = kwargs.pop("year"), kwargs.pop("code")
        as_of = timezone.localdate()
        form = SnapshotForm(self.request.GET or None)
        if form.is_bound and form.is_valid() and form.cleaned_data["as_of"]:
            as_of = form.cleaned_data["as_of"]
        figures = selectors.forecast(year=year, as_of=as_of)
        line = figures.line(code)
        rows = selectors.placements_for_line(year=year, code=code, as_of=as_of)
        if line is None and code != rules.UNBUDGETED or rows is None:
            raise Http404
        return super().get_context_data(
            line=line, rows=rows, year=year, year_label=financial_year_name(year), as_of=as_of, form=form,
            crumbs=_crumbs((line.name if line else rules.UNBUDGETED_NAME, None)), **kwargs,
        )


class HistoryView(PermissionRequiredMixin, ForecastMixin, TemplateView):
    """The forecast kept each month (and whenever someone takes one), charted against the budget."""

    permission_required = "finance.view_forecastsnapshot"
    template_name = "finance/history.html"

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("finance.add_forecastsnapshot"):
            raise PermissionDenied
        form = KeepForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(snapshot_form=form))
        as_of = form.cleaned_data["as_of"] or timezone.localdate()
        services.forecast_snapshot_take(as_of=as_of, user=request.user)
        messages.success(request, f"Forecast as at {as_of:%-d %B %Y} kept.")
        return redirect(f"{reverse('finance:history')}?year={financial_year_of(as_of)}")

    def get_context_data(self, **kwargs):
        year, _ = self.get_choice()
        kept = selectors.snapshots(year=year)
        days = {}
        for row in kept:
            day = days.setdefault(row.as_of, {"as_of": row.as_of, "budget": Decimal("0"), "forecast": Decimal("0")})
            day["budget"] += row.budget
            day["forecast"] += row.forecast
        points = sorted(days.values(), key=lambda d: d["as_of"])
        for point in points:
            point["variance"] = point["forecast"] - point["budget"]
        chart = trend_chart_svg(
            [(p["as_of"], p["forecast"]) for p in points],
            target=[(p["as_of"], p["budget"]) for p in points] or None,
            title=f"Forecast outturn against budget through {financial_year_name(year)}", decimals=0, money=True,
            benchmark_label="Budget",
        )
        kwargs.setdefault("snapshot_form", KeepForm())
        return super().get_context_data(
            **self.forecast_context(), points=points, chart=mark_safe(chart),  # the chart escapes its text
            can_take=self.request.user.has_perm("finance.add_forecastsnapshot"),
            crumbs=_crumbs(("Forecast history", None)), **kwargs,
        )


class HighCostView(ChildLevelMixin, ForecastMixin, TemplateView):
    template_name = "finance/high_cost.html"

    def get_context_data(self, **kwargs):
        year, as_of = self.get_choice()
        level = Decimal(str(settings.FINANCE_HIGH_COST_LIST_WEEKLY))
        rows = selectors.high_cost_placements(year=year, as_of=as_of, level=level)
        return super().get_context_data(
            **self.forecast_context(), rows=rows, level=level,
            weekly_total=sum((r["weekly_now"] for r in rows), Decimal("0")),
            forecast_total=sum((r["forecast"] for r in rows), Decimal("0")),
            crumbs=_crumbs(("High-cost placements", None)), **kwargs,
        )


class SavingsView(PermissionRequiredMixin, ForecastMixin, TemplateView):
    permission_required = "finance.view_budgetline"
    template_name = "finance/savings.html"

    def get_context_data(self, **kwargs):
        year, _ = self.get_choice()
        return super().get_context_data(
            **self.forecast_context(), savings=selectors.savings(year=year),
            crumbs=_crumbs(("Savings", None)), **kwargs,
        )


class ImportBudgetsView(ImportUploadView):
    permission_required = "finance.add_budgetline"
    title = "Import a year's budget lines"
    area, kind = "finance", "budgets"
    columns = BUDGET_COLUMNS
    importer = staticmethod(import_budgets)

    def get_success_url(self):
        return reverse("finance:budgets")

    def get_context_data(self, **kwargs):
        self.breadcrumbs = _crumbs(("Budgets", reverse("finance:budgets")), (self.title, None))
        return super().get_context_data(**kwargs)


class ImportCostsView(ImportUploadView):
    permission_required = "placements.add_costline"
    title = "Import placement costs from the finance system"
    area, kind = "finance", "placement_costs"
    columns = COST_COLUMNS
    importer = staticmethod(import_placement_costs)

    def get_success_url(self):
        return reverse("finance:index")

    def get_context_data(self, **kwargs):
        self.breadcrumbs = _crumbs((self.title, None))
        return super().get_context_data(**kwargs)


class FinanceImportRecordsView(ImportRecordListView):
    """Budget and placement-cost imports, from the upload pages and the commands."""

    # Those who import either file: budgets (commissioners) or placement costs (placements officers).
    permission_required = ("finance.add_budgetline", "placements.add_costline")
    area = "finance"
    title = "Finance imports"
    nav_section = "finance"

    def has_permission(self):
        return any(self.request.user.has_perm(p) for p in self.get_permission_required())

    @property
    def breadcrumbs(self):
        return _crumbs(("Imports", None))
