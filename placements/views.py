"""Thin views: each reads through a selector or writes through a service."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import outbox
from core.charts import timeline_svg
from core.formatting import spreadsheet_safe
from core.import_jobs import CHECKED, PROBLEMS
from core.import_views import MAX_UPLOAD_BYTES, ImportRecordListView, ImportUploadView
from core.roles import sees_small_numbers
from core.suppression import suppress_count
from core.views import ServiceFormView

from . import return_uploads, rules, selectors, services
from .definitions import COUNCIL_MEASURE, definitions_in_order
from .dfe_check import dfe_check_latest
from .filters import PlacementFilter
from .forms import (
    AgreementForm,
    AsOfForm,
    ConfirmReturnForm,
    CostDecisionForm,
    CostLineForm,
    Import903Form,
    IpaQueueForm,
    PanelReviewForm,
    PlacementCreateForm,
    PlacementEditForm,
)
from .importers import (
    EPISODE_COLUMNS,
    EPISODE_OPTIONAL,
    HEADER_COLUMNS,
    HEADER_OPTIONAL,
    load_postcode_districts,
)
from .models import AgreementStatus, CostLine, CostStatus, DfeCheck, PanelReview, PlacementAgreement
from .presenters import not_imported_notices, sufficiency_display
from .tables import PlacementTable

SECTION = ("Placements", "placements:index")


class InMemoryUpload(MemoryFileUploadHandler):
    """Keeps uploads up to the upload limit in memory, so child data never touches a temporary file."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = content_length <= MAX_UPLOAD_BYTES + 64 * 1024  # the form's limit plus the multipart framing


def _crumbs(*items):
    return [(SECTION[0], reverse(SECTION[1])), *items]


class AsOfMixin:
    """`?as_of=31/03/2025` on any page that shows figures for a day; a bad date shows an error, never a 500."""

    def get_as_of(self):
        if not hasattr(self, "_as_of"):
            self.as_of_form = AsOfForm(self.request.GET or None)
            self._as_of = timezone.localdate()
            if self.as_of_form.is_bound and self.as_of_form.is_valid() and self.as_of_form.cleaned_data["as_of"]:
                self._as_of = self.as_of_form.cleaned_data["as_of"]
        return self._as_of


class DashboardView(PermissionRequiredMixin, AsOfMixin, TemplateView):
    """Sufficiency measures as of any date. Users without child-level access see small numbers suppressed."""

    permission_required = "placements.view_sufficiency"
    template_name = "placements/index.html"

    def get_context_data(self, **kwargs):
        as_of = self.get_as_of()
        user = self.request.user
        child_level = user.has_perm("placements.view_placement")
        figures = selectors.sufficiency(as_of=as_of)
        unknown = selectors.district_unknown_count(as_of)
        return super().get_context_data(
            as_of=as_of, form=self.as_of_form if self.as_of_form.is_bound else AsOfForm(), figures=figures,
            show=sufficiency_display(figures, suppress=not sees_small_numbers(user)), child_level=child_level,
            can_import=user.has_perm("placements.add_placement"),
            can_approve=user.has_perm("placements.approve_costline"),
            awaiting_approval=selectors.cost_lines_awaiting_approval().count()
            if user.has_perm("placements.approve_costline") else 0,
            not_imported=not_imported_notices(user),
            district_unknown=suppress_count(unknown) if not sees_small_numbers(user) else unknown,
            crumbs=[("Placements", None)], **kwargs,
        )


class DefinitionsView(TemplateView):
    """How each figure is worked out: the definitions the measures count by, for everyone signed in (the KPI
    pages and committee reports that show these figures reach every role)."""

    template_name = "placements/definitions.html"

    def get_context_data(self, **kwargs):
        title = "How each figure is worked out"
        crumbs = _crumbs((title, None)) if self.request.user.has_perm("placements.view_sufficiency") else [
            (title, None)]
        return super().get_context_data(
            title=title, definitions=definitions_in_order(), council_measure=COUNCIL_MEASURE, crumbs=crumbs,
            **kwargs,
        )


