"""The commissioning programme's pages, over programme.selectors and programme.services."""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.import_views import ImportUploadView
from core.roles import ADMINISTRATOR, user_roles
from core.views import ServiceFormView

from . import imports, rules, selectors, services
from .filters import ProjectFilter, RiskFilter
from .forms import EiaForm, EngagementForm, GatewayForm, OptionForm, ProductForm, ProjectForm, RiskForm
from .models import Engagement, Option, Product, ProductKind, Project, Risk
from .tables import ProjectTable, RiskTable

NAV = "programme"


def may_edit_project(user, project: Project) -> bool:
    """Commissioners edit the projects they lead (and any without a lead yet); administrators edit any."""
    if not user.has_perm("programme.change_project"):
        return False
    return project.lead_id in (None, user.pk) or ADMINISTRATOR in user_roles(user)


class _FormPage(ServiceFormView):
    template_name = "core/form_page.html"
    nav_section = NAV
    heading = ""
    button = "Save"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, crumbs=self.get_crumbs(), **kwargs)

    def get_crumbs(self):
        return [("Projects", reverse("programme:projects")), (self.heading, None)]


class _ProjectFormPage(_FormPage):
    """A form about one project: loads it (404 if missing) and, for edits, checks the person may edit it."""

    needs_edit_right = True

    def load(self, **kwargs):
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        if self.needs_edit_right and not may_edit_project(self.request.user, self.project):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        kwargs.setdefault("project", self.project)
        return super().get_context_data(**kwargs)

    def get_crumbs(self):
        return [("Projects", reverse("programme:projects")), (self.project.reference, self.project.get_absolute_url()),
                (self.heading, None)]

    def success_url_for(self, obj):
        return self.project.get_absolute_url()


# --- The programme -------------------------------------------------------------------------------


class ProgrammeView(PermissionRequiredMixin, TemplateView):
    """Every project by stage and service area, RAG for time, money and risk, gateways due and overdue, a
    timeline, red risks escalated; filtered as the project list is."""

    permission_required = "programme.view_project"
    template_name = "programme/programme.html"
    nav_section = NAV

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        filterset = ProjectFilter(self.request.GET or None, queryset=selectors.project_list(as_of=today))
        overview = selectors.programme_overview(projects=filterset.qs, as_of=today)
        return super().get_context_data(
            filter=filterset, today=today, **overview,
            savings=selectors.savings_totals(overview["projects"]),
            red_risks=list(selectors.red_risks(limit=20)), engagement=selectors.engagement_totals(),
            crumbs=[("Commissioning programme", None)], **kwargs)


# --- Projects -------------------------------------------------------------------------------------


class ProjectListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "programme.view_project"
    template_name = "programme/project_list.html"
    table_class = ProjectTable
    filterset_class = ProjectFilter
    paginate_by = 50
    nav_section = NAV

    def get_queryset(self):
        return selectors.project_list(as_of=timezone.localdate()).select_related("lead")

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        selectors.with_figures(row.record for row in table.page.object_list)  # the page's rows only
        return table

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[("Projects", None)], **kwargs)


class ProjectDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "programme.view_project"
    template_name = "programme/project_detail.html"
    nav_section = NAV

    def get_context_data(self, **kwargs):
        project = selectors.project_detail(pk=self.kwargs["pk"], as_of=timezone.localdate())
        products = {p.kind: p for p in project.products.all()}
        next_stage = project.next_stage
        required = set(rules.required_products(next_stage))
        risks = list(project.risks.all())
        engagements = list(project.engagements.all())
        return super().get_context_data(
            project=project,
            stages=[{"name": s, "current": s == project.stage,
                     "done": rules.stage_index(s) < rules.stage_index(project.stage)} for s in rules.stages()],
            next_stage=next_stage,
            missing=selectors.project_missing(project),
            products=[{"kind": kind, "label": label, "record": products.get(kind), "required": kind in required}
                      for kind, label in ProductKind.choices],
            eia=products.get(ProductKind.EIA),
            eia_lines=selectors.eia_lines(products.get(ProductKind.EIA)),
            options=list(products[ProductKind.OPTIONS_APPRAISAL].options.all())
            if ProductKind.OPTIONS_APPRAISAL in products else [],
            risks=risks,
            open_risks=[r for r in risks if r.status == "open"],
            engagements=engagements,
            engagement_counts=selectors.engagement_counts(engagements),
            can_edit=may_edit_project(self.request.user, project),
            can_decide=(self.request.user.has_perm(services.GATEWAY_PERMISSION)
                        and project.lead_id != self.request.user.pk and project.status == "active"),
            crumbs=[("Projects", reverse("programme:projects")), (project.reference, None)],
            **kwargs,
        )


