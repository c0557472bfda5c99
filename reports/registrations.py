"""What committee reports add to the shared pages (imported once by ReportsConfig.ready())."""

from core.registry import AppAccess, DemoLoaderSpec, HomePanelSpec, NavItemSpec, registry
from core.roles import COMMISSIONER, COMMITTEE_OFFICER

from . import demo, selectors

# Committee officers build reports; viewers never see them.
registry.access(
    AppAccess(
        "reports", committee_perms=frozenset({"view_reportrun", "add_reportrun", "change_reportrun"})
    )
)
registry.nav_item(
    NavItemSpec(
        key="reports",
        label="Reports",
        url_name="reports",
        section="reports",
        permissions=("reports.view_reportrun",),
        order=80,
    )
)
registry.home_panel(
    HomePanelSpec(
        key="my_reports",
        permission="reports.view_reportrun",
        template="reports/_home_reports.html",
        context=lambda *, user, as_of: {"reports": selectors.report_runs_requested_by(user=user)},
        roles=frozenset({COMMISSIONER, COMMITTEE_OFFICER}),
        order=20,
    )
)
registry.home_panel(
    HomePanelSpec(
        key="next_meetings",
        permission="reports.view_reportrun",
        template="reports/_home_meetings.html",
        context=lambda *, user, as_of: {"meetings": selectors.meetings_ahead(as_of=as_of)},
        roles=frozenset({COMMITTEE_OFFICER}),
        order=15,
    )
)
registry.demo_loader(DemoLoaderSpec("reports", demo.load, order=60))

