"""Strategies, priorities and the action plan: pages over plans.selectors and plans.services."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableView

from core.views import ServiceFormView

from . import selectors, services
from .filters import ActionFilter
from .forms import ActionForm, ActionProgressForm, PriorityForm, StrategyForm
from .models import Action, Priority, Strategy
from .tables import StrategyTable

# --- Strategy -------------------------------------------------------------------------------------


class StrategyListView(PermissionRequiredMixin, SingleTableView):
    permission_required = "plans.view_strategy"
    template_name = "plans/strategy_list.html"
    table_class = StrategyTable
    nav_section = "actions"

    def get_queryset(self):
        return selectors.strategy_list()

    def get_context_data(self, **kwargs):
        current = selectors.strategy_current(as_of=timezone.localdate())
        return super().get_context_data(current=current, crumbs=[("Strategies", None)], **kwargs)


class StrategyDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "plans.view_strategy"
    template_name = "plans/strategy_detail.html"
    nav_section = "actions"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        strategy = selectors.strategy_detail(pk=self.kwargs["pk"], as_of=today)
        actions = list(strategy.actions.all())
        counts = {
            "total": len(actions),
            "overdue": sum(1 for a in actions if a.is_overdue),
            "complete": sum(1 for a in actions if a.status == Action.Status.COMPLETE),
        }
        return super().get_context_data(
            strategy=strategy,
            priorities=strategy.priorities.all(),
            counts=counts,
            crumbs=[("Strategies", reverse("strategy")), (strategy.title, None)],
            **kwargs,
        )


class _FormPage(ServiceFormView):
    """A create/edit page with GOV.UK form parts; subclasses set the object, form and service."""

    template_name = "core/form_page.html"
    nav_section = "actions"
    heading = ""
    button = "Save"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, crumbs=self.get_crumbs(), **kwargs)

    def get_crumbs(self):
        return [(self.heading, None)]


class StrategyCreateView(_FormPage):
    permission_required = "plans.add_strategy"
    form_class = StrategyForm
    heading = "Add a strategy"

    def get_crumbs(self):
        return [("Strategies", reverse("strategy")), (self.heading, None)]

    def save(self, form):
        return services.strategy_save(strategy=form.instance, user=self.request.user)

    def success_message(self, obj):
        return f"Strategy '{obj.title}' added."


class StrategyEditView(_FormPage):
    permission_required = "plans.change_strategy"
    form_class = StrategyForm
    heading = "Edit strategy"

    def load(self, **kwargs):
        self.strategy = get_object_or_404(Strategy, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.strategy}

    def get_crumbs(self):
        return [
            ("Strategies", reverse("strategy")),
            (self.strategy.title, self.strategy.get_absolute_url()),
            ("Edit", None),
        ]

    def save(self, form):
        return services.strategy_save(strategy=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Strategy saved."


class PriorityCreateView(_FormPage):
    permission_required = "plans.add_priority"
    form_class = PriorityForm
    heading = "Add a priority"

    def load(self, **kwargs):
        self.strategy = get_object_or_404(Strategy, pk=kwargs["pk"])

    def get_initial(self):
        last = self.strategy.priorities.order_by("-number").first()
        return {"number": (last.number + 1) if last else 1}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_crumbs(self):
        return [
            ("Strategies", reverse("strategy")),
            (self.strategy.title, self.strategy.get_absolute_url()),
            (self.heading, None),
        ]

    def save(self, form):
        return services.priority_save(priority=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Priority added."

    def success_url_for(self, obj):
        return self.strategy.get_absolute_url()


class PriorityEditView(_FormPage):
    permission_required = "plans.change_priority"
    form_class = PriorityForm
    heading = "Edit priority"

    def load(self, **kwargs):
        self.priority = get_object_or_404(Priority.objects.select_related("strategy"), pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.priority, "strategy": self.priority.strategy}

    def get_crumbs(self):
        s = self.priority.strategy
        return [("Strategies", reverse("strategy")), (s.title, s.get_absolute_url()), (self.heading, None)]

    def save(self, form):
        return services.priority_save(priority=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Priority saved."

    def success_url_for(self, obj):
        return self.priority.strategy.get_absolute_url()


# --- Action plan ----------------------------------------------------------------------------------


class ActionPlanView(PermissionRequiredMixin, TemplateView):
    permission_required = "plans.view_action"
    template_name = "plans/actions.html"
    nav_section = "actions"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        base = selectors.action_list(as_of=today)
        filterset = ActionFilter(
            self.request.GET or None, queryset=base, subjects=selectors.action_subjects(), as_of=today
        )
        actions = list(filterset.qs)
        groups = selectors.actions_grouped_by_subject(actions)
        counts = {
            "shown": len(actions),
            "overdue": sum(1 for a in actions if a.is_overdue),
            "complete": sum(1 for a in actions if a.status == Action.Status.COMPLETE),
            "in_progress": sum(1 for a in actions if a.status == Action.Status.IN_PROGRESS),
            "yet_to_commence": sum(1 for a in actions if a.status == Action.Status.YET_TO_COMMENCE),
        }
        filters_applied = any(v for v in self.request.GET.values())
        return super().get_context_data(
            filter=filterset,
            groups=groups,
            counts=counts,
            today=today,
            filters_applied=filters_applied,
            crumbs=[("Action plan", None)],
            **kwargs,
        )


class ActionDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "plans.view_action"
    template_name = "plans/action_detail.html"
    nav_section = "actions"

    def get_context_data(self, **kwargs):
        action = selectors.action_detail(pk=self.kwargs["pk"], as_of=timezone.localdate())
        form = kwargs.pop("form", None)
        if form is None and self.request.user.has_perm("plans.add_actionupdate"):
            form = ActionProgressForm()
        return super().get_context_data(
            action=action, form=form, crumbs=[("Action plan", reverse("actions")), (action.subject, None)], **kwargs
        )


class ActionCreateView(_FormPage):
    permission_required = "plans.add_action"
    form_class = ActionForm
    heading = "Add an action"

    def get_initial(self):
        initial = {}
        if self.request.GET.get("subject"):
            initial["subject"] = self.request.GET["subject"][:120]
        current = selectors.strategy_current(as_of=timezone.localdate())
        if current:
            initial["strategy"] = current.pk
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(subjects=selectors.action_subjects(), **kwargs)

    def get_crumbs(self):
        return [("Action plan", reverse("actions")), (self.heading, None)]

    def save(self, form):
        return services.action_save(action=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Action added to the plan."


class ActionEditView(_FormPage):
    permission_required = "plans.change_action"
    form_class = ActionForm
    heading = "Edit action"

    def load(self, **kwargs):
        self.action = get_object_or_404(Action, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.action}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subjects=selectors.action_subjects(), **kwargs)

    def get_crumbs(self):
        return [
            ("Action plan", reverse("actions")),
            (self.action.subject, self.action.get_absolute_url()),
            ("Edit", None),
        ]

    def save(self, form):
        return services.action_save(action=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Action saved."


class ActionProgressView(PermissionRequiredMixin, View):
    """POST a progress update from the action page (errors re-render that page)."""

    permission_required = "plans.add_actionupdate"
    http_method_names = ["post"]

    def post(self, request, pk):
        action = get_object_or_404(Action, pk=pk)
        form = ActionProgressForm(request.POST)
        if not form.is_valid():
            view = ActionDetailView(request=request, kwargs={"pk": pk}, args=())
            context = view.get_context_data(form=form)
            return render(request, ActionDetailView.template_name, context, status=400)
        update = services.action_record_progress(
            action=action,
            note=form.cleaned_data["note"],
            noted_on=form.cleaned_data["noted_on"],
            new_status=form.cleaned_data["new_status"] or None,
            author=request.user,
        )
        if update.changed_status:
            messages.success(request, f"Progress recorded. Status is now {update.get_status_after_display().lower()}.")
        else:
            messages.success(request, "Progress recorded.")
        return redirect(action)


# --- Committee reports ----------------------------------------------------------------------------
