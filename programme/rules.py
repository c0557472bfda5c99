"""The commissioning cycle's rules as plain functions on plain values: the stages and their order, what each
gateway requires, and the council's risk matrix. Stages, products and the matrix come from settings."""

from __future__ import annotations

from django.conf import settings

PRODUCT_NAMES = {
    "needs_analysis": "needs analysis",
    "options_appraisal": "options appraisal",
    "eia": "equality impact assessment",
    "business_case": "business case",
    "award_decision": "award or in-house decision",
    "decommissioning_plan": "decommissioning plan",
}
# Stopping a project needs a plan for ending what it would have changed, whatever the stage.
STOP_PRODUCTS = ("decommissioning_plan",)

GREEN, AMBER, RED = "green", "amber", "red"


def stages() -> list[str]:
    return list(settings.PROGRAMME_STAGES)


def stage_index(stage: str) -> int:
    return stages().index(stage)


def next_stage(stage: str) -> str | None:
    """The stage after this one, or None at the last (passing its gateway completes the project)."""
    order = stages()
    position = order.index(stage) + 1
    return order[position] if position < len(order) else None


def required_products(to_stage: str | None, *, stopping: bool = False) -> list[str]:
    """The product kinds a gateway requires: those for entering `to_stage`, or for stopping."""
    if stopping:
        return list(STOP_PRODUCTS)
    if to_stage is None:
        return []
    return list(settings.PROGRAMME_GATEWAY_PRODUCTS.get(to_stage, []))


def missing_products(*, stage: str, approved: set[str], stopping: bool = False) -> list[str]:
    """The names of the products the next gateway requires that are not approved, in the settings' order."""
    wanted = required_products(None if stopping else next_stage(stage), stopping=stopping)
    return [PRODUCT_NAMES[kind] for kind in wanted if kind not in approved]


def risk_rag(score: int) -> str:
    if score <= settings.PROGRAMME_RISK_GREEN_MAX:
        return GREEN
    if score <= settings.PROGRAMME_RISK_AMBER_MAX:
        return AMBER
    return RED
