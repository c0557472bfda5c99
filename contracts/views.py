"""Thin views: each reads through a selector and writes through a service."""

from collections import OrderedDict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import periods
from core.import_views import ImportRecordListView, ImportUploadView
from core.periods import Quarter, add_months
from core.views import ServiceFormView as CoreServiceFormView

from . import dates, exports, selectors, services
from .filters import ContractFilter, ProviderFilter
from .forms import ContractForm, DecisionForm, FrameworkForm, MembershipForm, PlanItemForm, ProviderForm, ReviewForm
from .imports import IMPORT_COLUMNS, IMPORT_OPTIONAL_COLUMNS, import_contracts
from .models import Decision, FrameworkMembership, PlanStatus, ShownStatus, ofsted_below_good
from .tables import ContractTable, ProviderTable


def _crumbs(*extra):
    return [("Contracts", reverse("contracts:index")), *extra]


def parse_as_of(value) -> date:
    """?as_of=2026-03-31 (or 31/03/2026), else today. A bad or out-of-range date is ignored rather than an
    error page."""
    return periods.parse_as_of(value, default=timezone.localdate())


class ContractRegisterView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "contracts.view_contract"
    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "contracts/register.html"
    nav_section = "contracts"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["as_of"] = self.as_of
        kwargs["data"] = self.request.GET  # always bound, so the default (current contracts) applies
        return kwargs

    def dispatch(self, request, *args, **kwargs):
        self.as_of = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.contract_register(user=self.request.user, as_of=self.as_of)

    def get_table_kwargs(self):
        return {"as_of": self.as_of}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.object_list.order_by().aggregate(count=Count("pk"), annual=Sum("annual_value"),
                                                      whole_life=Sum("total_value"))
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        context.update(
            totals=totals, as_of=self.as_of, crumbs=[("Contracts", None)], export_query=query.urlencode(),
            filters_applied=any(v for k, v in self.request.GET.items() if k not in ("page", "sort")),
        )
        return context


