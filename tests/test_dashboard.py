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


# session + user + roles + permissions + groups (header), then 2 per item the commissioner acts on (mine and
# team: red KPIs, KPI values awaiting approval, 3 contract alerts, actions, risk reviews overdue), 1 each for IPAs,
# cost changes and large contracts with too few KPIs, 2 for lines forecast to overspend (the year's budget lines and
# the data version, its totals cached by the warm-up), open actions, recent reports.
QUERIES_FOR_COMMISSIONER = 27


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


# ---- Each role's home page --------------------------------------------------------------------------------

import re  # noqa: E402

ITEM = re.compile(
    r'data-item="(?P<key>[^"]+)">\s*<p class="app-count__figure" data-count="team">(?:<a[^>]*href="(?P<url>[^"]*)">)?'
    r'(?P<team>\d+).*?<p class="govuk-body govuk-!-font-weight-bold[^"]*">(?P<label>[^<]+)</p>(?P<rest>.*?)</li>',
    re.S,
)


def shown(html: str) -> dict[str, dict]:
    """What the home page shows: each count's label, figure, link, "yours" and whether it asks for action."""
    found = {}
    for m in ITEM.finditer(html):
        mine = re.search(r'data-count="mine">Yours: (?:<a[^>]*>)?(\d+)', m["rest"])
        found[m["key"]] = {
            "label": m["label"], "team": int(m["team"]), "url": (m["url"] or "").replace("&amp;", "&"),
            "mine": int(mine[1]) if mine else None, "action": "Action needed" in m["rest"],
        }
    return found


def _placements_officers_day(n: int):
    from placements.tests.factories import AgreementFactory, CostLineFactory, PanelReviewFactory, PlacementFactory

    today = timezone.localdate()
    for i in range(n):
        AgreementFactory(placement__start=today - timedelta(days=10 + i % 5))  # under 4 weeks
    AgreementFactory(placement__start=today - timedelta(days=40), status="issued", issued_on=today - timedelta(days=9))
    AgreementFactory(placement__start=today - timedelta(days=200), status="drafted")
    AgreementFactory(placement__start=today - timedelta(days=300), status="signed",
                     signed_on=today - timedelta(days=250))
    PanelReviewFactory(placement=PlacementFactory(start=today - timedelta(days=90)), due_on=today - timedelta(days=2))
    PanelReviewFactory(placement=PlacementFactory(start=today - timedelta(days=90)), due_on=today + timedelta(days=300))
    CostLineFactory(status="awaiting_approval", placement=PlacementFactory(start=today - timedelta(days=60)))


def test_placements_officer_sees_ipas_by_age_panel_reviews_and_cost_changes(placements_client):
    _placements_officers_day(3)
    items = shown(placements_client.get(reverse("home")).content.decode())
    assert list(items) == [
        "ipas_waiting_under_28", "ipas_waiting_28_to_84", "ipas_waiting_over_84", "panel_reviews_due",
        "cost_changes_waiting", "data_problems_903",
    ]
    assert items["ipas_waiting_under_28"] == {
        "label": "IPAs not signed: under 4 weeks", "team": 3, "url": "/placements/ipas/?waiting=under_28",
        "mine": None, "action": True,
    }
    assert (items["ipas_waiting_28_to_84"]["team"], items["ipas_waiting_over_84"]["team"]) == (1, 1)
    assert items["panel_reviews_due"]["team"] == 1 and items["panel_reviews_due"]["url"] == "/placements/panel-reviews/"
    assert items["cost_changes_waiting"]["label"] == "Cost changes waiting for approval"
    assert items["cost_changes_waiting"]["team"] == 1


def test_each_ipa_count_links_to_a_queue_of_the_same_length(placements_client):
    _placements_officers_day(3)
    for key, item in shown(placements_client.get(reverse("home")).content.decode()).items():
        if key.startswith("ipas_waiting_"):
            queue = placements_client.get(item["url"]).content.decode()
            assert queue.count('<tr class="govuk-table__row"><td class="govuk-table__cell"><a') == item["team"], key


def test_commissioners_red_kpis_include_those_in_the_themes_they_lead_and_outcomes_they_own(
    commissioner_client, commissioner
):
    from decimal import Decimal

    from kpis.services import statuses_recompute
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
    from outcomes.tests.factories import OutcomeFactory, ThemeFactory

    period_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    led = ThemeFactory(name="Early Help", lead=commissioner)
    owned_outcome = OutcomeFactory(owner=commissioner)
    red = {}
    for code, kwargs in {"OWN": {"owner": commissioner}, "THEME": {"theme": led}, "OUTCOME": {}, "OTHER": {}}.items():
        red[code] = IndicatorFactory(code=code, **kwargs)
        TargetFactory(indicator=red[code], kind="at_least", value=Decimal("85"))
        MeasurementFactory(indicator=red[code], period_end=period_end, value=Decimal("50"))
    red["OUTCOME"].outcomes.add(owned_outcome)
    statuses_recompute()

    items = shown(commissioner_client.get(reverse("home")).content.decode())
    assert (items["red_kpis"]["mine"], items["red_kpis"]["team"], items["red_kpis"]["action"]) == (3, 4, True)
    assert {"decisions_due", "decisions_overdue", "reviews_overdue", "actions_overdue", "ipas_unsigned",
            "cost_changes_waiting"} <= set(items)
    assert not any(k.startswith("ipas_waiting_") or k == "panel_reviews_due" for k in items)
    mine = commissioner_client.get(f"/kpis/?status=red&responsible={commissioner.pk}").content.decode()
    assert all(f">{code}<" in mine for code in ("OWN", "THEME", "OUTCOME")) and ">OTHER<" not in mine
    assert "Showing the KPIs you answer for" in mine


