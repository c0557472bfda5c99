"""One registry: every way to extend the project is a store in it, and a key registered twice differently raises."""

import pytest

from core.registry import (
    AppAccess,
    MeasureSpec,
    NavItemSpec,
    ProviderUrnLookupSpec,
    Registry,
    registry,
)
from core.roles import sees_small_numbers

STORES = {
    "navigation", "dashboard_items", "home_panels", "report_sections", "report_drafts", "data_notes", "app_access",
    "measures", "provider_urn_lookups", "panels", "history_redactions", "named_people", "demo_loaders",
}


def test_the_registry_holds_every_store():
    assert set(registry.stores()) == STORES
    assert set(Registry().stores()) == STORES


@pytest.mark.parametrize(
    "register, first, second",
    [
        ("measure", MeasureSpec("x.count", "Count", "count", abs), MeasureSpec("x.count", "Total", "count", abs)),
        ("provider_urn_lookup", ProviderUrnLookupSpec("x", dict), ProviderUrnLookupSpec("x", dict, order=5)),
        ("nav_item", NavItemSpec("x", "X", "home", "x"), NavItemSpec("x", "X", "home", "x", ("x.view_y",))),
        ("access", AppAccess("x"), AppAccess("x", kind="child_level")),
    ],
)
def test_a_key_registered_twice_with_a_different_value_raises(register, first, second):
    fresh = Registry()
    getattr(fresh, register)(first)
    getattr(fresh, register)(first)  # the same again is harmless
    with pytest.raises(ValueError, match="already registered"):
        getattr(fresh, register)(second)


def test_the_apps_fill_the_stores_the_shared_code_reads():
    assert [spec.key for spec in registry.ordered(registry.navigation)] == [
        "home", "outcomes", "kpis", "contracts", "market", "placements", "finance", "sufficiency", "actions",
        "programme", "reports"]
    assert "placements.stability_3plus" in registry.measures and "finance.forecast_variance" in registry.measures
    assert list(registry.provider_urn_lookups) == ["market_ofsted_settings"]
    # What child-level access means is the placements app's to say, not core's.
    assert registry.child_level_permissions() == ["placements.view_placement"]


def test_small_numbers_show_to_those_with_the_registered_child_level_permission(users, monkeypatch):
    from core.roles import ADMINISTRATOR, COMMISSIONER, COMMITTEE_OFFICER, PLACEMENTS_OFFICER, VIEWER

    seen = {role: sees_small_numbers(user) for role, user in users.items()}
    assert seen == {ADMINISTRATOR: True, COMMISSIONER: True, PLACEMENTS_OFFICER: True, COMMITTEE_OFFICER: False,
                    VIEWER: False}
    # With no app saying what child-level access is, nobody sees small numbers (the safe way round).
    monkeypatch.setitem(registry.app_access, "placements", AppAccess("placements", kind="child_level"))
    assert not any(sees_small_numbers(type(user).objects.get(pk=user.pk)) for user in users.values())
