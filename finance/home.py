"""Finance's part of the home page for people who follow the money rather than enter it: this year's placements
budget against the forecast outturn, from the same forecast as the finance dashboard (money only: no count of
children is shown, so nothing needs suppressing)."""

from core.periods import financial_year_of
from core.registry import HomePanelSpec, registry
from core.roles import VIEWER

from . import rules, selectors

RAG_LABELS = {"green": "Within budget", "amber": "Slightly over budget", "red": "Over budget"}


def budget_position_context(*, user, as_of) -> dict:
    figures = selectors.forecast(year=financial_year_of(as_of), as_of=as_of)
    rag = rules.rag(budget=figures.budget, forecast=figures.forecast, amber_pct=selectors.amber_pct())
    return {"figures": figures, "rag": rag, "rag_label": RAG_LABELS[rag], "difference": abs(figures.variance),
            "overspending": len(figures.overspending), "as_of": as_of}


def register() -> None:
    registry.home_panel(HomePanelSpec(
        key="finance_budget_position", permission="finance.view_budgetline",
        template="finance/_home_budget_position.html", context=budget_position_context,
        roles=frozenset({VIEWER}), order=12,
    ))