class ContractExportView(ContractRegisterView):
    """The register's filtered rows (all pages) as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("csv", "xlsx"):
            raise Http404("Exports are CSV or XLSX")
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        stamp = self.as_of.isoformat()
        if fmt == "xlsx":
            body = exports.register_xlsx(rows, as_of=self.as_of)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = exports.register_csv(rows, as_of=self.as_of)
            ctype = "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="contracts-register-{stamp}.{fmt}"'
        return response


class ContractDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/detail.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        contract = selectors.contract_get(user=self.request.user, pk=kwargs["pk"], as_of=as_of)
        options = contract.extension_months
        days_to_end = dates.days_to(contract.current_end, as_of)
        remaining = dates.remaining_extensions(decision_due_on=contract.decision_due_on,
                                               decision_recorded=contract.decision_recorded, as_of=as_of)
        return super().get_context_data(
            contract=contract, as_of=as_of,
            timeline=dates.timeline(contract.start_date, contract.end_date, options, contract.extensions_used,
                                    remaining=remaining),
            extensions_left=len(options) - contract.extensions_used, extensions_remaining=remaining,
            days_to_end=days_to_end, days_since_end=-days_to_end if days_to_end < 0 else None,
            ended_no_decision=contract.effective_status == ShownStatus.ENDED_NO_DECISION,
            ofsted_below_good=ofsted_below_good(contract.provider.ofsted_rating),
            decision_overdue=dates.decision_overdue(
                status=contract.effective_status, decision_recorded=contract.decision_recorded,
                decision_due_on=contract.decision_due_on, current_end_date=contract.current_end, as_of=as_of),
            review_overdue=dates.review_overdue(
                status=contract.effective_status, next_review_due=contract.next_review_due, as_of=as_of),
            reviews=selectors.contract_reviews(contract=contract),
            indicators=contract.indicators.all().order_by("code"),
            outcomes=contract.outcomes.all(),
            plan_items=contract.replacement_plans.all(),
            crumbs=_crumbs((contract.reference, None)),
            **kwargs,
        )


class ContractFormMixin:
    form_class = ContractForm
    template_name = "contracts/contract_form.html"

    def contract_fields(self, form) -> dict:
        links = {"indicators": form.cleaned_data.get("indicators"), "outcomes": form.cleaned_data.get("outcomes")}
        return {k: v for k, v in form.cleaned_data.items() if k not in links} | links

    def success_url_for(self, contract):
        return contract.get_absolute_url()


class ContractCreateView(ContractFormMixin, CoreServiceFormView):
    permission_required = "contracts.add_contract"

    def save(self, form):
        return services.contract_create(user=self.request.user, **self.contract_fields(form))

    def success_message(self, contract):
        return f"Contract {contract.reference} added"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Add a contract", crumbs=_crumbs(("Add a contract", None)), **kwargs)


class ContractObjectFormView(CoreServiceFormView):
    """A form about one contract: the contract is fetched and authorised before anything else."""

    def load(self, **kwargs):
        self.contract = selectors.contract_get(user=self.request.user, pk=kwargs["pk"], as_of=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = {"contract": self.contract, "title": self.title,
                   "crumbs": _crumbs((self.contract.reference, self.contract.get_absolute_url()), (self.title, None))}
        return super().get_context_data(**{**context, **kwargs})


class ContractEditView(ContractFormMixin, ContractObjectFormView):
    permission_required = "contracts.change_contract"

    @property
    def title(self):
        return f"Edit {self.contract.reference}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.contract}

    def save(self, form):
        return services.contract_update(contract=self.contract, user=self.request.user, **self.contract_fields(form))

    def success_message(self, contract):
        return f"Contract {contract.reference} updated"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            crumbs=_crumbs((self.contract.reference, self.contract.get_absolute_url()), ("Edit", None)), **kwargs)


class RecordDecisionView(ContractObjectFormView):
    permission_required = "contracts.change_contract"
    form_class = DecisionForm
    template_name = "contracts/decision_form.html"
    title = "Record the decision for the end of the contract"

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.contract.extension_months[self.contract.extensions_used:]:
            form.fields["decision"].choices = [c for c in Decision.choices if c[0] != Decision.EXTEND]
        return form

    def save(self, form):
        return services.contract_record_decision(
            contract=self.contract, decision=form.cleaned_data["decision"], decided_by=self.request.user,
            decided_on=form.cleaned_data["decided_on"], note=form.cleaned_data["note"])

    def success_message(self, contract):
        if contract.decision == Decision.EXTEND:
            return f"Extension recorded: {contract.reference} now ends on {contract.current_end:%-d %B %Y}"
        return f"Decision recorded for {contract.reference}: {contract.get_decision_display().lower()}"


class AddReviewView(ContractObjectFormView):
    permission_required = "contracts.add_contractreview"
    form_class = ReviewForm
    template_name = "contracts/review_form.html"
    title = "Add a review or visit"

    def save(self, form):
        return services.contract_review_record(contract=self.contract, user=self.request.user, **form.cleaned_data)

    def success_message(self, review):
        return f"Review of {self.contract.reference} on {review.reviewed_on:%-d %B %Y} added"

    def success_url_for(self, review):
        return self.contract.get_absolute_url()


class ProviderListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "contracts.view_provider"
    table_class = ProviderTable
    filterset_class = ProviderFilter
    template_name = "contracts/provider_list.html"
    nav_section = "contracts"

    def get_queryset(self):
        return selectors.provider_register(user=self.request.user, as_of=timezone.localdate())

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=_crumbs(("Providers", None)), **kwargs)


class ProviderDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_provider"
    template_name = "contracts/provider_detail.html"

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        provider = selectors.provider_get(user=self.request.user, pk=kwargs["pk"])
        contracts = selectors.contract_register(user=self.request.user, as_of=as_of).filter(provider=provider)
        memberships = provider.framework_memberships.select_related("framework").order_by("framework__name")
        return super().get_context_data(
            provider=provider, contracts=contracts, memberships=memberships, as_of=as_of,
            totals=contracts.order_by().aggregate(annual=Sum("annual_value")),
            crumbs=_crumbs(("Providers", reverse("contracts:providers")), (provider.name, None)), **kwargs)


class FrameworkListView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_framework"
    template_name = "contracts/framework_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(frameworks=selectors.framework_list(user=self.request.user),
                                        crumbs=_crumbs(("Frameworks", None)), **kwargs)


class FrameworkDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_framework"
    template_name = "contracts/framework_detail.html"

    def get_context_data(self, **kwargs):
        framework = selectors.framework_get(user=self.request.user, pk=kwargs["pk"])
        as_of = timezone.localdate()
        contracts = selectors.contract_register(user=self.request.user, as_of=as_of).filter(framework=framework)
        return super().get_context_data(
            framework=framework, contracts=contracts, as_of=as_of,
            crumbs=_crumbs(("Frameworks", reverse("contracts:frameworks")), (framework.name, None)), **kwargs)


class PipelineView(PermissionRequiredMixin, TemplateView):
    """The procurement pipeline grouped by the financial-year quarter of the planned award."""

    permission_required = "contracts.view_procurementplanitem"
    template_name = "contracts/pipeline.html"

    def get_context_data(self, **kwargs):
        items = list(selectors.pipeline_items(user=self.request.user).exclude(status=PlanStatus.CANCELLED))
        quarters = OrderedDict()
        for item in items:
            key = Quarter.containing(item.planned_award)
            quarters.setdefault(key, {"label": key.label, "items": [], "total": 0})
            quarters[key]["items"].append(item)
            quarters[key]["total"] += item.estimated_value
        key_decisions = [i for i in items if i.key_decision]
        return super().get_context_data(
            quarters=list(quarters.values()), key_decisions=key_decisions,
            awaiting_approval=[i for i in key_decisions if not i.approved_on],
            total=sum((i.estimated_value for i in items), 0), as_of=timezone.localdate(),
            crumbs=_crumbs(("Procurement pipeline", None)), **kwargs)


class ServiceFormView(CoreServiceFormView):
    """A contracts form page (caption, intro, button and cancel link) whose answers go to a service."""

    template_name = "contracts/object_form.html"
    nav_section = "contracts"
    submit_label = "Save"
    intro = ""
    caption = ""

    def get_context_data(self, **kwargs):
        context = {"title": self.get_title(), "caption": self.caption, "intro": self.intro,
                   "submit_label": self.submit_label, "cancel_url": self.cancel_url(), "crumbs": self.crumbs()}
        return super().get_context_data(**{**context, **kwargs})

    def get_title(self):
        return self.title


class PlanItemCreateView(ServiceFormView):
    permission_required = "contracts.add_procurementplanitem"
    form_class = PlanItemForm
    title = "Add a planned procurement"
    submit_label = "Save procurement"
    intro = "It appears in the pipeline in the financial-year quarter of its planned award."

    def get_initial(self):
        return {"status": PlanStatus.PLANNED, "lead_officer": self.request.user.pk}

    def save(self, form):
        return services.plan_item_create(user=self.request.user, **form.service_fields())

    def success_message(self, item):
        return f"Procurement added to the pipeline: {item.title}"

    def cancel_url(self):
        return reverse("contracts:pipeline")

    def crumbs(self):
        return _crumbs(("Procurement pipeline", reverse("contracts:pipeline")), (self.title, None))


class PlanItemEditView(PlanItemCreateView):
    permission_required = "contracts.change_procurementplanitem"

    def load(self, **kwargs):
        self.item = selectors.plan_item_get(user=self.request.user, pk=kwargs["pk"])

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_title(self):
        return "Edit planned procurement"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            caption=self.item.title,
            history_url=reverse("record_history", args=["contracts", "procurementplanitem", self.item.pk]),
            **kwargs)

    def save(self, form):
        return services.plan_item_update(item=self.item, user=self.request.user, **form.service_fields())

    def success_message(self, item):
        return f"Procurement updated: {item.title}"

    def crumbs(self):
        return _crumbs(("Procurement pipeline", reverse("contracts:pipeline")), (self.get_title(), None))


class FrameworkCreateView(ServiceFormView):
    permission_required = "contracts.add_framework"
    form_class = FrameworkForm
    title = "Add a framework or approved list"
    submit_label = "Save framework"
    intro = "Add its providers, with their tiers and agreed prices, from the framework's page once it is saved."

    def save(self, form):
        return services.framework_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, framework):
        return f"Framework added: {framework.name}"

    def cancel_url(self):
        return reverse("contracts:frameworks")

    def crumbs(self):
        return _crumbs(("Frameworks", reverse("contracts:frameworks")), (self.title, None))


class FrameworkEditView(FrameworkCreateView):
    permission_required = "contracts.change_framework"
    intro = ""

    def load(self, **kwargs):
        self.framework = selectors.framework_get(user=self.request.user, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.framework}

    def get_title(self):
        return f"Edit {self.framework.name}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.framework.get_kind_display(), **kwargs)

    def save(self, form):
        return services.framework_update(framework=self.framework, user=self.request.user, **form.cleaned_data)

    def success_message(self, framework):
        return f"Framework updated: {framework.name}"

    def cancel_url(self):
        return self.framework.get_absolute_url()

    def crumbs(self):
        return _crumbs(("Frameworks", reverse("contracts:frameworks")),
                       (self.framework.name, self.framework.get_absolute_url()), ("Edit", None))


class ProviderCreateView(ServiceFormView):
    permission_required = "contracts.add_provider"
    form_class = ProviderForm
    title = "Add a provider"
    submit_label = "Save provider"
    intro = "Check the provider is not already in the register under a slightly different name."

    def save(self, form):
        return services.provider_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, provider):
        return f"Provider added: {provider.name}"

    def cancel_url(self):
        return reverse("contracts:providers")

    def crumbs(self):
        return _crumbs(("Providers", reverse("contracts:providers")), (self.title, None))


class ProviderEditView(ProviderCreateView):
    permission_required = "contracts.change_provider"
    intro = ""

    def load(self, **kwargs):
        self.provider = selectors.provider_get(user=self.request.user, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.provider}

    def get_title(self):
        return "Edit provider"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            caption=self.provider.name,
            history_url=reverse("record_history", args=["contracts", "provider", self.provider.pk]), **kwargs)

    def save(self, form):
        return services.provider_update(provider=self.provider, user=self.request.user, **form.cleaned_data)

    def success_message(self, provider):
        return f"Provider updated: {provider.name}"

    def cancel_url(self):
        return self.provider.get_absolute_url()

    def crumbs(self):
        return _crumbs(("Providers", reverse("contracts:providers")),
                       (self.provider.name, self.provider.get_absolute_url()), ("Edit", None))


class MembershipAddView(ServiceFormView):
    permission_required = "contracts.add_frameworkmembership"
    form_class = MembershipForm
    title = "Add a provider to the framework"
    submit_label = "Add provider"

    def load(self, **kwargs):
        self.framework = selectors.framework_get(user=self.request.user, pk=kwargs["pk"])

    def get_form_kwargs(self):
        # The framework is set so the form's checks (already a member, joined before the start) see it.
        return {**super().get_form_kwargs(), "instance": FrameworkMembership(framework=self.framework)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=self.framework.name, **kwargs)

    def save(self, form):
        return services.framework_add_member(framework=self.framework, user=self.request.user, **form.cleaned_data)

    def success_message(self, membership):
        return f"{membership.provider.name} added to {self.framework.name}"

    def success_url_for(self, membership):
        return self.framework.get_absolute_url()

    def cancel_url(self):
        return self.framework.get_absolute_url()

    def crumbs(self):
        return _crumbs(("Frameworks", reverse("contracts:frameworks")),
                       (self.framework.name, self.framework.get_absolute_url()), ("Add a provider", None))


class MembershipRemoveView(PermissionRequiredMixin, TemplateView):
    """GET asks to confirm; POST takes the provider off the framework."""

    permission_required = "contracts.delete_frameworkmembership"
    template_name = "contracts/membership_remove.html"
    nav_section = "contracts"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.framework = selectors.framework_get(user=request.user, pk=kwargs["pk"])
            self.membership = selectors.membership_get(user=request.user, framework=self.framework,
                                                       pk=kwargs["member_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework, membership=self.membership,
            crumbs=_crumbs(("Frameworks", reverse("contracts:frameworks")),
                           (self.framework.name, self.framework.get_absolute_url()), ("Remove a provider", None)),
            **kwargs)

    def post(self, request, *args, **kwargs):
        name = self.membership.provider.name
        services.framework_remove_member(membership=self.membership, user=request.user)
        messages.success(request, f"{name} removed from {self.framework.name}")
        return redirect(self.framework)


class ContractsDueView(PermissionRequiredMixin, TemplateView):
    """What needs attention: decisions due, past end with no decision, reviews overdue, ending soon."""

    permission_required = "contracts.view_contract"
    template_name = "contracts/due.html"
    shown = 25  # per list; the rest are one click away in the filtered register

    def get_context_data(self, **kwargs):
        as_of = timezone.localdate()
        mine = self.request.GET.get("mine") == "1"
        manager = self.request.user if mine else None
        visible = selectors.contracts_visible_to(self.request.user).values("pk")
        decision_due = selectors.contracts_decision_due(as_of=as_of, manager=manager).filter(pk__in=visible)
        past_end = selectors.contracts_ended_no_decision(as_of=as_of, manager=manager).filter(pk__in=visible)
        review_overdue = selectors.contracts_review_overdue(as_of=as_of, manager=manager).filter(pk__in=visible)
        ending = selectors.contracts_due(as_of=as_of, within_days=(add_months(as_of, 6) - as_of).days,
                                         user=self.request.user)
        if manager is not None:
            ending = ending.filter(contract_manager=manager)
        mine_query = "&mine=1" if mine else ""
        base = reverse("contracts:index")
        manager_query = f"&manager={self.request.user.pk}" if mine else ""
        sections = [
            ("decision_due", "Decision due, none recorded", decision_due, "decision_due_on", "Decision due",
             f"{base}?alert=decision_due{manager_query}", "No decisions are due."),
            ("past_end", "Past their end with no decision", past_end, "current_end", "Current end",
             f"{base}?alert=past_end{manager_query}", "None."),
            ("review_overdue", "Reviews overdue", review_overdue, "next_review_due", "Review due",
             f"{base}?alert=review_overdue{manager_query}", "No reviews are overdue."),
            ("ending", "Ending in the next 6 months", ending, "current_end", "Current end",
             f"{base}?ends_within=6{manager_query}", "No contracts end in the next 6 months."),
        ]
        lists = []
        for key, heading, qs, date_field, date_label, register_url, empty in sections:
            lists.append({"key": key, "heading": heading, "rows": list(qs[: self.shown]), "count": qs.count(),
                          "date_field": date_field, "date_label": date_label, "register_url": register_url,
                          "empty": empty})
        return super().get_context_data(
            as_of=as_of, mine=mine, mine_query=mine_query, lists=lists, shown=self.shown,
            counts={item["key"]: item["count"] for item in lists}, crumbs=_crumbs(("Contracts due", None)),
            **kwargs)


class ContractImportView(ImportUploadView):
    permission_required = "contracts.add_contract"
    title = "Import contracts"
    columns = IMPORT_COLUMNS
    optional_columns = IMPORT_OPTIONAL_COLUMNS
    importer = staticmethod(import_contracts)
    nav_section = "contracts"
    area = kind = "contracts"

    def get_success_url(self):
        return reverse("contracts:index")

    @property
    def breadcrumbs(self):
        return _crumbs(("Import contracts", None))


class ContractImportRecordsView(ImportRecordListView):
    permission_required = "contracts.add_contract"
    area = "contracts"
    title = "Contract imports"
    nav_section = "contracts"

    @property
    def breadcrumbs(self):
        return _crumbs(("Imports", None))


OPEN_DATA_DOWNLOADS = {
    "transparency": ("text/csv; charset=utf-8", "contracts-transparency-{}.csv"),
    "ocds": ("application/json", "contracts-ocds-{}.json"),
}


def _open_data_response(kind: str, data: bytes, as_of: date) -> HttpResponse:
    content_type, filename = OPEN_DATA_DOWNLOADS[kind]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.format(as_of.isoformat())}"'
    return response


class TransparencyExportView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_contract"

    def get(self, request, *args, **kwargs):
        as_of = parse_as_of(request.GET.get("as_of"))
        return _open_data_response("transparency", exports.transparency_csv(as_of=as_of), as_of)


class OcdsExportView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_contract"

    def get(self, request, *args, **kwargs):
        as_of = parse_as_of(request.GET.get("as_of"))
        return _open_data_response("ocds", exports.ocds_json(as_of=as_of), as_of)


@method_decorator(login_not_required, name="dispatch")
class PublicOpenDataView(View):
    """Both files without a sign-in, when OPEN_DATA_PUBLIC is on (else this address does not exist)."""

    kind = ""
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        if not settings.OPEN_DATA_PUBLIC:
            raise Http404("Open data is not published at a public address")
        as_of = parse_as_of(request.GET.get("as_of"))
        return _open_data_response(self.kind, exports.open_data_file(self.kind, as_of=as_of), as_of)


class OpenDataView(PermissionRequiredMixin, TemplateView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            as_of=timezone.localdate(), public=settings.OPEN_DATA_PUBLIC, site_url=settings.SITE_URL,
            crumbs=_crumbs(("Open data", None)), **kwargs)