class PlacementListView(PermissionRequiredMixin, AsOfMixin, SingleTableMixin, FilterView):
    permission_required = "placements.view_placement"
    template_name = "placements/placement_list.html"
    table_class = PlacementTable
    filterset_class = PlacementFilter
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.placement_list(user=self.request.user, as_of=self.get_as_of())

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["as_of"] = self.get_as_of()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        total = table.paginator.count if getattr(table, "paginator", None) else self.object_list.count()
        context.update(crumbs=_crumbs(("All placements", None)), as_of=self.get_as_of(), total=total)
        return context


class ChildView(PermissionRequiredMixin, TemplateView):
    """A child's placements as a timeline. Every view is recorded (who, when)."""

    permission_required = "placements.view_child"
    template_name = "placements/child.html"

    def get_context_data(self, **kwargs):
        child = selectors.child_for_user(user=self.request.user, pk=self.kwargs["pk"])
        services.child_page_view_record(child=child, user=self.request.user)
        today = timezone.localdate()
        placements = list(selectors.child_timeline(child=child, as_of=today))
        for p in placements:
            p.missing_agreement_and_cost = rules.missing_agreement_and_cost(
                start=p.start, end=p.end, provider_kind=p.provider_kind.kind if p.provider_kind else None,
                route=p.route, ipa_status=p.ipa_status,
                weekly_cost=p.weekly_cost, day=today,
            )
        chart = timeline_svg([(p.start, p.end, p.placement_type.code) for p in placements], today=today,
                             title=f"Placements of child {child.reference} over time")
        return super().get_context_data(
            child=child, placements=placements, today=today, timeline=mark_safe(chart),  # escaped parts
            recent_views=list(child.page_views.select_related("user")[:10]),
            crumbs=_crumbs((f"Child {child.reference}", None)), **kwargs,
        )


class PlacementView(PermissionRequiredMixin, TemplateView):
    permission_required = "placements.view_placement"
    template_name = "placements/placement.html"

    def get_context_data(self, **kwargs):
        placement = selectors.placement_for_user(user=self.request.user, pk=self.kwargs["pk"])
        today = timezone.localdate()
        user = self.request.user
        lines = list(placement.cost_lines.select_related("agreed_by", "approved_by"))
        agreement = PlacementAgreement.objects.filter(placement=placement).first()
        return super().get_context_data(
            placement=placement, agreement=agreement, cost_lines=lines,
            weekly_cost=services.weekly_cost_on(placement=placement, day=today) if lines else None,
            episodes=list(placement.episodes.select_related("legal_status", "reason_new_episode", "reason_ended")),
            reviews=list(placement.panel_reviews.all()), today=today,
            can_change=user.has_perm("placements.change_placement"),
            can_add_cost=user.has_perm("placements.add_costline"),
            can_approve=user.has_perm("placements.approve_costline"),
            can_edit_ipa=user.has_perm("placements.change_placementagreement"),
            crumbs=_crumbs((f"Child {placement.child.reference}", placement.child.get_absolute_url()),
                           (f"Placement from {placement.start:%-d %b %Y}", None)),
            **kwargs,
        )


class IpaQueueView(PermissionRequiredMixin, TemplateView):
    """External placements without a signed IPA, oldest placement first, filtered by status, provider and
    how long they have waited."""

    permission_required = "placements.view_placementagreement"
    template_name = "placements/ipa_queue.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        form = IpaQueueForm(self.request.GET or None, providers=selectors.ipa_queue_providers(as_of=as_of))
        filters = {}
        if form.is_bound and form.is_valid():
            as_of = form.cleaned_data["as_of"] or as_of
            filters = {k: form.cleaned_data[k] for k in ("status", "provider", "waiting")}
        queue = selectors.ipas_to_chase(as_of=as_of, **filters)
        return super().get_context_data(
            rows=list(queue[:500]), as_of=as_of, form=form if form.is_bound else IpaQueueForm(
                providers=selectors.ipa_queue_providers(as_of=as_of)),
            total=queue.count(), filtered=any(filters.values()),
            status_labels=dict(AgreementStatus.choices),
            can_edit=self.request.user.has_perm("placements.change_placementagreement"),
            crumbs=_crumbs(("IPAs not signed", None)), **kwargs,
        )


