"""The home page: "what needs me today", for the signed-in person and for the whole team.

Each app registers its items and panels (core.registry) with the roles whose working day they belong
to; an item shows only to people in one of those roles who hold its permission, and each count links
to the list it came from, filtered. Only someone who can act on an item is told "Action needed".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from .registry import registry
from .roles import user_roles


@dataclass
class DashboardItem:
    key: str
    label: str
    hint: str
    team: int
    team_url: str
    mine: int | None = None
    mine_url: str = ""
    can_act: bool = False

    @property
    def needs_attention(self) -> bool:
        return self.can_act and bool(self.team)


def _url(name: str, query: dict) -> str:
    base = reverse(name)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def _for(spec, user, roles: frozenset[str]) -> bool:
    return (not spec.roles or bool(spec.roles & roles)) and user.has_perm(spec.permission)


def dashboard_items(*, user, as_of: date, roles: frozenset[str] | None = None) -> list[DashboardItem]:
    """The registered items for this person's roles: one query per count, whatever the data size."""
    roles = user_roles(user) if roles is None else roles
    items = []
    for spec in registry.ordered(registry.dashboard_items):
        if not _for(spec, user, roles):
            continue
        can_act = bool(spec.act_permission) and user.has_perm(spec.act_permission)
        item = DashboardItem(
            key=spec.key,
            label=spec.label,
            hint=spec.hint,
            team=spec.count(user=None, as_of=as_of),
            team_url=_url(spec.url_name, spec.team_query),
            can_act=can_act,
        )
        if spec.mine_query is not None and can_act:
            item.mine = spec.count(user=user, as_of=as_of)
            item.mine_url = _url(spec.url_name, spec.mine_query(user))
        items.append(item)
    return items


def home_panels(*, user, as_of: date, roles: frozenset[str] | None = None) -> list[dict]:
    """The registered short lists (your actions, your reports) for this person's roles."""
    roles = user_roles(user) if roles is None else roles
    return [
        {"key": spec.key, "template": spec.template, **spec.context(user=user, as_of=as_of)}
        for spec in registry.ordered(registry.home_panels)
        if _for(spec, user, roles)
    ]
