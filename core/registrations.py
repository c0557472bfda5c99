"""What the platform adds to the shared pages, and the signals it listens to (imported once by CoreConfig.ready())."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

from . import oidc  # noqa: F401  (its start-up check)
from .accounts import start_session_clocks
from .registry import AppAccess, DashboardItemSpec, HomePanelSpec, NavItemSpec, registry
from .roles import ADMINISTRATOR, sync_role_groups_after_migrate
from .selectors import system_health, users_without_a_role

registry.access(AppAccess("core"))
registry.nav_item(NavItemSpec(key="home", label="Dashboard", url_name="home", section="home", order=0))
registry.dashboard_item(
    DashboardItemSpec(
        key="users_without_role",
        label="Users without a role",
        hint="Active accounts in none of the five roles: they can sign in but see nothing.",
        permission="auth.change_user",
        act_permission="auth.change_user",
        count=lambda *, user, as_of: users_without_a_role().count(),
        url_name="admin:auth_user_changelist",
        team_query={"groups__isnull": "True", "is_active__exact": "1"},
        roles=frozenset({ADMINISTRATOR}),
        order=90,
    )
)
registry.home_panel(
    HomePanelSpec(
        key="system_health",
        permission="auth.change_user",
        template="core/_home_system_health.html",
        context=lambda *, user, as_of: {"health": system_health()},
        roles=frozenset({ADMINISTRATOR}),
        order=5,
    )
)
post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="core.sync_roles")
user_logged_in.connect(start_session_clocks, dispatch_uid="core.session_clocks")