class PanelReviewsDueView(PermissionRequiredMixin, TemplateView):
    permission_required = "placements.view_panelreview"
    template_name = "placements/panel_reviews.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = list(selectors.panel_reviews_due(as_of=today)[:500])
        return super().get_context_data(
            rows=rows, today=today, can_record=self.request.user.has_perm("placements.change_panelreview"),
            crumbs=_crumbs(("Panel reviews due", None)), **kwargs,
        )


class FormPage(ServiceFormView):
    template_name = "placements/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.get_title(), crumbs=self.get_crumbs(), **kwargs)

    def get_title(self):
        return self.title

    def get_crumbs(self):
        return _crumbs((self.get_title(), None))


class PlacementFormPage(FormPage):
    def load(self, **kwargs):
        self.placement = selectors.placement_for_user(user=self.request.user, pk=kwargs["pk"])

    def get_crumbs(self):
        return _crumbs(
            (f"Child {self.placement.child.reference}", self.placement.child.get_absolute_url()),
            (f"Placement from {self.placement.start:%-d %b %Y}", self.placement.get_absolute_url()),
            (self.get_title(), None),
        )

    def success_url_for(self, obj):
        return self.placement.get_absolute_url()


class PlacementCreateView(FormPage):
    """Record a placement as it is made (the next 903 import matches it by child and start date)."""

    permission_required = "placements.add_placement"
    form_class = PlacementCreateForm
    title = "Record a placement"

    def get_initial(self):
        return {"child_reference": self.request.GET.get("child", "")[:20]}

    def save(self, form):
        return services.placement_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, placement):
        return "Placement recorded."


class PlacementEditView(PlacementFormPage):
    permission_required = "placements.change_placement"
    form_class = PlacementEditForm
    title = "Change placement details"

    def get_initial(self):
        p = self.placement
        initial = {name: getattr(p, name) for name in PlacementEditForm.base_fields if hasattr(p, name)}
        initial["in_area"] = {True: "yes", False: "no"}.get(p.in_area, "")
        for name in ("end",):
            if getattr(p, name):
                initial[name] = getattr(p, name).strftime("%d/%m/%Y")
        return initial

    def save(self, form):
        return services.placement_update(placement=self.placement, user=self.request.user, **form.cleaned_data)

    def success_message(self, placement):
        return "Placement details saved."


class CostLineCreateView(PlacementFormPage):
    permission_required = "placements.add_costline"
    form_class = CostLineForm
    title = "Record a cost change"

    def save(self, form):
        return services.cost_line_create(placement=self.placement, user=self.request.user, **form.cleaned_data)

    def notify(self, line, *, delayed=False):
        if line.status == CostStatus.AWAITING_APPROVAL:
            messages.warning(self.request, "Cost change recorded. It is above the approval threshold, so it takes "
                                           "effect only when a second person approves it.")
        else:
            messages.success(self.request, "Cost change recorded and in force.")


class AgreementEditView(PlacementFormPage):
    permission_required = "placements.change_placementagreement"
    form_class = AgreementForm
    title = "Individual placement agreement (IPA)"

    def get_initial(self):
        agreement = PlacementAgreement.objects.filter(placement=self.placement).first()
        if agreement is None:
            return {}
        return {f: getattr(agreement, f) for f in AgreementForm.base_fields}

    def save(self, form):
        values = dict(form.cleaned_data)
        for money in ("core_weekly", "additional_support_weekly", "education_weekly", "other_weekly"):
            values[money] = values[money] or 0
        return services.agreement_update(placement=self.placement, user=self.request.user, **values)

    def success_message(self, agreement):
        return "IPA saved."


class PanelReviewRecordView(FormPage):
    permission_required = "placements.change_panelreview"
    form_class = PanelReviewForm
    title = "Record the panel's decision"

    def load(self, **kwargs):
        self.review = get_object_or_404(
            PanelReview.objects.select_related("placement__child"), pk=kwargs["pk"], held_on__isnull=True
        )

    def get_crumbs(self):
        return _crumbs(("Panel reviews due", reverse("placements:panel_reviews")), (self.get_title(), None))

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, **kwargs)

    def save(self, form):
        return services.panel_review_record(review=self.review, user=self.request.user, **form.cleaned_data)

    def success_message(self, review):
        return "Panel decision recorded."

    def success_url_for(self, review):
        return reverse("placements:panel_reviews")


