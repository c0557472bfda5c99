"""The cycle's pure rules: stage order, what each gateway requires, the risk matrix."""

import pytest

from programme import rules


@pytest.mark.parametrize(("score", "rag"), [(1, "green"), (4, "green"), (5, "amber"), (12, "amber"),
                                            (15, "red"), (25, "red")])
def test_default_risk_matrix(score, rag):
    assert rules.risk_rag(score) == rag


def test_matrix_follows_the_settings(settings):
    settings.PROGRAMME_RISK_GREEN_MAX, settings.PROGRAMME_RISK_AMBER_MAX = 6, 14
    assert [rules.risk_rag(s) for s in (6, 8, 15)] == ["green", "amber", "red"]


def test_stages_and_gateways_by_default():
    assert rules.stages() == ["Analyse", "Plan", "Do", "Review"]
    assert rules.next_stage("Do") == "Review"
    assert rules.next_stage("Review") is None
    assert rules.missing_products(stage="Plan", approved={"eia"}) == ["options appraisal", "business case"]
    assert rules.missing_products(stage="Analyse", approved=set()) == ["needs analysis"]
    assert rules.missing_products(stage="Do", approved={"award_decision"}) == []
    assert rules.missing_products(stage="Do", approved=set(), stopping=True) == ["decommissioning plan"]


def test_stages_from_settings(settings):
    settings.PROGRAMME_STAGES = ["Understand", "Plan", "Do", "Review"]
    settings.PROGRAMME_GATEWAY_PRODUCTS = {"Plan": ["needs_analysis", "eia"]}
    assert rules.next_stage("Understand") == "Plan"
    assert rules.missing_products(stage="Understand", approved={"needs_analysis"}) == ["equality impact assessment"]
