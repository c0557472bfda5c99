"""Where the places are: the Ofsted register near the council, own provision, where children are placed now, and
the gap against the forecast."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.tests.factories import ProviderFactory
from market.models import OfstedSetting
from placements.tests.factories import DistrictFactory, PlacementFactory
from sufficiency import selectors
from sufficiency.models import ForecastRun

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 30)


@pytest.fixture
def market(settings):
    settings.PLACEMENTS_LOCAL_AUTHORITY = "Reading"
    # Reading's centre, Wokingham's about 7 miles away, Oxford's about 25.
    DistrictFactory(code="RG1", latitude=Decimal("51.454"), longitude=Decimal("-0.971"), local_authority="Reading")
    DistrictFactory(code="RG40", latitude=Decimal("51.410"), longitude=Decimal("-0.835"), local_authority="Wokingham")
    DistrictFactory(code="OX1", latitude=Decimal("51.752"), longitude=Decimal("-1.258"), local_authority="Oxford")
    own = ProviderFactory(kind="in_house", name="Reading children's homes")
    for urn, kind, authority, places, status, provider in [
        ("SC1", "Children's home", "Reading", 4, "Active", own),
        ("SC2", "Children's home", "Wokingham", 6, "Active", None),
        ("SC3", "Children's home", "Oxford", 5, "Active", None),
        ("SC4", "Children's home", "Reading", 3, "Closed", None),
        ("SC5", "Supported accommodation", "Reading", 8, "Active", None),
        ("SC6", "Independent fostering agency", "Wokingham", None, "Active", None),
    ]:
        OfstedSetting.objects.create(urn=urn, provider_type=kind, local_authority=authority, places=places,
                                     registration_status=status, provider=provider)
    PlacementFactory(start=date(2025, 1, 1), placement_type="K2", provider_kind="PR1", in_area=True)
    PlacementFactory(start=date(2025, 1, 1), placement_type="K2", provider_kind="PR4", in_area=False,
                     recorded_distance_miles=Decimal("42"))
    PlacementFactory(start=date(2025, 1, 1), placement_type="U6", provider_kind="PR1", in_area=True)


def test_places_in_the_area_and_within_20_miles_by_category(market):
    rows = {r["category"]: r for r in selectors.supply(as_of=AS_OF)["rows"]}
    residential = rows["residential"]
    assert (residential["settings_in_area"], residential["places_in_area"]) == (1, 4)  # the closed home left out
    assert (residential["settings_near"], residential["places_near"]) == (2, 10)  # Reading and Wokingham, not Oxford
    assert (residential["own_settings"], residential["own_places"]) == (1, 4)
    assert (residential["children"], residential["out_of_area"], residential["own_provision"]) == (2, 1, 1)
    assert rows["supported"]["places_near"] == 8
    assert (rows["fostering"]["settings_near"], rows["fostering"]["places_near"]) == (1, 0)


def test_the_gap_sets_forecast_need_against_local_places(market, commissioner_client):
    month = {"fostering": 3.0, "residential": 14.0, "supported": 5.0, "other": 0.0, "total": 22.0,
             "total_low": 18.0, "total_high": 26.0}
    ForecastRun.objects.create(status="done", finished_at="2025-06-01T00:00Z", result={
        "baseline": [{"date": f"2026-{m:02d}-28", **month} for m in range(1, 13)]})
    gaps = {r["category"]: r for r in selectors.sufficiency_gaps(as_of=AS_OF)["rows"]}
    assert gaps["residential"]["gap_1"] == 4.0  # 14 needed, 10 places within 20 miles
    assert gaps["supported"]["gap_1"] == -3.0
    html = commissioner_client.get(reverse("sufficiency:supply")).content.decode()
    gap_table = html[html.index('id="gap-table"'):]
    residential = gap_table[gap_table.index('data-category="residential"'):]
    residential = residential[:residential.index("</tr>")]
    assert ">10<" in residential and ">14<" in residential and "govuk-tag--red\">+4<" in residential


def test_the_supply_page_runs_the_same_queries_however_many_settings(market, commissioner_client,
                                                                     django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        commissioner_client.get(reverse("sufficiency:supply"))
    for n in range(20):
        OfstedSetting.objects.create(urn=f"SC9{n}", provider_type="Children's home", local_authority="Reading",
                                     places=2, registration_status="Active")
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = commissioner_client.get(reverse("sufficiency:supply")).content.decode()
    assert "21 (44)" in html  # 21 homes, 44 places in Reading
