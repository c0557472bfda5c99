"""Demo users, one per role. Each app adds its own demo data in `<app>/demo.py`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo only, printed by `make run`

DEMO_USERS = [
    # username, first name, last name, role
    ("admin", "Alex", "Admin", ADMINISTRATOR),
    ("commissioner", "Chris", "Commissioner", COMMISSIONER),
    ("placements", "Pat", "Placements", PLACEMENTS_OFFICER),
    ("committee", "Kim", "Committee", COMMITTEE_OFFICER),
    ("viewer", "Val", "Viewer", VIEWER),
]


def demo_users_create():
    User = get_user_model()
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.gov.uk"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == ADMINISTRATOR
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        users[role] = user
    return users
