"""What contracts add to the shared pages, with their deploy checks and service areas (imported once by
ContractsConfig.ready())."""

from django.apps import apps
from django.core import checks
from django.db.models.signals import post_migrate

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DemoLoaderSpec,
    NamedPersonSpec,
    NavItemSpec,
    PanelSpec,
    ReportDraftSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER

from . import demo, reports, selectors
from .checks import open_data_deploy_checks
from .models import Contract
from .service_areas import service_areas_seed

checks.register(open_data_deploy_checks, "open_data", deploy=True)
post_migrate.connect(
    service_areas_seed, sender=apps.get_app_config("contracts"), dispatch_uid="contracts.service_areas_seed"
)

# A commissioner's portfolio; committee officers and viewers see the same figures to report on.
portfolio = frozenset({COMMISSIONER, COMMITTEE_OFFICER, VIEWER})

registry.access(AppAccess("contracts"))
registry.nav_item(
    NavItemSpec(key="contracts", label="Contracts", url_name="contracts:index", section="contracts", order=30)
)
registry.named_person(
    NamedPersonSpec("contracts.contract", Contract, "contract_manager", "manager_name", "Contract managers")
)
registry.dashboard_item(
    DashboardItemSpec(
        key="decisions_due",
        label="Contracts with a decision due",
        hint="Ending soon with no decision recorded: extend, re-tender or end.",
        permission="contracts.view_contract",
        count=lambda *, user, as_of: selectors.contracts_decision_due(as_of=as_of, manager=user).count(),
        url_name="contracts:index",
        team_query={"alert": "decision_due"},
        mine_query=lambda user: {"alert": "decision_due", "manager": user.pk},
        act_permission="contracts.change_contract",
        roles=portfolio,
        order=20,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="reviews_overdue",
        label="Contract reviews overdue",
        hint="The next review, set by the contract's risk rating, has passed.",
        permission="contracts.view_contract",
        count=lambda *, user, as_of: selectors.contracts_review_overdue(as_of=as_of, manager=user).count(),
        url_name="contracts:index",
        team_query={"alert": "review_overdue"},
        mine_query=lambda user: {"alert": "review_overdue", "manager": user.pk},
        act_permission="contracts.change_contract",
        roles=portfolio,
        order=30,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="decisions_overdue",
        label="Contracts past their end with no decision",
        hint="Past the current end date and no decision recorded: record whether it was extended, re-let "
             "or ended.",
        permission="contracts.view_contract",
        count=lambda *, user, as_of: (
            selectors.contracts_ended_no_decision(as_of=as_of, manager=user).count()
        ),
        url_name="contracts:index",
        team_query={"alert": "past_end"},
        mine_query=lambda user: {"alert": "past_end", "manager": user.pk},
        act_permission="contracts.change_contract",
        roles=portfolio,
        order=25,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="contracts",
        heading="Contracts",
        template="contracts/pdf/section.html",
        context=reports.section_context,
        order=20,
    )
)
registry.report_draft(
    ReportDraftSpec(key="contracts", section="contracts", draft=reports.report_draft, order=40)
)
registry.demo_loader(DemoLoaderSpec("contracts", demo.load, order=30))
# The contracts linked to an outcome or monitored against a KPI, on their pages.
registry.panel(
    PanelSpec(
        key="outcome_contracts",
        model="outcomes.outcome",
        slot="detail",
        template="contracts/panels/outcome_contracts.html",
        permission="contracts.view_contract",
        prefetch=lambda: ["contracts"],
        order=20,
    )
)
registry.panel(
    PanelSpec(
        key="indicator_contracts",
        model="kpis.indicator",
        slot="summary",
        template="contracts/panels/indicator_contracts.html",
        permission="contracts.view_contract",
        prefetch=lambda: ["contracts"],
    )
)

