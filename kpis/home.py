"""The KPIs' part of the home page for people who follow performance rather than enter it: how many KPIs are red,
amber and green in each theme, each count linking to the KPI list filtered to it."""

from core.registry import HomePanelSpec, registry
from core.roles import VIEWER

from . import selectors


def rag_by_theme_context(*, user, as_of) -> dict:
    themes = selectors.status_counts_by_theme()
    totals = [(s.value, s.label, sum(t["counts"][i][2] for t in themes)) for i, s in enumerate(selectors.STATUS_ORDER)]
    return {"themes": themes, "totals": totals, "kpis": sum(t["total"] for t in themes)}


def register() -> None:
    registry.home_panel(HomePanelSpec(
        key="kpis_rag_by_theme", permission="kpis.view_indicator", template="kpis/_home_rag_by_theme.html",
        context=rag_by_theme_context, roles=frozenset({VIEWER}), order=10,
    ))
