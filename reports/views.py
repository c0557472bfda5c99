"""Committee reports: the list, requesting a build, its status, preview, download and retry."""

import re

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core import outbox
from core.periods import Quarter, quarter_name
from core.views import ServiceFormView
from plans.models import Meeting

from . import selectors, services
from .build import render_report_html
from .forms import ReportKindForm, ReportRequestForm
from .models import FRONT_SHEET_FIELDS, ReportRun, ReportSubscription
from .sections import report_sections
from .services import DRAFTED_IMPLICATIONS

# Carried over when a report is copied as another kind: what the officer typed that does not depend on the kind.
# The title, purpose, summary and the implications drafted from the figures are the new kind's own.
COPIED_FIELDS = [
    name for name in FRONT_SHEET_FIELDS if name not in {"title", "purpose", "summary", *DRAFTED_IMPLICATIONS}
]


class ReportListView(PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reportrun"
    template_name = "reports/reports.html"
    nav_section = "reports"

    def get_context_data(self, **kwargs):
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

    permission_required = "reports.view_reportrun"
    http_method_names = ["post"]

    def post(self, request):
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


class ReportRequestView(ServiceFormView):
    """Build a report in two pages: which report and for which meeting, then that kind's questions with the
    front sheet filled in from the last report for the meeting (or committee), or from the report copied."""

    permission_required = "reports.add_reportrun"
    template_name = "reports/report_request.html"
    form_class = ReportRequestForm
    nav_section = "reports"

    def load(self, **kwargs):
        query, data = self.request.GET, self.request.POST if self.request.method == "POST" else self.request.GET
        copy = query.get("copy", "")
        self.copy_of = selectors.report_run_get(pk=int(copy)) if copy.isdigit() else None
        kind = data.get("kind", "")
        self.kind = kind if kind in ReportRun.Kind.values and "choose" not in query else None
        meeting = query.get("meeting", "")
        self.meeting = (
            Meeting.objects.select_related("committee").filter(pk=int(meeting)).first() if meeting.isdigit()
            else self.copy_of.meeting if self.copy_of else None
        )
        fresh = self.request.method == "GET" and self.kind and not self.copy_of
        self.remembered = selectors.front_sheet_remembered(meeting=self.meeting) if fresh else {}
        self.with_current = query.get("current") == "1" or data.get("current") == "1" or bool(
            self.copy_of and Quarter.parse(self.copy_of.period) == Quarter.containing(timezone.localdate())
        )

    def _choose_kind(self, bound: bool):
        """The first page: which report, for which meeting (a GET form, so its answers are in the address)."""
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        form = ReportKindForm(
            data if bound else None, today=timezone.localdate(),
            initial={"kind": self.request.GET.get("kind"), "meeting": self.meeting},
        )
        return render(self.request, "reports/report_choose.html", {
            "form": form, "nav_section": self.nav_section,
            "crumbs": [("Reports", reverse("reports")), ("Build a report", None)],
        })

    def get(self, request, *args, **kwargs):
        if self.kind is None:
            return self._choose_kind(bound="continue" in request.GET)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.kind is None:
            return self._choose_kind(bound=True)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind, "today": timezone.localdate(),
                "with_current": self.with_current}

    def get_initial(self):
        initial = {"kind": self.kind, "meeting": self.meeting}
        if self.copy_of:
            initial.update({name: getattr(self.copy_of, name) for name in COPIED_FIELDS}, period=self.copy_of.period)
        else:
            initial.update(self.remembered)
        return initial

    def get_context_data(self, **kwargs):
        query = {"kind": self.kind, **({"meeting": self.meeting.pk} if self.meeting else {})}
        kind_label = ReportRun.Kind(self.kind).label
        if self.copy_of:
            query["copy"] = self.copy_of.pk
        here = f"{reverse('reports_new')}?{urlencode(query)}"
        return super().get_context_data(
            # The form posts to the same address with or without the quarter in progress (carried in the form),
            # so the draft kept in the browser, keyed by that address, follows when it is asked for.
            form_action=here,
            with_current=self.with_current,
            kind_label=kind_label,
            meeting=self.meeting,
            copy_of=self.copy_of,
            remembered=bool(self.remembered),
            change_url=f"{reverse('reports_new')}?{urlencode({**query, 'choose': 1})}",
            current_url=None if self.with_current else f"{here}&current=1",
            crumbs=[("Reports", reverse("reports")), ("Build a report", None)],
            **kwargs,
        )

    def save(self, form):
        data = form.cleaned_data
        return services.report_run_request(
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
            sections=data.get("sections"),
            # A kind's form asks only what that kind prints: the rest keep their usual values.
            **{name: data[name] for name in FRONT_SHEET_FIELDS if name not in self.NAMED and name in data},
        )

    # Passed to the service by name above.
    NAMED = {"agenda_item", "title", "report_of", "lead_officer", "purpose", "recommendations"}

    def success_message(self, run):
        # No status here: the row below says where the build is, and this banner stays while the row changes.
        return f"'{run.title}' for {run.period_label} has been requested. Its status below updates by itself."

    def notify(self, run, *, delayed=False):
        if delayed:  # saved, but not being built yet: say only that
            job = f"'{run.title}' for {run.period_label}"
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job=job))
        else:
            messages.success(self.request, self.success_message(run))

    def success_url_for(self, run):
        return f"{reverse('reports')}?run={run.pk}"


class _RunMixin(PermissionRequiredMixin):
    permission_required = "reports.view_reportrun"
    nav_section = "reports"

    def get_run(self) -> ReportRun:
        return selectors.report_run_get(pk=self.kwargs["pk"])


class ReportDetailView(_RunMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        run = self.get_run()
        headings = {spec.key: spec.heading for spec in report_sections()}
        return super().get_context_data(
            run=run,
            section_titles=[headings.get(key, key) for key in run.parameters.get("sections", [])],
            other_kinds=[(value, label) for value, label in ReportRun.Kind.choices if value != run.kind],
            crumbs=[("Reports", reverse("reports")), (f"{run.title} ({run.period_label})", None)],
            **kwargs,
        )


class ReportStatusView(_RunMixin, View):
    """The run's row (or status panel) for htmx polling: it stops polling once the run has finished."""

    def get(self, request, pk):
        run = self.get_run()
        template = (
            "reports/_report_status_panel.html" if request.GET.get("panel") else "reports/_report_row.html"
        )
        html = render_to_string(template, {"run": run}, request=request)
        return HttpResponse(html)


class ReportPreviewView(_RunMixin, View):
    """The same HTML the PDF is made from, for reading in the browser."""

    # The PDF's HTML carries print styles inline (WeasyPrint reads them) and its charts as data: images; the
    # preview page allows those only.
    @method_decorator(csp_update({"style-src-elem": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]}))
    def get(self, request, pk):
        run = self.get_run()
        html = render_report_html(run, preview=True, back_url=run.get_absolute_url())
        return HttpResponse(html)


def report_filename(run: ReportRun, authority: str) -> str:
    quarter = Quarter.parse(run.period)
    parts = [authority, run.title, quarter_name(quarter).replace("/", "-")]  # no "/" in a file name
    name = " - ".join(re.sub(r"[^\w\s'()-]", "", p).strip() for p in parts)
    return f"{name}.pdf" if name else f"report-{slugify(run.period)}.pdf"


class ReportDownloadView(_RunMixin, View):
    def get(self, request, pk):
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
    permission_required = "reports.add_reportrun"
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
