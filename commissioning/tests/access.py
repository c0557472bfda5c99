from commissioning.access import REDIRECT, allowed, everyone
from commissioning.roles import ADMINISTRATOR


def url_cases():
    # History of a user is not an audited domain record; use a demo-less record kind that
    # every role can read once apps add theirs. Here: the platform's own pages.
    return {
        "home": ({}, everyone()),
        "login": ({}, everyone(REDIRECT)),  # signed-in users are sent on to the dashboard
        "logout": ({}, everyone(405)),  # sign-out is POST only (CSRF-protected)
        "healthz": ({}, everyone()),
        "system_status": ({}, allowed(ADMINISTRATOR)),
        "actions": ({}, everyone()),
        "reports": ({}, everyone()),
    }
