"""The home page's counts: "what needs me today", for the signed-in person and for the whole team.

Each app registers its items (core.registry); an item shows only to people with its permission,
and each count links to the list it came from, filtered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from .registry import registry


@dataclass
class DashboardItem:
    key: str
    label: str
    hint: str
    team: int
    team_url: str
    mine: int | None = None
    mine_url: str = ""

    @property
    def needs_attention(self) -> bool:
        return bool(self.team)


def _url(name: str, query: dict) -> str:
    base = reverse(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def dashboard_items(*, user, as_of: date) -> list[DashboardItem]:
    """The registered items this person may see: one query per count, whatever the data size."""
    items = []
    for spec in registry.ordered(registry.dashboard_items):
        if not user.has_perm(spec.permission):
            continue
        item = DashboardItem(
            key=spec.key,
            label=spec.label,
            hint=spec.hint,
            team=spec.count(user=None, as_of=as_of),
            team_url=_url(spec.url_name, spec.team_query),
        )
        if spec.mine_query is not None:
            item.mine = spec.count(user=user, as_of=as_of)
            item.mine_url = _url(spec.url_name, spec.mine_query(user))
        items.append(item)
    return items


def home_panels(*, user, as_of: date) -> list[dict]:
    """The registered short lists (your actions, your reports) this person may see."""
    return [
        {"key": spec.key, "template": spec.template, **spec.context(user=user, as_of=as_of)}
        for spec in registry.ordered(registry.home_panels)
        if user.has_perm(spec.permission)
    ]
