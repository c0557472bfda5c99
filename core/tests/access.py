from core.access import NOT_FOUND, REDIRECT, allowed, everyone
from core.roles import ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER


def url_cases():
    from placements.tests.factories import ChildFactory

    return {
        "home": ({}, everyone()),
        "login": ({}, everyone(REDIRECT)),  # signed-in users are sent on to the dashboard
        # The council's own sign-in (OpenID Connect) is there only once its settings are: tests/test_council_sign_in.py.
        "oidc_authentication_init": ({}, everyone(NOT_FOUND)),
        "oidc_authentication_callback": ({}, everyone(NOT_FOUND)),
        "logout": ({}, everyone(405)),  # sign-out is POST only (CSRF-protected)
        "healthz": ({}, everyone()),
        # The history page serves every audited record under its model's view permission; the matrix
        # walks the most sensitive kind, a child, which roles without child-level access may not see.
        "record_history": (
            {"app_label": "placements", "model_name": "child", "pk": ChildFactory().pk},
            allowed(ADMINISTRATOR, COMMISSIONER, PLACEMENTS_OFFICER),
        ),
        "system_status": ({}, allowed(ADMINISTRATOR)),
        "account": ({}, everyone()),
        "password_change": ({}, everyone()),
        "two_factor_setup": ({}, everyone()),
        "two_factor_verify": ({}, everyone(REDIRECT)),  # no app set up yet: sent to set one up
        "session_keep_alive": ({}, everyone(405)),  # POST only, from the idle-timeout warning
    }
