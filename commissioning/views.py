import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableView

from . import selectors, services
from .dashboard import dashboard_items
from .filters import ActionFilter
from .forms import ActionForm, ActionProgressForm, PriorityForm, ReportRequestForm, StrategyForm
from .models import Action, Priority, ReportRun, ReportSubscription, Strategy, WorkerHeartbeat
from .reports.build import render_report_html
from .reports.periods import PERIOD_HELP, Quarter
from .reports.sections import section_availability
from .tables import StrategyTable

# --- Home dashboard -------------------------------------------------------------------------------


class HomeView(TemplateView):
    template_name = "commissioning/home.html"
    nav_section = "home"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        items = dashboard_items(user=user, as_of=today)
        my_actions = []
        if user.has_perm("commissioning.view_action"):
            my_actions = list(
                selectors.action_list(as_of=today)
                .filter(owner=user)
                .exclude(status__in=Action.CLOSED)
                .order_by("due_on", "pk")[:10]
            )
        my_reports = []
        if user.has_perm("commissioning.view_reportrun"):
            my_reports = list(selectors.report_run_list().filter(requested_by=user)[:5])
        return super().get_context_data(
            items=items, today=today, my_actions=my_actions, my_reports=my_reports, **kwargs
        )


# --- Strategy -------------------------------------------------------------------------------------


class StrategyListView(PermissionRequiredMixin, SingleTableView):
    permission_required = "commissioning.view_strategy"
    template_name = "commissioning/strategy_list.html"
    table_class = StrategyTable
    nav_section = "actions"

    def get_queryset(self):
        return selectors.strategy_list()

    def get_context_data(self, **kwargs):
        current = selectors.strategy_current(as_of=timezone.localdate())
        return super().get_context_data(current=current, crumbs=[("Strategies", None)], **kwargs)


class StrategyDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "commissioning.view_strategy"
    template_name = "commissioning/strategy_detail.html"
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


class _FormPage(PermissionRequiredMixin, FormView):
    """A create/edit page with GOV.UK form parts; subclasses set the object, form and service."""

    template_name = "commissioning/form_page.html"
    nav_section = "actions"
    heading = ""
    button = "Save"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, crumbs=self.get_crumbs(), **kwargs)

    def get_crumbs(self):
        return [(self.heading, None)]


class StrategyCreateView(_FormPage):
    permission_required = "commissioning.add_strategy"
    form_class = StrategyForm
    heading = "Add a strategy"

    def get_crumbs(self):
        return [("Strategies", reverse("strategy")), (self.heading, None)]

    def form_valid(self, form):
        strategy = services.strategy_save(strategy=form.instance, user=self.request.user)
        messages.success(self.request, f"Strategy '{strategy.title}' added.")
        return redirect(strategy)


class StrategyEditView(_FormPage):
    permission_required = "commissioning.change_strategy"
    form_class = StrategyForm
    heading = "Edit strategy"

    def dispatch(self, request, *args, **kwargs):
        self.strategy = get_object_or_404(Strategy, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.strategy}

    def get_crumbs(self):
        return [
            ("Strategies", reverse("strategy")),
            (self.strategy.title, self.strategy.get_absolute_url()),
            ("Edit", None),
        ]

    def form_valid(self, form):
        strategy = services.strategy_save(strategy=form.instance, user=self.request.user)
        messages.success(self.request, "Strategy saved.")
        return redirect(strategy)