class CostApprovalsView(PermissionRequiredMixin, TemplateView):
    permission_required = "placements.approve_costline"
    template_name = "placements/cost_approvals.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lines=list(selectors.cost_lines_awaiting_approval()[:500]),
            crumbs=_crumbs(("Cost changes awaiting approval", None)), **kwargs,
        )


class CostDecisionView(FormPage):
    """A second person approves or rejects a cost change above the threshold."""

    permission_required = "placements.approve_costline"
    form_class = CostDecisionForm
    title = "Approve or reject a cost change"

    def load(self, **kwargs):
        try:
            self.line = selectors.cost_lines_awaiting_approval().get(pk=kwargs["pk"])
        except (CostLine.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def get_crumbs(self):
        return _crumbs(("Cost changes awaiting approval", reverse("placements:cost_approvals")),
                       (self.get_title(), None))

    def get_context_data(self, **kwargs):
        placement = self.line.placement
        return super().get_context_data(
            line=self.line, current=services.weekly_cost_on(placement=placement, day=self.line.effective_from),
            own_change=self.line.agreed_by_id == self.request.user.pk, **kwargs,
        )

    def save(self, form):
        return services.cost_line_decide(line=self.line, approve=form.cleaned_data["decision"] == "approve",
                                         user=self.request.user)

    def success_message(self, line):
        return "Decision recorded."

    def success_url_for(self, line):
        return reverse("placements:cost_approvals")


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked below, after the upload handlers are set
class Import903View(FormPage):
    """Upload the 903 header and episodes files; the worker checks them and the page shows what importing would
    create, update and remove; the worker imports them once the person confirms (the removals apart). The files
    are read in memory, never written to a temporary file, and held only until the worker has checked them
    (placements/return_uploads.py)."""

    permission_required = "placements.add_placement"
    form_class = Import903Form
    template_name = "placements/import_903.html"
    title = "Import the SSDA903 return"

    def dispatch(self, request, *args, **kwargs):
        request.upload_handlers = [InMemoryUpload(request)]
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "job" in request.GET:
            return self.job_page(request.GET["job"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request.POST["confirm"], skip=request.POST.get("skip") == "yes")
        if "cancel" in request.POST:
            return_uploads.return_upload_cancel(user=request.user, token=request.POST["cancel"])
            messages.success(request, "The upload was cancelled and its files deleted. Nothing was imported.")
            return redirect("placements:import_903")
        return super().post(request, *args, **kwargs)

    def save(self, form):
        header, episodes = form.cleaned_data["header"], form.cleaned_data["episodes"]
        return return_uploads.return_upload_queue(user=self.request.user, header_name=header.name,
                                                  header_data=header.read(), episodes_name=episodes.name,
                                                  episodes_data=episodes.read())

    def success_message(self, token):
        return "Both files were uploaded. They are being checked: nothing is imported until you confirm."

    def delayed_job(self, token):
        return "Checking the return"

    def success_url_for(self, token):
        return f"{reverse('placements:import_903')}?job={token}"

    def _expired(self):
        form = self.get_form_class()(data={})
        form.is_valid()  # bound, so the error summary shows; the message replaces "select the header file"
        form.errors["header"] = form.error_class(["The check has expired or was cancelled: upload both files again"])
        form.errors.pop("episodes", None)
        return self.render_to_response(self.get_context_data(form=form))

    def job_page(self, token: str, *, confirm_form=None):
        job = return_uploads.return_job_get(user=self.request.user, token=token)
        if job is None:
            return self._expired()
        context = {"job": job, "token": token, "form": self.get_form_class()()}
        for skip, planned in ((False, job.check), (True, job.skip_check)):
            if planned and job.stage in (CHECKED, PROBLEMS):
                form = confirm_form if confirm_form is not None and confirm_form.skip == skip else None
                context["skip_form" if skip else "confirm_form"] = form or ConfirmReturnForm(
                    removals=planned["removed"], skip=skip)
        if job.result:
            context["new_children"] = selectors.children_by_reference(job.result["new_children"])
        return self.render_to_response(self.get_context_data(**context))

    def confirm(self, token: str, *, skip: bool):
        job = return_uploads.return_job_get(user=self.request.user, token=token)
        planned = job.planned(skip=skip) if job else None
        if planned is None:
            return self._expired()
        form = ConfirmReturnForm(self.request.POST, removals=planned["removed"], skip=skip)
        if not form.is_valid():
            return self.job_page(token, confirm_form=form)
        try:
            with outbox.watch() as sending:
                return_uploads.return_upload_confirm(user=self.request.user, token=token, skip=skip)
        except return_uploads.NothingToConfirm:
            return self._expired()
        if sending.failed:
            messages.warning(self.request, outbox.DELAYED_MESSAGE.format(job="Importing the return"))
        return redirect(self.success_url_for(token))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dfe_check"], context["dfe_hold_hours"] = dfe_check_latest(), settings.DFE_CHECK_UPLOAD_MAX_HOURS
        context["hold_minutes"] = return_uploads.CHECK_SECONDS // 60
        return context


class Import903TemplateView(PermissionRequiredMixin, View):
    """An empty header or episodes file with the 903 columns this import reads, to fill in or compare with."""

    permission_required = "placements.add_placement"

    def get(self, request, file):
        columns = {"header": HEADER_COLUMNS + HEADER_OPTIONAL, "episodes": EPISODE_COLUMNS + EPISODE_OPTIONAL}
        if file not in columns:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="903-{file}-template.csv"'
        csv.writer(response).writerow([c.upper() for c in columns[file]])
        return response


class ReturnImportView(PermissionRequiredMixin, TemplateView):
    """One 903 import: what it did and each child it did not import, with their rows and problems."""

    permission_required = "placements.view_child"
    template_name = "placements/return_import.html"

    def get_context_data(self, **kwargs):
        record = get_object_or_404(selectors.return_imports(), pk=self.kwargs["pk"])
        return super().get_context_data(
            record=record, skipped=list(record.skipped_children.select_related("replaced_by")),
            crumbs=_crumbs(("Import the SSDA903 return", reverse("placements:import_903")),
                           (f"Return imported {record.imported_at:%-d %b %Y}", None)),
            **kwargs,
        )


class DataProblemsView(PermissionRequiredMixin, AsOfMixin, TemplateView):
    """What to fix in the case system: children the 903 imports left out, and postcode districts not in
    the district list (distance unknown)."""

    permission_required = "placements.view_child"
    template_name = "placements/data_problems.html"

    def get_context_data(self, **kwargs):
        as_of = self.get_as_of()
        return super().get_context_data(
            as_of=as_of, returns=list(selectors.returns_with_children_not_imported()),
            districts=selectors.districts_unknown(as_of),
            can_load_districts=self.request.user.has_perm("placements.add_postcodedistrict"),
            crumbs=_crumbs(("903 data problems", None)), **kwargs,
        )


class ImportDistrictsView(ImportUploadView):
    """Postcode-district centroids (the same importer as `load_postcode_districts`)."""

    permission_required = "placements.add_postcodedistrict"
    title = "Import postcode-district centroids"
    columns = ["district", "latitude", "longitude"]
    optional_columns = ["local_authority"]
    importer = staticmethod(load_postcode_districts)
    area, kind = "placements", "postcode_districts"

    def get_success_url(self):
        return reverse("placements:index")

    def get_context_data(self, **kwargs):
        self.breadcrumbs = _crumbs((self.title, None))
        return super().get_context_data(**kwargs)


class DfeCheckRowsView(PermissionRequiredMixin, View):
    """Every row a DfE check flagged, by rule, as a CSV to work through in the case system."""

    permission_required = "placements.add_placement"  # as the import page that shows the check

    def get(self, request, pk):
        check = get_object_or_404(DfeCheck, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dfe-check-{check.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(["rule", "description", "file", "row", "child"])
        for finding in check.findings.all():
            rule = spreadsheet_safe(finding.rule_code)
            if finding.error:
                writer.writerow([rule, f"Could not be checked: {finding.error}", "", "", ""])
            for file, row, child in finding.rows:
                writer.writerow([rule, *(spreadsheet_safe(v) for v in (finding.description, file, row, child))])
        return response


class PlacementImportRecordsView(ImportRecordListView):
    """903 returns and postcode districts imported, from the upload pages and the commands."""

    permission_required = "placements.add_placement"
    area = "placements"
    title = "Placements imports"
    nav_section = "placements"

    @property
    def breadcrumbs(self):
        return _crumbs(("Imports", None))
