"""Owning groups and how much of the council's placements each holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.tests.factories import ProviderFactory
from core.roles import COMMITTEE_OFFICER
from market import selectors, services
from placements.tests.factories import CostLineFactory, PlacementFactory


def place(provider, n, weekly="1000.00"):
    start = timezone.localdate() - timedelta(days=90)
    for _ in range(n):
        placement = PlacementFactory(provider=provider, provider_kind="PR4", start=start)
        CostLineFactory(placement=placement, weekly_amount=Decimal(weekly), effective_from=start)


@pytest.mark.django_db
def test_a_group_that_would_contain_itself_is_refused(commissioner):
    top = services.group_create(user=commissioner, name="Top Care")
    middle = services.group_create(user=commissioner, name="Middle Care", parent=top)
    bottom = services.group_create(user=commissioner, name="Bottom Care", parent=middle)
    with pytest.raises(ValidationError) as refused:
        services.group_update(group=top, user=commissioner, name="Top Care", parent=bottom)
    assert refused.value.message_dict["parent"] == ["Bottom Care is already inside Top Care: a group cannot contain "
                                                    "itself"]
    with pytest.raises(ValidationError, match="its own parent"):
        services.group_update(group=top, user=commissioner, name="Top Care", parent=top)
    with pytest.raises(ValidationError, match="already exists"):
        services.group_create(user=commissioner, name="top care")


@pytest.mark.django_db
def test_the_edit_page_shows_the_loop_as_an_error(commissioner_client, commissioner):
    top = services.group_create(user=commissioner, name="Top Care")
    child = services.group_create(user=commissioner, name="Child Care", parent=top)
    response = commissioner_client.post(f"/market/groups/{top.pk}/edit/", {"name": "Top Care", "parent": child.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Child Care is already inside Top Care: a group cannot contain itself" in body


@pytest.fixture
def market(commissioner):
    """Three groups (one inside another) and an independent provider, 40 children placed in all."""
    big = services.group_create(user=commissioner, name="Big Group")
    sub = services.group_create(user=commissioner, name="Sub Group", parent=big)
    small = services.group_create(user=commissioner, name="Small Group")
    a, b, c, d = (ProviderFactory(name=n) for n in ("Alpha Homes", "Beta Homes", "Gamma Homes", "Delta Homes"))
    services.provider_set_group(provider=a, group=big, user=commissioner)
    services.provider_set_group(provider=b, group=sub, user=commissioner)
    services.provider_set_group(provider=c, group=small, user=commissioner)
    place(a, 12)
    place(b, 8, weekly="2000.00")
    place(c, 3)
    place(d, 7)
    PlacementFactory.create_batch(10, start=timezone.localdate() - timedelta(days=90))  # in-house, no provider
    return {"big": big, "small": small, "providers": (a, b, c, d)}


@pytest.mark.django_db
def test_concentration_rolls_providers_up_to_their_top_group(market):
    figures = selectors.concentration(as_of=timezone.localdate())
    assert figures.total_children == 40
    owners = [(h.name, h.children, h.weekly, h.share_pct) for h in figures.owners]
    assert owners == [
        ("Big Group", 20, Decimal("28000.00"), Decimal("50.0")),
        ("Delta Homes", 7, Decimal("7000.00"), Decimal("17.5")),
        ("Small Group", 3, Decimal("3000.00"), Decimal("7.5")),
    ]
    assert [h.name for h in figures.largest] == ["Big Group", "Small Group"]
    assert figures.largest_children == 23
    assert figures.largest_share_pct == Decimal("57.5")
    assert [h.name for h in figures.over_threshold] == ["Big Group"]  # 10% by default; Delta stands alone


@pytest.mark.django_db
def test_the_share_threshold_is_a_setting(market, settings):
    settings.MARKET_GROUP_SHARE_PCT = 60
    assert selectors.concentration(as_of=timezone.localdate()).over_threshold == []


@pytest.mark.django_db
def test_committee_officers_see_small_counts_as_c_and_every_spend(market, make_user, client):
    client.force_login(make_user(COMMITTEE_OFFICER))
    body = client.get("/market/").content.decode()
    small_row = body[body.index("Small Group"):]
    small_row = small_row[:small_row.index("</tr>")]
    assert "[c]" in small_row and "£3,000" in small_row  # 3 children: their count hidden, the money shown
    assert "£28,000" in body
    figures = selectors.for_viewer(selectors.concentration(as_of=timezone.localdate()), sees_small_numbers=False)
    # The two largest groups hold 23 of 40: shown, so Big Group's 20 is hidden (23 less it gives Small Group's
    # 3), then Beta Homes' 8 (Alpha's 12 and Beta's make Big Group) and the 10 placed with no provider (40
    # less 23 less them gives Delta Homes' hidden 7).
    assert (str(figures.largest_cell), str(figures.largest_share_cell), str(figures.total_cell)) == (
        "23", "57.5%", "40")
    assert {h.name: str(h.children_cell) for h in figures.owners} == {
        "Big Group": "[c]", "Delta Homes": "[c]", "Small Group": "[c]"}
    assert {h.name: str(h.children_cell) for h in figures.providers} == {
        "Alpha Homes": "12", "Beta Homes": "[c]", "Delta Homes": "[c]", "Gamma Homes": "[c]"}


@pytest.mark.django_db
def test_the_five_largest_groups_share_is_shown_when_they_hold_6_or_more(commissioner, make_user, client):
    for name, n in (("Ash", 20), ("Birch", 15), ("Cedar", 10), ("Damson", 8), ("Elm", 3), ("Fir", 2)):
        group = services.group_create(user=commissioner, name=f"{name} Care Group")
        provider = ProviderFactory(name=f"{name} Homes")
        services.provider_set_group(provider=provider, group=group, user=commissioner)
        place(provider, n)
    place(ProviderFactory(name="Independent Homes"), 7)
    PlacementFactory.create_batch(10, start=timezone.localdate() - timedelta(days=90))  # in-house, no provider
    client.force_login(make_user(COMMITTEE_OFFICER))
    body = client.get("/market/").content.decode()
    # 56 of 75: Elm's 3 is hidden with Damson's 8 (the next smallest of the five), not their sum
    assert 'id="largest-share">56 children</p>' not in body
    assert 'id="largest-share">74.7%</p>' in body and "56 children" in body
    assert 'id="total-children">75</p>' in body
    damson = body[body.index("Damson Care Group</a>"):]
    assert damson[:damson.index("</tr>")].count("[c]") == 2 and "£8,000" in damson[:damson.index("</tr>")]
    from django.template.loader import render_to_string

    from market import reports

    today = timezone.localdate()
    context = reports.section_context(period_start=today - timedelta(days=90), period_end=today, as_of=today)
    html = render_to_string("market/pdf/section.html", {**context, "section": {"number": 9}})
    assert "The 5 largest owning groups hold 74.7% of the council's 75 placements" in html


@pytest.mark.django_db
def test_commissioners_see_every_count(market, commissioner_client):
    body = commissioner_client.get("/market/").content.decode()
    assert "57.5%" in body
    small_row = body[body.index("Small Group"):][:600]
    assert "£3,000" in small_row


@pytest.mark.django_db
def test_the_market_page_runs_the_same_queries_at_any_size(market, commissioner_client, commissioner,
                                                            django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert commissioner_client.get("/market/").status_code == 200
    extra = services.group_create(user=commissioner, name="Extra Group")
    for n in range(5):
        provider = ProviderFactory(name=f"Extra {n}")
        services.provider_set_group(provider=provider, group=extra, user=commissioner)
        place(provider, 2)
    with CaptureQueriesContext(connection) as large:
        assert commissioner_client.get("/market/").status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_group_page_lists_its_providers_with_their_children(market, commissioner_client):
    body = commissioner_client.get(market["big"].get_absolute_url()).content.decode()
    assert "Alpha Homes" in body and "Beta Homes" in body and "Gamma Homes" not in body
    assert "Sub Group" in body


@pytest.mark.django_db
def test_concentration_on_the_demo_data(users):
    from contracts import demo as contracts_demo
    from market import demo
    from placements import demo as placements_demo

    contracts_demo.load(users=users)
    placements_demo.load(users=users)
    demo.load(users=users)
    figures = selectors.concentration(as_of=timezone.localdate())
    assert 195 <= figures.total_children <= 215
    by_name = {h.name: h for h in figures.owners}
    evergreen = by_name["Evergreen Care Holdings"]  # owns Kestrel Family Group, so holds its providers too
    assert len(evergreen.providers) == 9
    assert "Kestrel Family Group" not in by_name
    assert evergreen.children == sum(h.children for h in figures.providers if h.name in evergreen.providers)
    assert figures.largest[0].name == "Evergreen Care Holdings"
    assert len(figures.largest) == 5
    assert figures.largest_share_pct == (Decimal(figures.largest_children) * 100 / figures.total_children).quantize(
        Decimal("0.1"))
    assert Decimal("20") < figures.largest_share_pct < Decimal("80")
    assert evergreen in figures.over_threshold
    from market.models import ProviderAlert, QualityCheck

    assert [a.kind for a in ProviderAlert.objects.all()] == ["downgraded"]  # this quarter's downgrade
    assert QualityCheck.objects.filter(rating="poor").exists()
    counts = (len(figures.owners), figures.largest_children, ProviderAlert.objects.count())
    demo.load(users=users)
    again = selectors.concentration(as_of=timezone.localdate())
    assert (len(again.owners), again.largest_children, ProviderAlert.objects.count()) == counts
