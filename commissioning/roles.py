"""The five roles and what each may do, in one place.

Rules are written over (app label, permission codename) rather than as fixed
lists, so a model added to an app later is covered without editing this file.
Child-level placement data lives only in the `placements` app; the one
placements permission that is not child-level is `view_sufficiency` (aggregate
measures with small numbers suppressed).
"""

from django.db import transaction

ADMINISTRATOR = "Administrator"
COMMISSIONER = "Commissioner"
PLACEMENTS_OFFICER = "Placements officer"
COMMITTEE_OFFICER = "Committee officer"
VIEWER = "Viewer"
ROLES = [ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER, VIEWER]

COMMISSIONING_APPS = {"commissioning", "outcomes", "kpis", "contracts"}
CHILD_LEVEL_APP = "placements"
AGGREGATE_PLACEMENT_PERMS = {"view_sufficiency"}
REPORT_PERMS = {"view_reportrun", "add_reportrun", "change_reportrun"}
CHILD_LEVEL_PERMISSION = f"{CHILD_LEVEL_APP}.view_placement"


def role_allows(role: str, app_label: str, codename: str) -> bool:
    """Whether members of `role` hold the permission `app_label.codename`."""
    is_view = codename.startswith("view_")
    if role == ADMINISTRATOR:
        return True
    if role == COMMISSIONER:
        if app_label in COMMISSIONING_APPS:
            return True
        if app_label == CHILD_LEVEL_APP:
            return is_view or codename.startswith("approve_") or codename in AGGREGATE_PLACEMENT_PERMS
        return False
    if role == PLACEMENTS_OFFICER:
        if app_label == CHILD_LEVEL_APP:
            return True
        return app_label in COMMISSIONING_APPS and is_view
    if role == COMMITTEE_OFFICER:
        if app_label in COMMISSIONING_APPS:
            return is_view or codename in REPORT_PERMS
        return app_label == CHILD_LEVEL_APP and codename in AGGREGATE_PLACEMENT_PERMS
    if role == VIEWER:
        return app_label in COMMISSIONING_APPS and is_view and codename not in REPORT_PERMS
    raise ValueError(f"Unknown role {role!r}")


def sees_small_numbers(user) -> bool:
    """Whether pages show this user counts of 1 to 5 children (and figures worked out from them) as they
    are. Only roles with child-level access do; committee officers and viewers see [c] on every page, as
    everyone does in anything that leaves the system (downloads, reports)."""
    return user.has_perm(CHILD_LEVEL_PERMISSION)


@transaction.atomic
def sync_role_groups(*, group_model, permission_model) -> None:
    """Create the role groups and set their permissions from `role_allows`. Idempotent."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [p for p in permissions if role_allows(role, p.content_type.app_label, p.codename)]
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, **kwargs):
    # Runs after every app's post_migrate, once permissions for new models exist.
    if sender.name != "placements":
        return
    from django.contrib.auth.models import Group, Permission

    sync_role_groups(group_model=Group, permission_model=Permission)
