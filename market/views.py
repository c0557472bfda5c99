"""Thin views: each reads through a selector and writes through a service."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from contracts.models import Contract, OfstedRating, Provider
from contracts.selectors import contract_register
from core.formatting import spreadsheet_safe
from core.import_views import ImportRecordListView, ImportUploadForm, ImportUploadView
from core.imports import ImportFailed, read_table
from core.roles import sees_small_numbers
from core.views import ServiceFormView as CoreServiceFormView

from . import ofsted, selectors, services
from .forms import (
    ActionForm,
    ContractKpiForm,
    GroupForm,
    LinkSettingForm,
    PerformanceRatingForm,
    ProviderGroupForm,
    QualityCheckForm,
)
from .models import QualityAction, QualityCheck

VIEW = "market.view_owninggroup"


def _crumbs(*extra):
    return [("Market and quality", reverse("market:index")), *extra]


class MarketPage(PermissionRequiredMixin, TemplateView):
    permission_required = VIEW
    nav_section = "market"


class MarketIndexView(MarketPage):
    template_name = "market/index.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        figures = selectors.for_viewer(selectors.concentration(as_of=as_of),
                                       sees_small_numbers=sees_small_numbers(self.request.user))
        return super().get_context_data(
            figures=figures, as_of=as_of, needing_kpis=selectors.contracts_needing_kpis(as_of=as_of),
            crumbs=[("Market and quality", None)], **kwargs)


class GroupListView(MarketPage):
    template_name = "market/group_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.group_list(), crumbs=_crumbs(("Owning groups", None)),
                                        **kwargs)


class GroupDetailView(MarketPage):
    template_name = "market/group_detail.html"

    def get_context_data(self, **kwargs):
        group = selectors.group_get(pk=kwargs["pk"])
        as_of = timezone.localdate()
        figures = selectors.for_viewer(selectors.concentration(as_of=as_of),
                                       sees_small_numbers=sees_small_numbers(self.request.user))
        members = selectors.group_descendants(group)
        providers = Provider.objects.filter(ownership__group_id__in=members).select_related(
            "ownership__group").order_by("name")
        holdings = {h.key: h for h in figures.providers}
        rows = [{"provider": p, "holding": holdings.get(f"p{p.pk}")} for p in providers]
        return super().get_context_data(
            group=group, rows=rows, subsidiaries=group.subsidiaries.order_by("name"), figures=figures,
            crumbs=_crumbs(("Owning groups", reverse("market:groups")), (group.name, None)), **kwargs)


class ServiceFormView(CoreServiceFormView):
    """A market form page (intro, button and cancel link) whose answers go to a service."""

    template_name = "market/object_form.html"
    nav_section = "market"
    submit_label = "Save"
    intro = ""
    caption = ""
    title = ""

    def get_context_data(self, **kwargs):
        context = {"title": self.title, "caption": self.caption, "intro": self.intro,
                   "submit_label": self.submit_label, "cancel_url": self.cancel_url(), "crumbs": self.crumbs()}
        return super().get_context_data(**{**context, **kwargs})

    def cancel_url(self):
        return reverse("market:index")

    def crumbs(self):
        return _crumbs((self.title, None))


class GroupCreateView(ServiceFormView):
    permission_required = "market.add_owninggroup"
    form_class = GroupForm
    title = "Add an owning group"
    submit_label = "Save group"

    def save(self, form):
        return services.group_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, group):
        return f"Group added: {group.name}"

    def cancel_url(self):
        return reverse("market:groups")


class GroupEditView(ServiceFormView):
    permission_required = "market.change_owninggroup"
    form_class = GroupForm
    submit_label = "Save group"

    def load(self, **kwargs):
        self.group = selectors.group_get(pk=kwargs["pk"])
        self.title = f"Change {self.group.name}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.group}

    def get_initial(self):
        return {"name": self.group.name, "parent": self.group.parent, "notes": self.group.notes}

    def save(self, form):
        return services.group_update(group=self.group, user=self.request.user, **form.cleaned_data)

    def success_message(self, group):
        return f"Group updated: {group.name}"

    def cancel_url(self):
        return self.group.get_absolute_url()


class ProviderMarketView(MarketPage):
    template_name = "market/provider_detail.html"

    def get_context_data(self, **kwargs):
        provider = selectors.provider_get(pk=kwargs["pk"])
        as_of = timezone.localdate()
        checks, inspections = selectors.provider_quality(provider=provider)
        risk_row = next((r for r in selectors.provider_risks(as_of=as_of) if r["provider"].pk == provider.pk), None)
        return super().get_context_data(
            provider=provider, checks=checks, inspections=inspections, risk=risk_row and risk_row["score"],
            alerts=provider.market_alerts.select_related("setting"), as_of=as_of,
            group=getattr(getattr(provider, "ownership", None), "group", None),
            crumbs=_crumbs(("Provider risk", reverse("market:risk")), (provider.name, None)), **kwargs)


class ProviderGroupView(ServiceFormView):
    permission_required = "market.change_providerownership"
    form_class = ProviderGroupForm
    submit_label = "Save"

    def load(self, **kwargs):
        self.provider = selectors.provider_get(pk=kwargs["pk"])
        self.title = f"Owning group of {self.provider.name}"

    def get_initial(self):
        ownership = getattr(self.provider, "ownership", None)
        return {"group": ownership.group if ownership else None}

    def save(self, form):
        services.provider_set_group(provider=self.provider, group=form.cleaned_data["group"], user=self.request.user)
        return self.provider

    def success_message(self, provider):
        return f"Owning group saved for {provider.name}"

    def success_url_for(self, provider):
        return reverse("market:provider_detail", kwargs={"pk": provider.pk})

    def cancel_url(self):
        return reverse("market:provider_detail", kwargs={"pk": self.provider.pk})


class QualityCheckCreateView(ServiceFormView):
    permission_required = "market.add_qualitycheck"
    form_class = QualityCheckForm
    submit_label = "Save check"
    intro = "A quality assurance visit, the provider's self-assessment, or an audit, with the action agreed."

    def load(self, **kwargs):
        self.provider = selectors.provider_get(pk=kwargs["pk"])
        self.title = f"Record a quality check of {self.provider.name}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "provider": self.provider}

    def save(self, form):
        data = dict(form.cleaned_data)
        action = {k: data.pop(k) for k in ("action", "owner", "due_on")}
        actions = [action] if action["action"] else []
        return services.quality_check_record(provider=self.provider, user=self.request.user, actions=actions, **data)

    def success_message(self, check):
        return f"{check.get_kind_display()} recorded"

    def cancel_url(self):
        return reverse("market:provider_detail", kwargs={"pk": self.provider.pk})


class ActionAddView(ServiceFormView):
    permission_required = "market.add_qualityaction"
    form_class = ActionForm
    submit_label = "Save action"

    def load(self, **kwargs):
        self.check = QualityCheck.objects.select_related("provider").filter(pk=kwargs["pk"]).first()
        if self.check is None:
            raise Http404("No such check")
        self.title = f"Add an action to the {self.check.get_kind_display().lower()} of {self.check.provider}"

    def save(self, form):
        return services.quality_action_add(check=self.check, user=self.request.user, **form.cleaned_data)

    def success_message(self, action):
        return "Action added"

    def cancel_url(self):
        return self.check.get_absolute_url()


class ActionCompleteView(PermissionRequiredMixin, View):
    permission_required = "market.change_qualityaction"

    def post(self, request, pk):
        action = QualityAction.objects.select_related("check_record").filter(pk=pk).first()
        if action is None:
            raise Http404("No such action")
        if action.completed_on is None:
            services.quality_action_complete(action=action, user=request.user, completed_on=timezone.localdate())
            messages.success(request, f"Action completed: {action.action}")
        return redirect(action.get_absolute_url())


class UnmatchedSettingsView(MarketPage):
    template_name = "market/unmatched.html"

    def get_context_data(self, **kwargs):
        # PostgreSQL refuses a NUL character in a query, so a pasted one is dropped rather than searched for.
        search = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]
        urn = self.request.GET.get("urn", "").replace("\x00", "").strip()[:12]
        settings_qs = selectors.unmatched_settings(search=search or urn)
        page = Paginator(settings_qs, 50).get_page(self.request.GET.get("page"))
        labels = dict(OfstedRating.choices)
        for setting in page:
            setting.latest_label = labels.get(setting.latest_judgement, "–")
        return super().get_context_data(page=page, search=search or urn,
                                        crumbs=_crumbs(("Settings not matched to a provider", None)), **kwargs)


class LinkSettingView(ServiceFormView):
    permission_required = "market.change_ofstedsetting"
    form_class = LinkSettingForm
    submit_label = "Link setting"

    def load(self, **kwargs):
        self.setting = selectors.setting_get_unmatched(pk=kwargs["pk"])
        self.title = f"Link URN {self.setting.urn} to a provider"
        self.intro = (f"{self.setting.setting_name or 'This setting'}, registered to "
                      f"{self.setting.provider_name or 'a provider Ofsted does not name'}"
                      f"{', ' + self.setting.local_authority if self.setting.local_authority else ''}.")

    def save(self, form):
        return services.ofsted_setting_link(setting=self.setting, provider=form.cleaned_data["provider"],
                                            user=self.request.user)

    def success_message(self, setting):
        return f"URN {setting.urn} linked to {setting.provider}"

    def cancel_url(self):
        return reverse("market:unmatched")


class OfstedImportView(ImportUploadView):
    permission_required = "market.add_ofstedsetting"
    title = "Import Ofsted's provider data"
    area, kind = "market", "ofsted"
    columns = [names[0] for names in ofsted.COLUMNS.values()]
    nav_section = "market"
    breadcrumbs = [("Market and quality", "/market/"), ("Import Ofsted's provider data", None)]
    importer = staticmethod(services.import_ofsted_providers)

    def get_success_url(self):
        return reverse("market:unmatched")


class RiskMatrixView(MarketPage):
    template_name = "market/risk.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        rows = selectors.provider_risks(as_of=as_of)
        return super().get_context_data(rows=rows, matrix=selectors.risk_matrix(rows), as_of=as_of,
                                        crumbs=_crumbs(("Provider risk", None)), **kwargs)


class ContractPerformanceView(MarketPage):
    template_name = "market/contract_performance.html"

    def get_context_data(self, **kwargs):
        contract = contract_register(user=self.request.user, as_of=timezone.localdate()).filter(
            pk=kwargs["pk"]).first()
        if contract is None:
            raise Http404("No such contract")
        return super().get_context_data(
            contract=contract, rows=selectors.contract_kpi_rows(contract=contract),
            ratings=contract.performance_ratings.select_related("assessed_by"),
            crumbs=_crumbs(("Contract performance", reverse("market:performance")), (contract.reference, None)),
            **kwargs)


def _contract(pk):
    contract = Contract.objects.select_related("provider").filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract")
    return contract


class ContractKpiCreateView(ServiceFormView):
    permission_required = "market.add_contractindicator"
    form_class = ContractKpiForm
    submit_label = "Save KPI"

    def load(self, **kwargs):
        self.contract = _contract(kwargs["pk"])
        self.title = f"Add a KPI to {self.contract.reference}"

    def save(self, form):
        return services.contract_kpi_create(contract=self.contract, user=self.request.user, **form.cleaned_data)

    def success_message(self, indicator):
        return f"KPI {indicator.code} added"

    def cancel_url(self):
        return reverse("market:contract_performance", kwargs={"pk": self.contract.pk})


class ContractReturnView(PermissionRequiredMixin, FormView):
    permission_required = "market.add_contractindicatorvalue"
    form_class = ImportUploadForm
    template_name = "includes/import_page.html"
    nav_section = "market"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.contract = _contract(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.read(), upload.name)
            summary = services.contract_return_import(table, contract=self.contract, user=self.request.user)
        except ImportFailed as failed:
            return self.render_to_response(self.get_context_data(form=form, import_errors=failed.errors,
                                                                 filename=upload.name))
        messages.success(self.request, f"{upload.name} imported: {summary}.")
        return redirect("market:contract_performance", pk=self.contract.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Upload the provider's return for {self.contract.reference}",
            columns=services.RETURN_COLUMNS, optional_columns=services.RETURN_OPTIONAL,
            crumbs=_crumbs((self.contract.reference, reverse("market:contract_performance",
                                                              kwargs={"pk": self.contract.pk})),
                           ("Provider's return", None)), **kwargs)


class ContractRateView(ServiceFormView):
    permission_required = "market.add_contractperformanceassessment"
    form_class = PerformanceRatingForm
    submit_label = "Save rating"
    intro = "The Procurement Act 2023 scale. The rating and its reasons are published."

    def load(self, **kwargs):
        self.contract = _contract(kwargs["pk"])
        self.title = f"Rate the performance of {self.contract.reference}"

    def save(self, form):
        return services.contract_performance_rate(contract=self.contract, user=self.request.user,
                                                  **form.cleaned_data)

    def success_message(self, assessment):
        return f"Rating recorded: {assessment.get_rating_display()}"

    def cancel_url(self):
        return reverse("market:contract_performance", kwargs={"pk": self.contract.pk})


class PerformanceView(MarketPage):
    template_name = "market/performance.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        return super().get_context_data(
            needing_kpis=selectors.contracts_needing_kpis(as_of=as_of), ratings=selectors.latest_ratings(),
            crumbs=_crumbs(("Contract performance", None)), **kwargs)


class RatingsExportView(PermissionRequiredMixin, View):
    """Contract performance ratings for publication (Procurement Act 2023)."""

    permission_required = VIEW

    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="contract-performance-ratings.csv"'
        writer = csv.writer(response)
        writer.writerow(["contract_reference", "contract_title", "supplier", "year_ending", "rating", "reasons"])
        for a in selectors.latest_ratings():
            # Published for anyone to open in a spreadsheet: no text cell may run as a formula.
            writer.writerow([spreadsheet_safe(v) for v in (
                a.contract.reference, a.contract.title, a.contract.provider.name,
                a.year_ending.isoformat(), a.get_rating_display(), a.reasons)])
        return response


class MarketImportRecordsView(ImportRecordListView):
    """Ofsted provider-data imports, from the upload page and the command."""

    permission_required = "market.add_ofstedsetting"
    area = "market"
    title = "Market imports"
    nav_section = "market"

    @property
    def breadcrumbs(self):
        return _crumbs(("Imports", None))
