"""Walk every URL name for every role and check the designed answer."""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import ROLES

APPS = [
    "core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "programme", "sufficiency",
    "reports",
]
# Answer without a sign-in (the open-data addresses only when OPEN_DATA_PUBLIC is on: contracts/tests; the council's
# own sign-in only when its OIDC_ settings are set: tests/test_council_sign_in.py).
PUBLIC = {"login", "healthz", "contracts:public_transparency", "contracts:public_ocds", "oidc_authentication_init",
          "oidc_authentication_callback"}


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # the Django admin checks is_staff and model permissions itself
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _all_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _declared_cases():
    cases = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access")
        except ModuleNotFoundError:
            continue
        cases.update(module.url_cases())
    return cases


@pytest.mark.django_db
def test_every_url_name_has_a_declared_answer_for_every_role():
    cases = _declared_cases()
    undeclared = sorted(_all_url_names() - set(cases))
    assert not undeclared, f"URL names with no access declaration: {undeclared}"
    for name, (_kwargs, expected) in cases.items():
        assert set(expected) == set(ROLES), f"{name} must declare every role"


@pytest.mark.django_db
def test_permission_matrix(client, users):
    failures = []
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        url = reverse(name, kwargs=kwargs or None)
        for role, status in expected.items():
            client.force_login(users[role])
            got = client.get(url).status_code
            if got != status:
                failures.append(f"{role:<20} GET {url} ({name}): expected {status}, got {got}")
            client.logout()
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_every_page_needs_sign_in(client):
    for name, (kwargs, _expected) in sorted(_declared_cases().items()):
        if name in PUBLIC:
            continue
        response = client.get(reverse(name, kwargs=kwargs or None))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
def test_health_check_needs_no_sign_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
