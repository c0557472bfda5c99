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


# The rest of the commissioning team: they manage contracts and sign off values beside the demo commissioner,
# so a register or a history page is not one name throughout. No password: they do not sign in to the demo.
DEMO_TEAM = [
    # username, first name, last name, post
    ("s.okafor", "Sam", "Okafor", "Senior commissioner"),
    ("p.shah", "Priya", "Shah", "Commissioning officer"),
    ("t.wright", "Tom", "Wright", "Commissioning officer"),
    ("h.price", "Helen", "Price", "Performance and quality manager"),
]


def demo_colleague_create(username: str, first: str, last: str):
    """A commissioner of the demo team who does not sign in to the demo (no password). Idempotent."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.gov.uk"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=COMMISSIONER))
    return user


def demo_team_create(users: dict) -> list:
    """The demo commissioner and the rest of the team (DEMO_TEAM), all in the Commissioner role."""
    team = [users[COMMISSIONER]] if COMMISSIONER in users else []
    return team + [demo_colleague_create(username, first, last) for username, first, last, _post in DEMO_TEAM]
