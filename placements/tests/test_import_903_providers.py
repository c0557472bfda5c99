"""A placement's provider from the return: by the Ofsted URN where the return gives one."""

import pytest
from django.urls import reverse

from contracts.tests.factories import ProviderFactory
from market.models import OfstedSetting
from placements.importers import import_903
from placements.models import Placement
from placements.tests.test_import_903 import EPISODES, HEADER, tables


def placement_of(reference, code):
    return Placement.objects.select_related("provider").get(child__reference=reference, placement_type__code=code)


@pytest.mark.django_db
def test_the_return_urn_finds_the_provider_and_the_ipa_queue_names_it(placements_officer, client):
    hilltop = ProviderFactory(name="Hilltop Homes Ltd", ofsted_urn="SC123456")
    import_903(*tables(), user=placements_officer)
    assert placement_of("100001", "K2").provider == hilltop
    assert placement_of("100002", "U4").provider is None  # no URN in the return: the kind (PR4) stands
    client.force_login(placements_officer)
    page = client.get(reverse("placements:ipa_queue") + "?as_of=01/01/2025").content.decode()
    assert "Hilltop Homes Ltd" in page and "Private provision" in page


@pytest.mark.django_db
def test_an_ofsted_setting_linked_to_a_provider_finds_it(placements_officer):
    group_home = ProviderFactory(name="Oak Care Group", ofsted_urn="")
    OfstedSetting.objects.create(urn="SC123456", provider=group_home, setting_name="Oak House")
    import_903(*tables(), user=placements_officer)
    assert placement_of("100001", "K2").provider == group_home


@pytest.mark.django_db
def test_a_provider_chosen_in_the_app_is_kept_and_an_ambiguous_urn_is_not_guessed(placements_officer):
    ProviderFactory(name="First", ofsted_urn="SC123456")
    ProviderFactory(name="Second", ofsted_urn="SC123456")
    import_903(*tables(), user=placements_officer)
    placement = placement_of("100001", "K2")
    assert placement.provider is None
    chosen = ProviderFactory(name="Chosen in the app")
    Placement.objects.filter(pk=placement.pk).update(provider=chosen)
    only = ProviderFactory(name="Only one", ofsted_urn="SC654321")
    import_903(*tables(HEADER, EPISODES.replace("SC123456", "SC654321")), user=placements_officer)
    assert placement_of("100001", "K2").provider == chosen
    assert only.placements.count() == 0
