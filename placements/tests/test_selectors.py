import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from placements import selectors
from placements.models import AgreementStatus
from placements.tests.factories import AgreementFactory, ChildFactory, CostLineFactory, PlacementFactory

D = date
YEAR_END = D(2025, 3, 31)


@pytest.fixture
def scenario(db):
    a = PlacementFactory(child=ChildFactory(reference="A", birth_year=2012), start=D(2020, 1, 1),
                         placement_type="U6", provider_kind="PR1", distance_miles=Decimal("3.0"))
    b = ChildFactory(reference="B", birth_year=2010)
    PlacementFactory(child=b, start=D(2024, 4, 1), end=D(2024, 6, 1), placement_type="U6", provider_kind="PR4",
                     route="spot")
    PlacementFactory(child=b, start=D(2024, 6, 1), end=D(2024, 6, 5), placement_type="T0", provider_kind="PR1")
    PlacementFactory(child=b, start=D(2024, 6, 5), end=D(2024, 9, 1), placement_type="U4", provider_kind="PR4",
                     route="framework")
    b_now = PlacementFactory(child=b, start=D(2024, 9, 1), placement_type="K2", provider_kind="PR4", route="spot",
                             care_period_start=D(2024, 4, 1))
    PlacementFactory(child=ChildFactory(reference="C"), start=D(2024, 1, 1), placement_type="P1",
                     provider_kind="PR0", legal_status="V3")  # short breaks: not looked after
    PlacementFactory(child=ChildFactory(reference="D"), start=D(2023, 1, 1), end=D(2025, 3, 1))
    e = PlacementFactory(child=ChildFactory(reference="E", birth_year=2008), start=D(2023, 5, 1),
                         placement_type="K2", provider_kind="PR4", route="framework", in_area=False,
                         distance_miles=Decimal("45.0"))
    CostLineFactory(placement=a, weekly_amount=Decimal("450"), effective_from=D(2020, 1, 1))
    CostLineFactory(placement=b_now, weekly_amount=Decimal("5000"), effective_from=D(2024, 9, 1))
    CostLineFactory(placement=e, weekly_amount=Decimal("4000"), effective_from=D(2023, 5, 1))
    CostLineFactory(placement=e, kind="uplift", weekly_amount=Decimal("200"), effective_from=D(2025, 1, 1))
    CostLineFactory(placement=e, kind="uplift", weekly_amount=Decimal("900"), effective_from=D(2025, 2, 1),
                    status="awaiting_approval")
    AgreementFactory(placement=e, status=AgreementStatus.SIGNED, drafted_on=D(2023, 5, 2), issued_on=D(2023, 5, 3),
                     signed_on=D(2023, 5, 21))
    AgreementFactory(placement=b_now, status=AgreementStatus.DRAFTED, drafted_on=D(2024, 9, 10))
    return {"a": a, "b_now": b_now, "e": e}


def test_placement_metrics_command_prints_the_agreed_json(scenario):
    out = StringIO()
    call_command("placement_metrics", "--year-ending", "2025-03-31", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "looked_after": 3,
        "by_placement_type": {"K2": 2, "U6": 1},
        "by_provider": {"PR1": 1, "PR4": 2},
        "three_plus_placements": 1,
        "three_plus_placements_pct": "33.3",
        "long_term_stability_pct": "100.0",
        "over_20_miles": 1,
    }


def test_over_20_miles_is_null_when_no_distance_is_known(db):
    PlacementFactory(start=D(2024, 1, 1))
    assert selectors.placement_metrics(year_ending=YEAR_END)["over_20_miles"] is None
    assert selectors.placement_metrics(year_ending=YEAR_END)["long_term_stability_pct"] is None


def test_groups_kinds_distance(scenario):
    assert selectors.by_type_group(YEAR_END) == {"childrens_homes": 2, "in_house_fostering": 1}
    assert selectors.by_provider_kind(YEAR_END) == {"own_council": 1, "private": 2}
    assert selectors.distance_figures(YEAR_END) == {
        "total": 3, "distance_known": 2, "over_threshold": 1, "outside_area": 1, "over_threshold_and_outside": 1,
    }
    assert selectors.rate_per_10000(3) == Decimal("0.8")


def test_agency_fostering_split_by_provider(db):
    PlacementFactory(placement_type="U4", provider_kind="PR5")
    PlacementFactory(placement_type="U6", provider_kind="PR1")
    PlacementFactory(placement_type="U3", provider_kind="PR1")
    assert selectors.by_type_group(D(2025, 1, 1)) == {
        "agency_fostering": 1, "in_house_fostering": 1, "relative_friend_fostering": 1,
    }


def test_costs_by_group_and_route_use_lines_in_force(scenario):
    by_group = {row["key"]: row for row in selectors.cost_by(YEAR_END, "group")}
    # E: 4000 + 200 uplift (the 900 awaiting approval is not in force); B: 5000
    assert by_group["childrens_homes"]["weekly"] == Decimal("9200")
    assert by_group["childrens_homes"]["annual"] == Decimal("478400")
    assert by_group["childrens_homes"]["average_weekly"] == Decimal("4600.00")
    assert by_group["in_house_fostering"]["weekly"] == Decimal("450")
    by_route = {row["key"]: row for row in selectors.cost_by(YEAR_END, "route")}
    assert (by_route["spot"]["weekly"], by_route["framework"]["weekly"]) == (Decimal("5000"), Decimal("4200"))


def test_framework_share_and_ipas(scenario):
    assert selectors.framework_share(YEAR_END) == {
        "bought": 2, "framework": 1, "spot": 1, "framework_pct": "50.0", "spot_pct": "50.0",
    }
    unsigned = list(selectors.placements_without_signed_ipa(as_of=YEAR_END))
    assert unsigned == [scenario["b_now"]]
    assert unsigned[0].ipa_status == "drafted" and unsigned[0].days_open.days == 211
    figures = selectors.ipa_figures(as_of=YEAR_END, year_ending=D(2024, 3, 31))
    assert figures["unsigned"] == 1 and figures["median_days_to_signature"] == Decimal("20")
    assert figures["by_status"] == {"drafted": 1, "signed": 1}


def test_median_days_even_count(db):
    for start, signed in [(D(2024, 5, 1), D(2024, 5, 11)), (D(2024, 5, 1), D(2024, 5, 31)),
                          (D(2024, 5, 1), D(2024, 6, 30)), (D(2024, 5, 1), D(2024, 5, 5))]:
        AgreementFactory(placement__start=start, status="signed", drafted_on=start, issued_on=start,
                         signed_on=signed)
    assert selectors.median_days_to_signature(D(2024, 4, 1), D(2025, 3, 31)) == Decimal("20")


def test_sufficiency_runs_a_fixed_number_of_queries(scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        result = selectors.sufficiency(as_of=YEAR_END)
    assert result.looked_after == 3 and result.stability["three_plus_pct"] == "33.3"
