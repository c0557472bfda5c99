from commissioning.access import REDIRECT, allowed, everyone
from commissioning.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

from .factories import ActionFactory, PriorityFactory, ReportRunFactory, StrategyFactory

EVERYONE_SIGNED_IN = (ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER, VIEWER)
# Reports: every role with commissioning.view_reportrun reads them (the Viewer never does);
# building and retrying need add_reportrun (Commissioner, Committee officer, Administrator).
REPORT_READERS = (ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER)
REPORT_BUILDERS = (ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER)
EDITORS = (ADMINISTRATOR, COMMISSIONER)


def url_cases():
    from placements.tests.factories import ChildFactory

    strategy = StrategyFactory()
    priority = PriorityFactory(strategy=strategy)
    action = ActionFactory(strategy=strategy, priority=priority)
    complete = ReportRunFactory(status="complete", file="reports/missing.pdf", page_count=3)
    return {
        "home": ({}, everyone()),
        "login": ({}, everyone(REDIRECT)),  # signed-in users are sent on to the dashboard
        "logout": ({}, everyone(405)),  # sign-out is POST only (CSRF-protected)
        "healthz": ({}, everyone()),
        # The history page serves every audited record under its model's view permission; the matrix
        # walks the most sensitive kind, a child, which roles without child-level access may not see.
        "record_history": (
            {"app_label": "placements", "model_name": "child", "pk": ChildFactory().pk},
            allowed(ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER),
        ),
        "system_status": ({}, allowed(ADMINISTRATOR)),
        # Strategy and action plan: everyone reads, commissioners write.
        "strategy": ({}, allowed(*EVERYONE_SIGNED_IN)),
        "strategy_create": ({}, allowed(*EDITORS)),
        "strategy_detail": ({"pk": strategy.pk}, allowed(*EVERYONE_SIGNED_IN)),
        "strategy_edit": ({"pk": strategy.pk}, allowed(*EDITORS)),
        "strategy_priority_create": ({"pk": strategy.pk}, allowed(*EDITORS)),
        "strategy_priority_edit": ({"pk": priority.pk}, allowed(*EDITORS)),
        "actions": ({}, everyone()),
        "actions_create": ({}, allowed(*EDITORS)),
        "actions_detail": ({"pk": action.pk}, allowed(*EVERYONE_SIGNED_IN)),
        "actions_edit": ({"pk": action.pk}, allowed(*EDITORS)),
        "actions_progress": ({"pk": action.pk}, allowed(*EDITORS, status=405)),  # POST only
        # Committee reports.
        "reports": ({}, allowed(*REPORT_READERS)),
        "reports_new": ({}, allowed(*REPORT_BUILDERS)),
        "reports_subscribe": ({}, allowed(*REPORT_READERS, status=405)),  # POST only
        "reports_detail": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        "reports_status": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        "reports_preview": ({"pk": complete.pk}, allowed(*REPORT_READERS)),
        # The stored file is missing here, so readers get 404; the others are refused first.
        "reports_download": ({"pk": complete.pk}, allowed(*REPORT_READERS, status=404)),
        "reports_retry": ({"pk": complete.pk}, allowed(*REPORT_BUILDERS, status=405)),  # POST only
    }
