"""The home dashboard: "what needs me today", for the signed-in user and for the whole team.

Each item is a count that links to the list it came from, filtered. The other apps' selectors
are imported lazily and only used when the user may see that app's data, so the dashboard keeps
working while an app is missing or unfinished (the item says so instead).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .selectors import actions_overdue

logger = logging.getLogger(__name__)


@dataclass
class DashboardItem:
    key: str
    label: str
    hint: str
    mine: int | None = None
    team: int | None = None
    mine_url: str = ""
    team_url: str = ""
    available: bool = True
    unavailable_reason: str = ""

    @property
    def needs_attention(self) -> bool:
        return bool(self.team)


def _selector(path: str) -> Callable | None:
    module_name, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None


def _url(name: str, **query) -> str:
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def _item(user, *, key, label, hint, perm, selector, url_name, count_mine, count_team, query_team, query_mine):
    item = DashboardItem(key=key, label=label, hint=hint)
    if not user.has_perm(perm):
        return None
    fn = _selector(selector)
    if fn is None:
        item.available = False
        item.unavailable_reason = "Not available yet."
        return item
    try:
        item.team = count_team(fn)
        item.mine = count_mine(fn) if count_mine else None
    except Exception:  # an unfinished app must not take the dashboard down
        logger.exception("Dashboard item %s failed", key)
        item.available = False
        item.unavailable_reason = "Could not be counted just now."
        return item
    item.team_url = _url(url_name, **query_team)
    item.mine_url = _url(url_name, **query_mine) if count_mine else ""
    return item


def dashboard_items(*, user, as_of: date) -> list[DashboardItem]:
    """Counts for the dashboard: two queries per item (mine and the team's), whatever the data size."""
    me = user.pk
    candidates = [
        _item(
            user,
            key="red_kpis",
            label="KPIs rated red",
            hint="Latest value misses the target beyond tolerance.",
            perm="kpis.view_indicator",
            selector="kpis.selectors.red_indicators",
            url_name="kpis:index",
            count_team=lambda fn: fn().count(),
            count_mine=lambda fn: fn(owner=user).count(),
            query_team={"status": "red"},
            query_mine={"status": "red", "owner": me},
        ),
        _item(
            user,
            key="decisions_due",
            label="Contracts with a decision due",
            hint="Ending soon with no decision recorded: extend, re-tender or end.",
            perm="contracts.view_contract",
            selector="contracts.selectors.contracts_decision_due",
            url_name="contracts:index",
            count_team=lambda fn: fn(as_of=as_of).count(),
            count_mine=lambda fn: fn(as_of=as_of, manager=user).count(),
            query_team={"alert": "decision_due"},
            query_mine={"alert": "decision_due", "manager": me},
        ),
        _item(
            user,
            key="reviews_overdue",
            label="Contract reviews overdue",
            hint="The next review, set by the contract's risk rating, has passed.",
            perm="contracts.view_contract",
            selector="contracts.selectors.contracts_review_overdue",
            url_name="contracts:index",
            count_team=lambda fn: fn(as_of=as_of).count(),
            count_mine=lambda fn: fn(as_of=as_of, manager=user).count(),
            query_team={"alert": "review_overdue"},
            query_mine={"alert": "review_overdue", "manager": me},
        ),
        _item(
            user,
            key="ipas_unsigned",
            label="Placements without a signed IPA",
            hint="External placements whose Individual Placement Agreement is not signed.",
            perm="placements.view_placementagreement",
            selector="placements.selectors.placements_without_signed_ipa",
            url_name="placements:ipa_queue",
            count_team=lambda fn: fn(as_of=as_of).count(),
            count_mine=None,
            query_team={},
            query_mine={},
        ),
        _item(
            user,
            key="actions_overdue",
            label="Actions overdue",
            hint="Past their due date and not complete.",
            perm="commissioning.view_action",
            selector="commissioning.selectors.actions_overdue",
            url_name="actions",
            count_team=lambda fn: fn(as_of=as_of).count(),
            count_mine=lambda fn: fn(as_of=as_of, owner=user).count(),
            query_team={"overdue": "true"},
            query_mine={"overdue": "true", "owner": me},
        ),
    ]
    return [c for c in candidates if c is not None]


__all__ = ["DashboardItem", "actions_overdue", "dashboard_items"]
