"""What KPIs add to the shared pages (imported once by KpisConfig.ready())."""

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DemoLoaderSpec,
    HistoryRedactionSpec,
    NamedPersonSpec,
    NavItemSpec,
    PanelSpec,
    ReportDraftSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER, sees_small_numbers

from . import demo, home, reports, selectors
from .computed import computed_measures_fill
from .models import Indicator

registry.access(AppAccess("kpis"))
registry.nav_item(NavItemSpec(key="kpis", label="KPIs", url_name="kpis:index", section="kpis", order=20))
registry.named_person(NamedPersonSpec("kpis.indicator", Indicator, "owner", "owner_title", "Indicator owners"))
registry.dashboard_item(
    DashboardItemSpec(
        key="red_kpis",
        label="KPIs rated red",
        hint="Latest value misses the target beyond tolerance.",
        permission="kpis.view_indicator",
        act_permission="kpis.add_measurement",
        count=lambda *, user, as_of: selectors.red_indicators(responsible=user).count(),
        url_name="kpis:index",
        team_query={"status": "red"},
        mine_query=lambda user: {"status": "red", "responsible": user.pk},
        roles=frozenset({COMMISSIONER, COMMITTEE_OFFICER, VIEWER}),
        order=10,
    )
)
registry.dashboard_item(
    DashboardItemSpec(
        key="kpi_values_awaiting_approval",
        label="KPI values awaiting approval",
        hint="Values and commentary reports print as provisional until a second person approves them.",
        permission="kpis.view_measurement",
        act_permission="kpis.approve_measurement",
        count=lambda *, user, as_of: selectors.measurements_awaiting_approval(approver=user).count(),
        url_name="kpis:awaiting_approval",
        mine_query=lambda user: {"mine": "yes"},
        roles=frozenset({COMMISSIONER, COMMITTEE_OFFICER}),
        order=12,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="performance",
        heading="Performance against key indicators",
        template="kpis/pdf/section.html",
        context=reports.section_context,
        order=10,
    )
)
registry.report_draft(
    ReportDraftSpec(key="performance", section="performance", draft=reports.report_draft, order=10)
)
# A value's history would otherwise show a committee officer the count of 1 to 5 children that every
# other page shows as [c].
registry.history_redaction(
    HistoryRedactionSpec(
        "kpis.measurement",
        lambda *, instance, user: (
            set() if sees_small_numbers(user) or not instance.indicator.counts_children
            else {"value", "numerator", "denominator"}
        ),
    )
)
registry.demo_loader(DemoLoaderSpec("kpis", demo.load, order=20))
# KPIs computed from placement data are filled from it, as the nightly task would.
registry.demo_loader(DemoLoaderSpec("kpis-computed", lambda *, users: computed_measures_fill(), order=45))
# Each outcome's KPIs with their latest RAG: in the framework grid and on the outcome's page.
registry.panel(
    PanelSpec(
        key="outcome_kpis_grid",
        model="outcomes.outcome",
        slot="grid",
        template="kpis/panels/outcome_kpis_grid.html",
        prefetch=selectors.outcome_kpis_prefetch,
    )
)
registry.panel(
    PanelSpec(
        key="outcome_kpis",
        model="outcomes.outcome",
        slot="detail",
        template="kpis/panels/outcome_kpis.html",
        prefetch=selectors.outcome_kpis_prefetch,
        order=10,
    )
)


# The home page's "how are we doing" panel for viewers.
home.register()