class PriorityCreateView(_FormPage):
    permission_required = "commissioning.add_priority"
    form_class = PriorityForm
    heading = "Add a priority"

    def dispatch(self, request, *args, **kwargs):
        self.strategy = get_object_or_404(Strategy, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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

    def form_valid(self, form):
        services.priority_save(priority=form.instance, user=self.request.user)
        messages.success(self.request, "Priority added.")
        return redirect(self.strategy)


class PriorityEditView(_FormPage):
    permission_required = "commissioning.change_priority"
    form_class = PriorityForm
    heading = "Edit priority"

    def dispatch(self, request, *args, **kwargs):
        self.priority = get_object_or_404(Priority.objects.select_related("strategy"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.priority, "strategy": self.priority.strategy}

    def get_crumbs(self):
        s = self.priority.strategy
        return [("Strategies", reverse("strategy")), (s.title, s.get_absolute_url()), (self.heading, None)]

    def form_valid(self, form):
        services.priority_save(priority=form.instance, user=self.request.user)
        messages.success(self.request, "Priority saved.")
        return redirect(self.priority.strategy)


# --- Action plan ----------------------------------------------------------------------------------


class ActionPlanView(PermissionRequiredMixin, TemplateView):
    permission_required = "commissioning.view_action"
    template_name = "commissioning/actions.html"
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
    permission_required = "commissioning.view_action"
    template_name = "commissioning/action_detail.html"
    nav_section = "actions"

    def get_context_data(self, **kwargs):
        action = selectors.action_detail(pk=self.kwargs["pk"], as_of=timezone.localdate())
        form = kwargs.pop("form", None)
        if form is None and self.request.user.has_perm("commissioning.add_actionupdate"):
            form = ActionProgressForm()
        return super().get_context_data(
            action=action, form=form, crumbs=[("Action plan", reverse("actions")), (action.subject, None)], **kwargs
        )


class ActionCreateView(_FormPage):
    permission_required = "commissioning.add_action"
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

    def form_valid(self, form):
        action = services.action_save(action=form.instance, user=self.request.user)
        messages.success(self.request, "Action added to the plan.")
        return redirect(action)


class ActionEditView(_FormPage):
    permission_required = "commissioning.change_action"
    form_class = ActionForm
    heading = "Edit action"

    def dispatch(self, request, *args, **kwargs):
        self.action = get_object_or_404(Action, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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

    def form_valid(self, form):
        action = services.action_save(action=form.instance, user=self.request.user)
        messages.success(self.request, "Action saved.")
        return redirect(action)


class ActionProgressView(PermissionRequiredMixin, View):
    """POST a progress update from the action page (errors re-render that page)."""

    permission_required = "commissioning.add_actionupdate"
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


class ReportListView(PermissionRequiredMixin, TemplateView):
    permission_required = "commissioning.view_reportrun"
    template_name = "commissioning/reports.html"
    nav_section = "reports"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        runs = list(selectors.report_run_list()[:50])
        kind = settings.REPORTS_SCHEDULED_KIND
        return super().get_context_data(
            runs=runs,
            highlight=self.request.GET.get("run"),
            crumbs=[("Reports", None)],
            scheduled_kind_label=ReportRun.Kind(kind).label if kind in ReportRun.Kind.values else kind,
            schedule_enabled=settings.REPORTS_SCHEDULE_ENABLED,
            subscribed=ReportSubscription.objects.filter(user=self.request.user, kind=kind).exists(),
            **kwargs,
        )


class ReportSubscribeView(PermissionRequiredMixin, View):
    """POST: email me (or stop emailing me) when the scheduled quarterly report is ready."""

    permission_required = "commissioning.view_reportrun"
    http_method_names = ["post"]

    def post(self, request):
        from django.conf import settings

        on = request.POST.get("subscribe") == "yes"
        services.report_subscription_set(user=request.user, kind=settings.REPORTS_SCHEDULED_KIND, subscribed=on)
        if on and not request.user.email:
            messages.warning(
                request, "Subscribed, but your account has no email address: ask an administrator to add one."
            )
        else:
            messages.success(
                request,
                "You will be emailed when the scheduled report is ready."
                if on
                else "You will no longer be emailed about scheduled reports.",
            )
        return redirect("reports")


class ReportRequestView(PermissionRequiredMixin, FormView):
    permission_required = "commissioning.add_reportrun"
    template_name = "commissioning/report_request.html"
    form_class = ReportRequestForm
    nav_section = "reports"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind if kind in ReportRun.Kind.values else ReportRun.Kind.PACK}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            availability=section_availability(),
            period_help=PERIOD_HELP,
            crumbs=[("Reports", reverse("reports")), ("Build a report", None)],
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        run = services.report_run_request(
            kind=data["kind"],
            period=data["period"],
            requested_by=self.request.user,
            meeting=data["meeting"],
            agenda_item=data["agenda_item"],
            title=data["title"],
            report_of=data["report_of"],
            lead_officer=data["lead_officer"],
            purpose=data["purpose"],
            recommendations=data["recommendations"],
            sections=data["sections"],
        )
        messages.success(
            self.request, f"'{run.title}' for {run.period} is being built. This page updates when it is ready."
        )
        return redirect(f"{reverse('reports')}?run={run.pk}")


class _RunMixin(PermissionRequiredMixin):
    permission_required = "commissioning.view_reportrun"
    nav_section = "reports"

    def get_run(self) -> ReportRun:
        return selectors.report_run_get(pk=self.kwargs["pk"])


class ReportDetailView(_RunMixin, TemplateView):
    template_name = "commissioning/report_detail.html"

    def get_context_data(self, **kwargs):
        run = self.get_run()
        return super().get_context_data(
            run=run,
            quarter=Quarter.parse(run.period),
            crumbs=[("Reports", reverse("reports")), (f"{run.title} ({run.period})", None)],
            **kwargs,
        )


class ReportStatusView(_RunMixin, View):
    """The run's row (or status panel) for htmx polling: it stops polling once the run has finished."""

    def get(self, request, pk):
        run = self.get_run()
        template = (
            "commissioning/_report_status_panel.html" if request.GET.get("panel") else "commissioning/_report_row.html"
        )
        html = render_to_string(template, {"run": run}, request=request)
        return HttpResponse(html)


class ReportPreviewView(_RunMixin, View):
    """The same HTML the PDF is made from, for reading in the browser."""

    def get(self, request, pk):
        run = self.get_run()
        html = render_report_html(run, preview=True, back_url=run.get_absolute_url())
        return HttpResponse(html)


def report_filename(run: ReportRun, authority: str) -> str:
    quarter = Quarter.parse(run.period)
    parts = [authority, run.title, f"{quarter.financial_year.replace('/', '-')} Q{quarter.number}"]
    name = " - ".join(re.sub(r"[^\w\s'()-]", "", p).strip() for p in parts)
    return f"{name}.pdf" if name else f"report-{slugify(run.period)}.pdf"


class ReportDownloadView(_RunMixin, View):
    def get(self, request, pk):
        from django.conf import settings

        run = self.get_run()
        if run.status != ReportRun.Status.COMPLETE or not run.file:
            raise Http404("This report has no PDF yet")
        try:
            handle = run.file.open("rb")
        except FileNotFoundError:
            raise Http404("The PDF file is missing") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=report_filename(run, settings.AUTHORITY_NAME),
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReportRetryView(_RunMixin, View):
    permission_required = "commissioning.add_reportrun"
    http_method_names = ["post"]

    def post(self, request, pk):
        run = self.get_run()
        try:
            services.report_run_retry(run=run, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"'{run.title}' queued again.")
        return redirect(
            request.POST.get("next")
            if request.POST.get("next") == run.get_absolute_url()
            else f"{reverse('reports')}?run={run.pk}"
        )


# --- Platform pages (lead) ------------------------------------------------------------------------


class SystemStatusView(UserPassesTestMixin, TemplateView):
    """For administrators: is the background worker alive?"""

    template_name = "commissioning/system_status.html"

    def test_func(self):
        return self.request.user.is_staff

    def get_context_data(self, **kwargs):
        now = timezone.now()
        workers = [
            {"hostname": h.hostname, "last_seen": h.last_seen, "alive": (now - h.last_seen).total_seconds() < 180}
            for h in WorkerHeartbeat.objects.all()
        ]
        return super().get_context_data(workers=workers, **kwargs)


@login_not_required
def healthz(request):
    """For the load balancer and `docker compose` health checks: the app is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
