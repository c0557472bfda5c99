"""The "How each figure is worked out" page: one set of definitions, read by the page and the KPI measures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import COMMITTEE_OFFICER, ROLES
from kpis.measures import get_measure
from placements.definitions import DEFINITIONS, LONG_TERM_STABILITY
from placements.measures import COMPUTE
from placements.tests.factories import PlacementFactory

URL = reverse("placements:definitions")


def test_every_measure_has_one_definition_and_takes_its_name_from_it():
    assert set(COMPUTE) == set(DEFINITIONS)
    for key, definition in DEFINITIONS.items():
        measure = get_measure(key)
        assert (measure.label, measure.unit) == (definition.name, definition.unit)


def test_long_term_stability_is_written_in_dfe_terms_with_the_adoption_clause():
    assert "placed for adoption (PLACE A3, A4, A5 or A6)" in LONG_TERM_STABILITY.counted
    assert "together with their previous placement" in LONG_TERM_STABILITY.dfe_indicator
    assert "Children looked after in England including adoptions" in LONG_TERM_STABILITY.source


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_page_gives_each_definition_and_its_dfe_source_to_every_role(client, users, role):
    client.force_login(users[role])
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">How each figure is worked out</h1>" in page
    for definition in DEFINITIONS.values():
        assert f'id="{definition.slug}-heading">{definition.name}</h2>' in page.replace("&#x27;", "'")
    assert "placed for adoption (PLACE A3, A4, A5 or A6)" in page
    assert "Children looked after for at least 2.5 years who had been in the same placement" in page
    assert 'href="https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after' in page
    assert "whatever that episode&#x27;s reason for new episode (RNE)" in page
    # The breadcrumb leads back to the dashboard, which every role may open (it holds totals only).
    assert f'href="{reverse("placements:index")}"' in page


@pytest.mark.django_db
def test_the_dashboard_links_to_the_page(client, users):
    client.force_login(users[COMMITTEE_OFFICER])
    page = client.get(reverse("placements:index")).content.decode()
    assert f'<a class="govuk-link" href="{URL}" id="definitions-link">How each figure is worked out</a>' in page
    assert "or placed for adoption with the adoptive placement and the one before it" in page


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_whatever_the_data(client, users):
    client.force_login(users[COMMITTEE_OFFICER])
    counts = []
    for extra in (0, 12):
        PlacementFactory.create_batch(extra)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6  # session, user, permissions and the navigation
