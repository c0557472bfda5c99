"""903 data problems: postcode districts not in the district list, and the placements officer's home page item."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from placements import selectors
from placements.importers import import_903
from placements.models import Placement
from placements.tests.factories import DistrictFactory
from placements.tests.test_import_903 import tables
from placements.tests.test_import_903_skip import BAD_EPISODES, BAD_HEADER

AS_OF = date(2025, 1, 1)


@pytest.fixture
def districts(db):
    DistrictFactory(code="RG1", latitude=Decimal("51.45400"), longitude=Decimal("-0.97100"))
    DistrictFactory(code="OX1", latitude=Decimal("51.75200"), longitude=Decimal("-1.25770"))


def test_a_district_not_in_the_list_is_kept_and_named_by_the_import(districts, placements_officer):
    summary = import_903(*tables(), user=placements_officer)
    assert summary.districts_unknown == ["RG2", "RG30"]
    assert "Postcode districts not in the district list, kept with the distance unknown: RG2, RG30." in summary.notes
    placement = Placement.objects.get(child__reference="100002")
    assert (placement.home_district, placement.placement_district, placement.distance_miles) == ("RG2", "RG2", None)


def test_dashboard_counts_placements_with_a_district_not_in_the_list_until_it_is_loaded(
    districts, placements_officer, client, committee_officer
):
    import_903(*tables(), user=placements_officer)
    # On 1 January 2025: 100001 in K2 (RG1 to OX1, both known) and 100002 in U4 (RG2 to RG2, not known).
    assert selectors.district_unknown_count(AS_OF) == 1
    client.force_login(placements_officer)
    url = reverse("placements:index") + "?as_of=01/01/2025"
    page = client.get(url).content.decode()
    assert 'id="district-unknown">1 <a class="govuk-link" href="/placements/import/903/problems/"' in page
    client.force_login(committee_officer)
    assert 'id="district-unknown">[c]</dd>' in client.get(url).content.decode()

    client.force_login(placements_officer)
    problems = client.get(reverse("placements:data_problems") + "?as_of=01/01/2025").content.decode()
    assert '<th scope="row" class="govuk-table__header">RG2</th>' in problems
    assert selectors.districts_unknown(AS_OF) == [{"district": "RG2", "home": 1, "placed": 1}]

    DistrictFactory(code="RG2", latitude=Decimal("51.43"), longitude=Decimal("-0.95"))
    assert selectors.district_unknown_count(AS_OF) == 0
    assert 'id="district-unknown">0</dd>' in client.get(url).content.decode()


@time_machine.travel(date(2025, 1, 1), tick=False)
def test_placements_officer_home_page_counts_903_data_problems(districts, placements_officer, client, commissioner):
    import_903(*tables(BAD_HEADER, BAD_EPISODES), user=placements_officer, skip_invalid_children=True)
    # 2 children not imported, and 100002's placement has a district not in the list.
    assert selectors.data_problems_count(as_of=AS_OF) == 3
    client.force_login(placements_officer)
    page = client.get(reverse("home")).content.decode()
    assert "903 data problems" in page and reverse("placements:data_problems") in page
    problems = client.get(reverse("placements:data_problems")).content.decode()
    assert 'id="returns-not-imported"' in problems and ">2</td>" in problems
    client.force_login(commissioner)
    assert "903 data problems" not in client.get(reverse("home")).content.decode()
