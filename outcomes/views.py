from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView

from core.import_views import ImportRecordListView, ImportUploadView

from . import selectors
from .imports import OUTCOME_COLUMNS, OUTCOME_OPTIONAL, import_outcomes
from .models import Outcome, Theme


class IndexView(PermissionRequiredMixin, TemplateView):
    """The outcomes framework: theme by age band, with owners and the current RAG of each outcome's KPIs."""

    permission_required = "outcomes.view_outcome"
    template_name = "outcomes/index.html"

    def get_context_data(self, **kwargs):
        theme = None
        theme_id = self.request.GET.get("theme", "")
        if theme_id.isdigit():
            theme = Theme.objects.filter(pk=int(theme_id)).first()
        context = super().get_context_data(**kwargs)
        context.update(selectors.framework_grid(theme=theme))
        context.update(all_themes=Theme.objects.all(), selected_theme=theme, crumbs=[("Outcomes", None)])
        return context


class OutcomeDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "outcomes.view_outcome"
    template_name = "outcomes/detail.html"

    def get_context_data(self, **kwargs):
        try:
            outcome = selectors.outcome_detail(pk=self.kwargs["pk"])
        except Outcome.DoesNotExist as exc:
            raise Http404("No such outcome") from exc
        context = super().get_context_data(**kwargs)
        context.update(outcome=outcome, crumbs=[("Outcomes", reverse("outcomes:index")), ("Outcome", None)])
        return context


class OutcomeImportView(ImportUploadView):
    permission_required = "outcomes.add_outcome"
    title = "Import outcomes"
    columns, optional_columns = OUTCOME_COLUMNS, OUTCOME_OPTIONAL
    importer = staticmethod(import_outcomes)
    area = kind = "outcomes"
    success_url = reverse_lazy("outcomes:index")
    breadcrumbs = [("Outcomes framework", reverse_lazy("outcomes:index")), ("Import outcomes", None)]


class OutcomeImportRecordsView(ImportRecordListView):
    permission_required = "outcomes.add_outcome"
    area = "outcomes"
    title = "Outcome imports"
    breadcrumbs = [("Outcomes framework", reverse_lazy("outcomes:index")), ("Imports", None)]