def test_commissioner_is_not_asked_to_act_on_ipas_placements_officers_keep(commissioner_client):
    _placements_officers_day(1)
    items = shown(commissioner_client.get(reverse("home")).content.decode())
    assert items["ipas_unsigned"]["team"] == 3 and not items["ipas_unsigned"]["action"]
    assert items["cost_changes_waiting"]["action"]  # commissioners approve cost changes


def test_viewer_sees_the_same_figures_with_no_call_to_action(viewer_client, commissioner):
    from django.test import Client

    late = timezone.localdate() - timedelta(days=5)
    ActionFactory(owner=commissioner, due_on=late)
    ActionFactory(owner=commissioner, due_on=late)
    html = viewer_client.get(reverse("home")).content.decode()
    items = shown(html)
    assert list(items) == ["red_kpis", "decisions_due", "decisions_overdue", "reviews_overdue",
                           "market_contracts_needing_kpis", "actions_overdue"]
    assert items["actions_overdue"] == {
        "label": "Actions overdue", "team": 2, "url": "/actions/?overdue=true", "mine": None, "action": False,
    }
    assert "Action needed" not in html and "Yours" not in html and "Figures today" in html
    commissioner_client = Client()
    commissioner_client.force_login(commissioner)
    commissioner_items = shown(commissioner_client.get(reverse("home")).content.decode())
    assert commissioner_items["actions_overdue"]["team"] == 2 and commissioner_items["actions_overdue"]["action"]


def test_committee_officer_sees_next_meetings_their_reports_and_the_figures(committee_client, committee_officer):
    from plans.tests.factories import MeetingFactory
    from reports.tests.factories import ReportRunFactory

    today = timezone.localdate()
    cabinet = MeetingFactory(committee__name="Cabinet", date=today + timedelta(days=10))
    MeetingFactory(committee__name="Children and Families Committee", date=today + timedelta(days=30))
    MeetingFactory(committee__name="Cabinet", date=today - timedelta(days=30))
    ReportRunFactory(meeting=cabinet, status="complete", requested_by=committee_officer, title="Q4 pack")
    html = committee_client.get(reverse("home")).content.decode()
    assert "Next committee meetings" in html
    rows = re.findall(r'<td class="govuk-table__cell">([^<]+)</td>\s*<td class="govuk-table__cell">([^<]+)</td>\s*'
                      r'<td class="govuk-table__cell app-numeric" data-reports="(\d+)"', html)
    assert rows == [
        ("Cabinet", f"{cabinet.date:%-d %b %Y}", "1"),
        ("Children and Families Committee", f"{today + timedelta(days=30):%-d %b %Y}", "0"),
    ]
    assert "Your recent reports" in html and "Q4 pack" in html
    items = shown(html)
    assert set(items) == {"red_kpis", "kpi_values_awaiting_approval", "decisions_due", "decisions_overdue",
                          "reviews_overdue", "market_contracts_needing_kpis", "actions_overdue"}
    assert "Action needed" not in html and "Your open actions" not in html


def test_administrator_sees_system_health_and_users_without_a_role(admin_user_client, django_user_model):
    from core.models import WorkerHeartbeat

    django_user_model.objects.create_user(username="new_starter", password="x-password-123")
    django_user_model.objects.create_user(username="leaver", password="x-password-123", is_active=False)
    html = admin_user_client.get(reverse("home")).content.decode()
    items = shown(html)
    assert list(items) == ["users_without_role"]
    assert items["users_without_role"] == {
        "label": "Users without a role", "team": 1, "url": "/admin/auth/user/?groups__isnull=True&is_active__exact=1",
        "mine": None, "action": True,
    }
    assert "Never reported" in html
    listed = admin_user_client.get(items["users_without_role"]["url"]).content.decode()
    assert "new_starter" in listed and "leaver" not in listed and "administrator" not in listed
    WorkerHeartbeat.objects.create(hostname="worker-1", last_seen=timezone.now())
    assert "Running" in admin_user_client.get(reverse("home")).content.decode()


def _data(n: int, commissioner):
    from plans.tests.factories import MeetingFactory
    from reports.tests.factories import ReportRunFactory

    _placements_officers_day(n)
    late = timezone.localdate() - timedelta(days=5)
    for _ in range(n):
        ActionFactory(owner=commissioner, due_on=late)
        ReportRunFactory(requested_by=commissioner, meeting=MeetingFactory())


# Per role: session, user, roles, permissions (2), header groups, then the role's counts and panels.
QUERIES = {
    "Placements officer": 6 + 5 + 2,  # 5 counts and the 903 data problems (children not imported, districts), no panels
    "Committee officer": 6 + 7 + 2,  # 7 counts (none theirs to act on), next meetings, recent reports
    "Viewer": 6 + 6 + 1 + 2 + 2,  # how we are doing: KPIs by theme, the forecast (totals cached), children placed
    "Administrator": 6 + 1 + 1,  # users without a role, system health (heartbeats)
}


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize("role", list(QUERIES))
def test_each_roles_home_page_takes_a_fixed_number_of_queries(client, make_user, django_assert_num_queries, role, n):
    user = make_user(role)
    _data(n, make_user("Commissioner", username="someone"))
    client.force_login(user)
    client.get(reverse("home"))
    with django_assert_num_queries(QUERIES[role]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
