"""The contracts part of the permission matrix, run on its own (the full matrix is tests/test_permission_matrix.py)."""

import pytest
from django.urls import reverse

from contracts.tests.access import url_cases


@pytest.mark.django_db
def test_contracts_permission_matrix(client, users):
    failures = []
    for name, (kwargs, expected) in sorted(url_cases().items()):
        url = reverse(name, kwargs=kwargs or None)
        for role, status in expected.items():
            client.force_login(users[role])
            got = client.get(url).status_code
            if got != status:
                failures.append(f"{role} GET {url} ({name}): expected {status}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("contracts:index"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
