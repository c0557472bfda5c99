"""The main navigation: registered by the apps, in order, each link for those holding its permission."""

import re

import pytest
from django.urls import reverse

from core.registry import NavItemSpec, registry
from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

EVERY_LINK = [
    "Dashboard", "Outcomes", "KPIs", "Contracts", "Market", "Placements", "Finance", "Sufficiency", "Actions",
    "Programme", "Reports",
]


def _menu(html: str) -> list[tuple[str, str, bool]]:
    """(label, href, marked as the current page) for each link in the main navigation."""
    menu = re.search(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', html, re.S).group(1)
    items = []
    for item in re.findall(r"<li (.*?)</li>", menu, re.S):
        href, label = re.search(r'href="([^"]*)"[^>]*>(?:<strong[^>]*>)?([^<]+)', item).groups()
        current = "govuk-service-navigation__item--active" in item and 'aria-current="page"' in item
        items.append((label, href, current))
    return items


@pytest.mark.parametrize(
    "role, links",
    [
        (ADMINISTRATOR, [*EVERY_LINK, "Admin"]),
        (COMMISSIONER, EVERY_LINK),
        (PLACEMENTS_OFFICER, EVERY_LINK),
        (COMMITTEE_OFFICER, EVERY_LINK),
        # Viewers never see committee reports; they reach the placements' aggregate pages.
        (VIEWER, [link for link in EVERY_LINK if link != "Reports"]),
    ],
)
def test_each_role_sees_the_links_it_may_follow_in_order(client, make_user, role, links):
    client.force_login(make_user(role))
    menu = _menu(client.get(reverse("home")).content.decode())
    assert [label for label, _href, _current in menu] == links
    assert menu[0] == ("Dashboard", reverse("home"), True)
    assert [label for label, _href, current in menu if current] == ["Dashboard"]


@pytest.mark.parametrize(
    "url_name, current",
    [("kpis:index", "KPIs"), ("contracts:index", "Contracts"), ("placements:index", "Placements"),
     ("actions", "Actions")],
)
def test_the_current_page_is_marked_once(commissioner_client, url_name, current):
    menu = _menu(commissioner_client.get(reverse(url_name)).content.decode())
    assert [(label, href) for label, href, is_current in menu if is_current] == [(current, reverse(url_name))]


def test_a_registered_link_appears_in_its_place_for_those_holding_its_permission(monkeypatch, client, make_user):
    monkeypatch.setitem(
        registry.navigation,
        "approvals",
        NavItemSpec(key="approvals", label="Approvals", url_name="kpis:awaiting_approval", section="approvals",
                    permissions=("kpis.change_indicator",), order=25),
    )
    client.force_login(make_user(COMMISSIONER))
    labels = [label for label, _h, _c in _menu(client.get(reverse("home")).content.decode())]
    assert labels[:5] == ["Dashboard", "Outcomes", "KPIs", "Approvals", "Contracts"]
    client.force_login(make_user(VIEWER))
    assert "Approvals" not in [label for label, _h, _c in _menu(client.get(reverse("home")).content.decode())]


def test_a_link_registered_twice_with_a_different_value_raises():
    spec = registry.navigation["kpis"]
    registry.nav_item(spec)  # the same again (a second ready()) is harmless
    with pytest.raises(ValueError, match="'kpis' is already registered"):
        registry.nav_item(NavItemSpec(key="kpis", label="Indicators", url_name="kpis:index", section="kpis"))
    assert registry.navigation["kpis"] is spec