class ProjectCreateView(_FormPage):
    permission_required = "programme.add_project"
    form_class = ProjectForm
    heading = "Add a commissioning project"

    def get_initial(self):
        return {"lead": self.request.user.pk, "stage": rules.stages()[0]}

    def save(self, form):
        return services.project_save(project=form.instance, user=self.request.user, m2m=form.links())

    def success_message(self, obj):
        return f"Project {obj.reference} added."


class ProjectEditView(_ProjectFormPage):
    permission_required = "programme.change_project"
    form_class = ProjectForm
    heading = "Edit project"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.project}

    def save(self, form):
        return services.project_save(project=form.instance, user=self.request.user, m2m=form.links())

    def success_message(self, obj):
        return "Project saved."


class GatewayDecisionView(_ProjectFormPage):
    permission_required = services.GATEWAY_PERMISSION
    form_class = GatewayForm
    template_name = "programme/gateway_form.html"
    heading = "Record a gateway decision"
    button = "Record the decision"
    needs_edit_right = False

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project, next_stage=self.project.next_stage,
            missing=services.gateway_missing(project=self.project),
            missing_to_stop=services.gateway_missing(project=self.project, stopping=True), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.gateway_decide(project=self.project, decision=data["decision"], reasons=data["reasons"],
                                       decided_on=data["decided_on"], next_gateway_due=data["next_gateway_due"],
                                       decided_by=self.request.user)

    def success_message(self, obj):
        if obj.decision == "proceed":
            return f"Gateway passed: the project moves to {obj.to_stage}." if obj.to_stage else \
                "Gateway passed: the project is complete."
        return f"Gateway decision recorded: {obj.get_decision_display().lower()}."


class ProductEditView(_ProjectFormPage):
    permission_required = "programme.change_product"
    form_class = ProductForm

    def load(self, **kwargs):
        super().load(**kwargs)
        if kwargs["kind"] not in ProductKind.values:
            raise PermissionDenied
        self.kind = ProductKind(kwargs["kind"])
        self.heading = self.kind.label
        self.record = Product.objects.filter(project=self.project, kind=self.kind).first()

    def get_initial(self):
        if self.record is None:
            return {"status": "not_started"}
        return {"status": self.record.status, "summary": self.record.summary, "link": self.record.link,
                "approved_on": self.record.approved_on}

    def save(self, form):
        return services.product_record(project=self.project, kind=self.kind, user=self.request.user,
                                       **form.cleaned_data)

    def success_message(self, obj):
        return f"{obj.get_kind_display()}: {obj.get_status_display().lower()}."


class EiaView(_ProjectFormPage):
    """The equality impact assessment: each protected characteristic and care experience (sign-off is approving the
    product)."""

    permission_required = "programme.change_product"
    form_class = EiaForm
    template_name = "programme/eia_form.html"
    heading = "Equality impact assessment"

    def get_initial(self):
        product = Product.objects.filter(project=self.project, kind=ProductKind.EIA).first()
        initial = {}
        for line in product.equality_impacts.all() if product else []:
            initial.update({f"{line.characteristic}_impact": line.impact,
                            f"{line.characteristic}_evidence": line.evidence,
                            f"{line.characteristic}_mitigation": line.mitigation})
        return initial

    def save(self, form):
        return services.eia_record(project=self.project, lines=form.lines(), user=self.request.user)

    def success_message(self, obj):
        assessed = obj.equality_impacts.count()
        return f"Equality impact assessment saved: {assessed} of 10 characteristics assessed."


class OptionCreateView(_ProjectFormPage):
    permission_required = "programme.add_option"
    form_class = OptionForm
    heading = "Add an option"

    def get_form_kwargs(self):
        product = Product.objects.filter(project=self.project, kind=ProductKind.OPTIONS_APPRAISAL).first()
        return {**super().get_form_kwargs(), "instance": Option(product=product)}

    def save(self, form):
        if form.instance.product_id is None:
            form.instance.product = services.product_record(
                project=self.project, kind=ProductKind.OPTIONS_APPRAISAL, status="draft", user=self.request.user)
        return services.option_save(option=form.instance, user=self.request.user)

    def success_message(self, obj):
        return f"Option '{obj.name}' added to the options appraisal."

    def success_url_for(self, obj):
        return self.project.get_absolute_url() + "#options"


