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


def test_the_admin_lists_an_other_placement_as_having_no_provider_and_refuses_none_for_other_codes(
        admin_user_client):
    from placements.models import NO_PROVIDER_LABEL, PlacementType

    other = PlacementFactory(start=date(2025, 6, 1), placement_type="Z11", provider_kind=None, route="spot")
    own = PlacementFactory(start=date(2025, 6, 1), provider_kind="PR1")
    listing = reverse("admin:placements_placement_changelist")
    html = admin_user_client.get(listing, {"provider_kind__isnull": "True"}).content.decode()
    assert f'<td class="field-provider_kind_shown">{NO_PROVIDER_LABEL}</td>' in html
    assert f">{NO_PROVIDER_LABEL}</a>" in html  # the filter's choice
    assert reverse("admin:placements_placement_change", args=[other.pk]) in html
    assert reverse("admin:placements_placement_change", args=[own.pk]) not in html
    url = reverse("admin:placements_placement_change", args=[other.pk])
    data = admin_change_form_data(admin_user_client.get(url),
                                  placement_type=str(PlacementType.objects.get(code="U6").pk))
    response = admin_user_client.post(url, data)
    assert response.status_code == 200
    assert "Select the provider kind" in str(response.context["adminform"].form.errors["provider_kind"])
    other.refresh_from_db()
    assert other.placement_type.code == "Z11"
