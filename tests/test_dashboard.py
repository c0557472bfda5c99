from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dashboard import dashboard_items
from plans.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_dashboard_counts_mine_and_team_overdue_actions(commissioner_client, commissioner, make_user):
    other = make_user("Commissioner", username="other_commissioner")
    late = timezone.localdate() - timedelta(days=5)
    ActionFactory(owner=commissioner, due_on=late)
    ActionFactory(owner=other, due_on=late)
    ActionFactory(owner=other, due_on=late)
    ActionFactory(owner=commissioner, due_on=late, status="complete")
    items = {i.key: i for i in dashboard_items(user=commissioner, as_of=timezone.localdate())}
    assert (items["actions_overdue"].mine, items["actions_overdue"].team) == (1, 3)
    assert items["actions_overdue"].team_url == "/actions/?overdue=true"
    assert items["actions_overdue"].mine_url == f"/actions/?overdue=true&owner={commissioner.pk}"
    html = commissioner_client.get(reverse("home")).content.decode()
    assert f'href="/actions/?overdue=true&amp;owner={commissioner.pk}">1<' in html
    assert 'href="/actions/?overdue=true">3<' in html
    assert "Your open actions" in html


def test_the_linked_list_shows_the_same_number(commissioner_client, commissioner):
    late = timezone.localdate() - timedelta(days=5)
    ActionFactory(owner=commissioner, due_on=late, description="Late one")
    ActionFactory(owner=commissioner, description="Not late")
    html = commissioner_client.get(f"/actions/?overdue=true&owner={commissioner.pk}").content.decode()
    assert "Late one" in html and "Not late" not in html


def test_items_follow_permissions(users):
    today = timezone.localdate()
    viewer_keys = {i.key for i in dashboard_items(user=users["Viewer"], as_of=today)}
    assert "ipas_unsigned" not in viewer_keys  # Viewers see no placement data
    commissioner_keys = {i.key for i in dashboard_items(user=users["Commissioner"], as_of=today)}
    assert {"red_kpis", "decisions_due", "reviews_overdue", "ipas_unsigned", "actions_overdue"} <= commissioner_keys


def test_an_error_in_an_item_is_an_error_not_a_hidden_gap(commissioner, monkeypatch):
    import dataclasses

    from core.registry import registry

    spec = registry.dashboard_items["actions_overdue"]
    broken = dataclasses.replace(spec, count=lambda **kw: 1 / 0)
    monkeypatch.setitem(registry.dashboard_items, "actions_overdue", broken)
    with pytest.raises(ZeroDivisionError):
        dashboard_items(user=commissioner, as_of=timezone.localdate())


@pytest.mark.parametrize("n", [2, 25])
def test_dashboard_query_count_is_fixed(commissioner_client, commissioner, django_assert_num_queries, n):
    late = timezone.localdate() - timedelta(days=5)
    for _ in range(n):
        ActionFactory(owner=commissioner, due_on=late)
    commissioner_client.get(reverse("home"))  # warm caches (content types, permissions)
    with django_assert_num_queries(QUERIES_FOR_COMMISSIONER):
        response = commissioner_client.get(reverse("home"))
    assert response.status_code == 200


# session + user + groups (header) + permissions, then 2 per dashboard item (mine and team; 1 for IPAs and
# 1 for large contracts with too few KPIs; for lines forecast to overspend: the year's budget lines and the
# data version, its totals cached by the warm-up), your open actions, your recent reports.
QUERIES_FOR_COMMISSIONER = 19


def test_dashboard_counts_come_from_each_app_and_link_to_the_filtered_lists(commissioner_client, commissioner):
    from decimal import Decimal

    from contracts.tests.factories import ContractFactory
    from kpis.services import statuses_recompute
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
    from placements.tests.factories import PlacementFactory

    today = timezone.localdate()
    red = IndicatorFactory(code="RED01", owner=commissioner)
    TargetFactory(indicator=red, kind="at_least", value=Decimal("85"))
    MeasurementFactory(indicator=red, period_end=today.replace(day=1) - timedelta(days=1), value=Decimal("50"))
    other_red = IndicatorFactory(code="RED02")
    TargetFactory(indicator=other_red, kind="at_least", value=Decimal("85"))
    MeasurementFactory(indicator=other_red, period_end=today.replace(day=1) - timedelta(days=1), value=Decimal("40"))
    statuses_recompute()
    ContractFactory(
        reference="DUE-SOON",
        start_date=today - timedelta(days=700),
        end_date=today + timedelta(days=120),
        extension_options="",
        contract_manager=commissioner,
    )
    PlacementFactory(start=today - timedelta(days=30), placement_type="K2", provider_kind="PR4", route="spot")

    items = {i.key: i for i in dashboard_items(user=commissioner, as_of=today)}
    assert (items["red_kpis"].mine, items["red_kpis"].team) == (1, 2)
    assert (items["decisions_due"].mine, items["decisions_due"].team) == (1, 1)
    assert items["ipas_unsigned"].team == 1 and items["ipas_unsigned"].team_url == reverse("placements:ipa_queue")

    mine_kpis = commissioner_client.get(items["red_kpis"].mine_url).content.decode()
    assert "RED01" in mine_kpis and "RED02" not in mine_kpis
    team_kpis = commissioner_client.get(items["red_kpis"].team_url).content.decode()
    assert "RED01" in team_kpis and "RED02" in team_kpis
    due = commissioner_client.get(items["decisions_due"].mine_url).content.decode()
    assert "DUE-SOON" in due
