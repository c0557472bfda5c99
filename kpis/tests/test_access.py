"""The permission matrix for the KPI and outcomes pages (the project-wide test walks every app)."""

import pytest
from django.urls import reverse

from kpis.tests import access as kpi_access
from outcomes.tests import access as outcome_access


@pytest.mark.django_db
@pytest.mark.parametrize("module", [kpi_access, outcome_access], ids=["kpis", "outcomes"])
def test_each_role_gets_the_designed_answer(client, users, module):
    failures = []
    for name, (kwargs, expected) in module.url_cases().items():
        url = reverse(name, kwargs=kwargs or None)
        for role, status in expected.items():
            client.force_login(users[role])
            got = client.get(url).status_code
            if got != status:
                failures.append(f"{role} GET {url}: expected {status}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_missing_and_bad_ids_are_404_not_500(commissioner_client):
    for name in ("kpis:detail", "kpis:measurement_add", "kpis:target_add", "outcomes:detail"):
        assert commissioner_client.get(reverse(name, kwargs={"pk": 999999})).status_code == 404
