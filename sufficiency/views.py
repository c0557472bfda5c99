"""Thin views: the pages read the stored forecast through selectors; writes go through services."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView

from . import engine, presenters, selectors, services
from .forms import ScenarioForm, UnitCostForm
from .models import Scenario, UnitCost

SECTION = ("Sufficiency", "sufficiency:forecast")


def _crumbs(*items):
    return [(SECTION[0], reverse(SECTION[1])), *items]


class ForecastView(PermissionRequiredMixin, TemplateView):
    """The latest stored forecast: children by category every six months, its interval, the backtest error,
    and the saved scenarios beside the baseline."""

    permission_required = "sufficiency.view_forecastrun"
    template_name = "sufficiency/forecast.html"

    def get_context_data(self, **kwargs):
        run = selectors.latest_forecast()
        context = {"run": run, "waiting": selectors.run_in_progress(), "crumbs": [(SECTION[0], None)],
                   "categories": presenters.category_labels(),
                   "can_run": self.request.user.has_perm("sufficiency.add_forecastrun"),
                   "can_add_scenario": self.request.user.has_perm("sufficiency.add_scenario")}
        if run is not None:
            costs = selectors.unit_costs(as_of=run.reference_end)
            weekly = {c: costs[c]["weekly"] or 0 for c in engine.CATEGORIES}
            saved = selectors.scenario_ids()
            result = {**run.result, "scenarios": [s for s in run.result.get("scenarios", []) if s["id"] in saved]}
            chosen = next((s for s in result["scenarios"] if str(s["id"]) == self.request.GET.get("scenario")), None)
            context.update(
                rows=presenters.checkpoints(result["baseline"]),
                now=result["now"], now_total=sum(result["now"].values()),
                backtest=result["backtest"], scenarios=presenters.scenario_rows(result, weekly),
                chart=presenters.forecast_chart(result, chosen), chart_choices=result["scenarios"],
                backtest_chart=presenters.backtest_chart(result["backtest"]),
                can_delete_scenario=self.request.user.has_perms(ScenarioDeleteView.permission_required),
            )
        return super().get_context_data(**context, **kwargs)


class RunView(PermissionRequiredMixin, View):
    permission_required = "sufficiency.add_forecastrun"

    def post(self, request):
        services.forecast_run_request(requested_by=request.user)
        messages.success(request, "The forecast is being worked out again. Refresh this page in a minute to see it.")
        return redirect("sufficiency:forecast")


class MethodView(PermissionRequiredMixin, TemplateView):
    """How the forecast is worked out, with the rates the latest run used."""

    permission_required = "sufficiency.view_forecastrun"
    template_name = "sufficiency/method.html"

    def get_context_data(self, **kwargs):
        run = selectors.latest_forecast()
        return super().get_context_data(
            run=run, rates=run.result["rates"] if run else None, bands=engine.AGE_BANDS,
            place_codes=[(label, ", ".join(sorted(c for c, cat in engine.PLACE_CATEGORY.items() if cat == key)))
                         for key, label in engine.CATEGORY_LABELS.items() if key != engine.OTHER],
            crumbs=_crumbs(("How the forecast is worked out", None)), **kwargs,
        )


class _FormPage(ServiceFormView):
    template_name = "core/form_page.html"
    nav_section = "sufficiency"
    heading = ""
    button = "Save"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, crumbs=self.get_crumbs(), **kwargs)

    def get_crumbs(self):
        return _crumbs((self.heading, None))


class ScenarioCreateView(_FormPage):
    permission_required = "sufficiency.add_scenario"
    form_class = ScenarioForm
    heading = "Add a scenario"
    button = "Save and compare with the baseline"

    def save(self, form):
        return services.scenario_save(scenario=form.instance, user=self.request.user)

    def success_message(self, obj):
        return f"Scenario '{obj.name}' saved. The forecast is being worked out again to compare it with the baseline."

    def success_url_for(self, obj):
        return reverse("sufficiency:forecast")


class ScenarioEditView(ScenarioCreateView):
    permission_required = "sufficiency.change_scenario"
    heading = "Change a scenario"

    def load(self, **kwargs):
        self.scenario = get_object_or_404(Scenario, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.scenario}


class ScenarioDeleteView(PermissionRequiredMixin, TemplateView):
    """Asks before deleting a scenario; the POST deletes it."""

    permission_required = ("sufficiency.change_scenario", "sufficiency.delete_scenario")
    template_name = "sufficiency/scenario_delete.html"

    def get_context_data(self, **kwargs):
        scenario = get_object_or_404(Scenario, pk=self.kwargs["pk"])
        return super().get_context_data(
            scenario=scenario, crumbs=_crumbs((f"Delete '{scenario.name}'", None)), **kwargs)

    def post(self, request, pk):
        scenario = get_object_or_404(Scenario, pk=pk)
        name = scenario.name
        services.scenario_delete(scenario=scenario, user=request.user)
        messages.success(request, f"Scenario '{name}' deleted. The forecast is being worked out again without it.")
        return redirect("sufficiency:forecast")


class CostsView(PermissionRequiredMixin, TemplateView):
    """Weekly unit costs by category (with where each comes from) and the spend they give by financial year."""

    permission_required = "sufficiency.view_forecastrun"
    template_name = "sufficiency/costs.html"

    def get_context_data(self, **kwargs):
        projection = selectors.medium_term_projection(as_of=timezone.localdate())
        costs = projection["costs"] if projection else selectors.unit_costs(as_of=timezone.localdate())
        return super().get_context_data(
            projection=projection, costs=[(key, label, costs[key]) for key, label in presenters.category_labels()],
            categories=presenters.category_labels(),
            can_set=self.request.user.has_perm("sufficiency.change_unitcost"),
            crumbs=_crumbs(("What it will cost", None)), **kwargs,
        )


class UnitCostSetView(_FormPage):
    permission_required = "sufficiency.change_unitcost"
    form_class = UnitCostForm
    button = "Set the unit cost"

    def load(self, **kwargs):
        self.category = kwargs["category"]
        if self.category not in engine.CATEGORY_LABELS:
            raise Http404
        self.heading = f"Weekly unit cost: {engine.CATEGORY_LABELS[self.category].lower()}"
        self.existing = UnitCost.objects.filter(category=self.category).first()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.existing}

    def get_crumbs(self):
        return _crumbs(("What it will cost", reverse("sufficiency:costs")), (self.heading, None))

    def save(self, form):
        return services.unit_cost_set(category=self.category, weekly_cost=form.cleaned_data["weekly_cost"],
                                      source_note=form.cleaned_data["source_note"], user=self.request.user)

    def success_message(self, obj):
        return f"The {obj.get_category_display().lower()} unit cost is now set by hand."


class SupplyView(PermissionRequiredMixin, TemplateView):
    """Where the places are: the Ofsted register in the area and within 20 miles, own provision, where children
    are placed now, and the gap between forecast need and local supply by category."""

    permission_required = "sufficiency.view_forecastrun"
    template_name = "sufficiency/supply.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.sufficiency_gaps(as_of=timezone.localdate()),
                                        crumbs=_crumbs(("Where the places are", None)), **kwargs)
