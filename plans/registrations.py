"""What strategies and action plans add to the shared pages (imported once by PlansConfig.ready())."""

from core.registry import (
    AppAccess,
    DashboardItemSpec,
    DemoLoaderSpec,
    HomePanelSpec,
    NavItemSpec,
    ReportSectionSpec,
    registry,
)
from core.roles import COMMISSIONER, COMMITTEE_OFFICER, VIEWER

from . import demo, reports, selectors

registry.access(AppAccess("plans"))
registry.nav_item(NavItemSpec(key="actions", label="Actions", url_name="actions", section="actions", order=70))
registry.dashboard_item(
    DashboardItemSpec(
        key="actions_overdue",
        label="Actions overdue",
        hint="Past their due date and not complete.",
        permission="plans.view_action",
        count=lambda *, user, as_of: selectors.actions_overdue(as_of=as_of, owner=user).count(),
        url_name="actions",
        team_query={"overdue": "true"},
        mine_query=lambda user: {"overdue": "true", "owner": user.pk},
        act_permission="plans.change_action",
        roles=frozenset({COMMISSIONER, COMMITTEE_OFFICER, VIEWER}),
        order=50,
    )
)
registry.home_panel(
    HomePanelSpec(
        key="my_actions",
        permission="plans.view_action",
        template="plans/_home_actions.html",
        context=lambda *, user, as_of: {"actions": selectors.actions_open_for(owner=user, as_of=as_of)},
        roles=frozenset({COMMISSIONER}),
        order=10,
    )
)
registry.report_section(
    ReportSectionSpec(
        key="actions",
        heading="Action plan progress",
        template="plans/pdf/section.html",
        context=reports.section_context,
        order=40,
    )
)
registry.demo_loader(DemoLoaderSpec("plans", demo.load, order=50))

