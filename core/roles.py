"""The five roles and what each may do, in one place.

Rules are written over (app label, permission codename) rather than as fixed
lists, so a model added to an app later is covered without editing this file.
Each app registers how the roles reach it (core.registry.AppAccess): child-level
data (placements) is for placements officers and, read-only, commissioners, with
its aggregate figures for every role; everything else commissioners edit and the
other roles read. A few permissions (the gateway approver's) go with no role: an
administrator gives them to a person.
"""

from django.db import transaction

ADMINISTRATOR = "Administrator"
COMMISSIONER = "Commissioner"
PLACEMENTS_OFFICER = "Placements officer"
COMMITTEE_OFFICER = "Committee officer"
VIEWER = "Viewer"
ROLES = [ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER, COMMITTEE_OFFICER, VIEWER]

def role_allows(role: str, app_label: str, codename: str) -> bool:
    """Whether members of `role` hold the permission `app_label.codename`.

    Each app says in its AppConfig how the roles reach it (core.registry.AppAccess); an app that says
    nothing (Django's own, say) is for administrators only.
    """
    from .registry import registry

    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}")
    access = registry.app_access.get(app_label)
    if access is not None and codename in access.individual_perms:
        return False  # given to a named person in the admin, never with a role (AppAccess.individual_perms)
    if role == ADMINISTRATOR:
        return True
    if access is None:
        return False
    is_view = codename.startswith("view_")
    if access.kind == "child_level":
        if role == COMMISSIONER:
            return is_view or codename.startswith("approve_") or codename in access.aggregate_perms
        if role == PLACEMENTS_OFFICER:
            return True
        # Aggregate figures (small numbers suppressed) hold no child's data: committee officers and viewers.
        return codename in access.aggregate_perms
    if role == COMMISSIONER:
        return True
    if role == PLACEMENTS_OFFICER:
        return is_view
    if role == COMMITTEE_OFFICER:
        return is_view or codename in access.committee_perms
    return is_view and codename not in access.committee_perms  # Viewer


def user_roles(user) -> frozenset[str]:
    """The roles this person holds (a superuser counts as an administrator)."""
    names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    if user.is_superuser:
        names.add(ADMINISTRATOR)
    return frozenset(names)


def sees_small_numbers(user) -> bool:
    """Whether pages show this user counts of 1 to 5 children (and figures worked out from them) as they
    are. Only roles with child-level access do; committee officers and viewers see [c] on every page, as
    everyone does in anything that leaves the system (downloads, reports). What child-level access means
    (seeing a child's placements) is registered by the app that holds the children (AppAccess.child_level_perm)."""
    from .registry import registry

    return any(user.has_perm(permission) for permission in registry.child_level_permissions())


@transaction.atomic
def sync_role_groups(*, group_model, permission_model) -> None:
    """Create the role groups and set their permissions from `role_allows`. Idempotent."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [p for p in permissions if role_allows(role, p.content_type.app_label, p.codename)]
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app; the last app's signal comes after every app's permissions exist.
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if sender is not [c for c in apps.get_app_configs() if c.models_module][-1]:
        return

    sync_role_groups(group_model=Group, permission_model=Permission)