class OptionEditView(_ProjectFormPage):
    permission_required = "programme.change_option"
    form_class = OptionForm
    heading = "Edit option"

    def load(self, **kwargs):
        self.option = get_object_or_404(Option.objects.select_related("product__project"), pk=kwargs["option_pk"],
                                        product__project_id=kwargs["pk"])
        super().load(**kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.option}

    def save(self, form):
        return services.option_save(option=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Option saved."

    def success_url_for(self, obj):
        return self.project.get_absolute_url() + "#options"


class EngagementCreateView(_ProjectFormPage):
    permission_required = "programme.add_engagement"
    form_class = EngagementForm
    heading = "Record engagement"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Engagement(project=self.project)}

    def save(self, form):
        return services.engagement_save(engagement=form.instance, user=self.request.user)

    def success_message(self, obj):
        return "Engagement recorded."


# --- Risks ----------------------------------------------------------------------------------------


class RiskListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "programme.view_risk"
    template_name = "programme/risk_list.html"
    table_class = RiskTable
    filterset_class = RiskFilter
    paginate_by = 50
    nav_section = NAV

    def get_queryset(self):
        return selectors.risk_register(as_of=timezone.localdate())

    def get_context_data(self, **kwargs):
        matrix = (f"Green is 1 to {settings.PROGRAMME_RISK_GREEN_MAX}, amber {settings.PROGRAMME_RISK_GREEN_MAX + 1} "
                  f"to {settings.PROGRAMME_RISK_AMBER_MAX}, red above {settings.PROGRAMME_RISK_AMBER_MAX}.")
        return super().get_context_data(crumbs=[("Risk register", None)], matrix=matrix, **kwargs)


class RiskDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "programme.view_risk"
    template_name = "programme/risk_detail.html"
    nav_section = NAV

    def get_context_data(self, **kwargs):
        risk = selectors.risk_detail(pk=self.kwargs["pk"], as_of=timezone.localdate())
        return super().get_context_data(
            risk=risk, crumbs=[("Risk register", reverse("programme:risks")), (f"Risk {risk.pk}", None)], **kwargs)


class RiskCreateView(_FormPage):
    """A risk on a project (?project=pk) or, without one, on the programme as a whole."""

    permission_required = "programme.add_risk"
    form_class = RiskForm
    heading = "Add a risk"

    def load(self, **kwargs):
        pk = self.request.GET.get("project", "")
        self.project = get_object_or_404(Project, pk=pk) if pk.isdigit() else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Risk(project=self.project)}

    def get_crumbs(self):
        if self.project:
            return [("Projects", reverse("programme:projects")),
                    (self.project.reference, self.project.get_absolute_url()), (self.heading, None)]
        return [("Risk register", reverse("programme:risks")), (self.heading, None)]

    def save(self, form):
        return services.risk_save(risk=form.instance, user=self.request.user, actions=form.cleaned_data["actions"])

    def success_message(self, obj):
        return f"Risk added, scored {obj.score} ({obj.rag})."

    def success_url_for(self, obj):
        return self.project.get_absolute_url() + "#risks" if self.project else obj.get_absolute_url()


class RiskEditView(_FormPage):
    permission_required = "programme.change_risk"
    form_class = RiskForm
    heading = "Edit risk"

    def load(self, **kwargs):
        self.risk = get_object_or_404(Risk, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.risk}

    def get_crumbs(self):
        return [("Risk register", reverse("programme:risks")), (f"Risk {self.risk.pk}", self.risk.get_absolute_url()),
                (self.heading, None)]

    def save(self, form):
        return services.risk_save(risk=form.instance, user=self.request.user, actions=form.cleaned_data["actions"])

    def success_message(self, obj):
        return f"Risk saved, scored {obj.score} ({obj.rag})."


# --- Import ---------------------------------------------------------------------------------------


class ProgrammeImportView(ImportUploadView):
    """The programme a team keeps in a spreadsheet: a workbook with projects and risks sheets, or one CSV of either."""

    permission_required = ("programme.add_project", "programme.add_risk")
    title = "Import the commissioning programme"
    area, kind = "programme", "programme"
    columns = imports.PROJECT_COLUMNS
    sheets = list(imports.SHEETS)
    importer = staticmethod(imports.import_programme)
    success_url = reverse_lazy("programme:projects")
    breadcrumbs = [("Projects", reverse_lazy("programme:projects")), ("Import", None)]

    def read(self, data, name):
        return imports.read_programme(data, name)

    def get_context_data(self, **kwargs):
        # One CSV per sheet also works: the page says which columns each sheet has.
        return super().get_context_data(sheet_columns=imports.SHEETS, **kwargs)
