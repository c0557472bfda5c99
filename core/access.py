"""Helpers for declaring who may open each URL, used by the permission-matrix test.

Every app has `<app>/tests/access.py` with `def url_cases() -> dict`: for each URL name
(namespaced), a pair of (URL kwargs, {role: expected status}). The matrix test fails if
any URL name has no declaration, so a new page cannot ship without its access decided.
"""

from core.roles import ROLES

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def allowed(*roles: str, status: int = OK, otherwise: int = FORBIDDEN) -> dict[str, int]:
    """`status` for the named roles, `otherwise` for the rest."""
    return {role: status if role in roles else otherwise for role in ROLES}


def everyone(status: int = OK) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)
