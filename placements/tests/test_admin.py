from datetime import date

import pytest
from django.urls import reverse

from core.tests.admin_forms import admin_change_form_data
from placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_ending_a_placement_in_the_admin_ends_its_last_episode_as_the_placement_page_does(admin_user_client):
    placement = PlacementFactory(start=date(2024, 6, 1))
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    data = admin_change_form_data(admin_user_client.get(url), end="2025-01-10")
    response = admin_user_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    placement.refresh_from_db()
    assert placement.end == date(2025, 1, 10)
    assert placement.episodes.get().end == date(2025, 1, 10)


def test_ending_a_placement_from_the_childs_admin_page_ends_its_last_episode(admin_user_client):
    placement = PlacementFactory(start=date(2024, 6, 1))
    url = reverse("admin:placements_child_change", args=[placement.child_id])
    data = admin_change_form_data(admin_user_client.get(url), **{"placements-0-end": "2025-02-01"})
    response = admin_user_client.post(url, data)
    assert response.status_code == 302
    assert placement.episodes.get().end == date(2025, 2, 1)
