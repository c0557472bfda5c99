"""What finance adds to the shared pages, and its measures for KPIs (imported once by FinanceConfig.ready())."""

from core.periods import financial_year_of
from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DataNoteSpec,
    DemoLoaderSpec,
    NavItemSpec,
    ReportDraftSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER
from kpis.measures import register_measure

from . import demo, home, reports, selectors
from .measures import MEASURES

for key, label, unit, compute in MEASURES:
    register_measure(key, label=label, unit=unit, compute=compute)
# Budgets and forecasts are commissioning data: commissioners load budgets and take snapshots, the other
# roles read the aggregate pages. The pages that list placements also need placements.view_placement.
registry.access(AppAccess("finance", kind="commissioning"))
registry.nav_item(
    NavItemSpec(
        key="finance",
        label="Finance",
        url_name="finance:index",
        section="finance",
        permissions=("finance.view_budgetline",),
        order=60,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="budget_lines_overspend",
        label="Budget lines forecast to overspend",
        hint="Placement budget lines whose forecast outturn for this financial year is over budget.",
        permission="finance.change_budgetline",
        count=lambda *, user, as_of: len(
            selectors.forecast(year=financial_year_of(as_of), as_of=as_of).overspending
        ),
        url_name="finance:index",
        act_permission="finance.change_budgetline",
        roles=frozenset({COMMISSIONER}),
        order=45,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="finance",
        heading="Financial position",
        template="finance/pdf/section.html",
        context=reports.section_context,
        order=35,
    )
)
registry.report_draft(
    ReportDraftSpec(key="finance", section="finance", draft=reports.report_draft, order=35)
)
registry.data_note(
    DataNoteSpec(
        key="finance_as_known",
        section="finance",
        text="The forecast outturn is worked out as at the report's day from the budget, placements and costs "
             "as known when the report was built, corrections included, as the finance pages show it.",
        order=35,
    )
)
registry.demo_loader(DemoLoaderSpec("finance", demo.load, order=42))


# The home page's "how are we doing" panel for viewers.
home.register()
