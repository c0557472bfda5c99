"""What the commissioning programme adds to the shared pages (core.registry)."""

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DemoLoaderSpec,
    NamedPersonSpec,
    NavItemSpec,
    PanelSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER

from . import demo, reports, selectors
from .models import Project, Risk

# Commissioners edit; committee officers build the programme update; everyone reads. Gateways are decided by a
# gateway approver (a head of commissioning), a permission an administrator gives to that person, never a role's.
registry.access(AppAccess("programme", individual_perms=frozenset({"decide_gateway"})))
registry.nav_item(NavItemSpec(key="programme", label="Programme", url_name="programme:index", section="programme",
                               permissions=("programme.view_project",), order=75))
registry.dashboard_item(
    DashboardItemSpec(
        key="risk_reviews_overdue",
        label="Risk reviews overdue",
        hint="Open risks past their review date.",
        permission="programme.view_risk",
        count=lambda *, user, as_of: selectors.risk_reviews_overdue(as_of=as_of, owner=user).count(),
        url_name="programme:risks",
        team_query={"overdue": "true"},
        mine_query=lambda user: {"overdue": "true", "owner": user.pk},
        act_permission="programme.change_risk",
        roles=frozenset({COMMISSIONER}),
        order=55,
    )
)
registry.named_person(NamedPersonSpec("programme.project", Project, "lead", "lead_name", "Project leads"))
registry.named_person(NamedPersonSpec("programme.risk", Risk, "owner", "owner_name", "Risk owners"))
registry.report_section(
    ReportSectionSpec(
        key="programme",
        heading="Commissioning programme update",
        template="programme/pdf/section.html",
        context=reports.section_context,
        order=45,
    )
)
registry.demo_loader(DemoLoaderSpec("programme", demo.load, order=55))
# On a contract's page: the projects that will replace or change it, and its open risks.
registry.panel(
    PanelSpec(
        key="programme_contract",
        model="contracts.contract",
        slot="cards",
        template="programme/panels/contract_programme.html",
        permission="programme.view_project",
        context=lambda obj, *, page: {
            "programme_projects": list(obj.projects.order_by("reference").only("pk", "reference", "stage")),
            "programme_open_risks": obj.programme_risks.open().count(),
        },
    )
)
