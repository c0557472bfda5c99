"""Provider risk: the pure score, then the pages that show it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.tests.factories import ContractFactory, ProviderFactory
from market import risk, services

T = Decimal("10")


@pytest.mark.parametrize("judgement, check, overdue, share, total, quality, impact, level", [
    ("outstanding", "good", 0, None, 0, "low", "low", "low"),
    ("good", "good", 0, Decimal("4.9"), 0, "low", "low", "low"),
    ("good", "", 0, Decimal("5.0"), 2, "low", "medium", "low"),  # no check yet (1) + half the threshold (1)
    ("", "adequate", 0, None, 2, "medium", "low", "low"),
    ("requires_improvement", "adequate", 1, None, 4, "medium", "low", "medium"),
    ("good", "concerns", 0, Decimal("12.0"), 5, "medium", "high", "medium"),
    ("inadequate", "good", 0, Decimal("6.0"), 5, "high", "medium", "high"),  # high quality risk, some impact
    ("inadequate", "good", 1, None, 5, "high", "low", "medium"),
    ("inadequate", "poor", 5, Decimal("30.0"), 14, "high", "high", "high"),  # overdue actions count up to 3
])
def test_provider_risk_score(judgement, check, overdue, share, total, quality, impact, level):
    score = risk.provider_risk(judgement=judgement, check_rating=check, overdue_actions=overdue, share_pct=share,
                               threshold_pct=T)
    assert (score.total, score.quality, score.impact, score.level) == (total, quality, impact, level)
    assert [p.name for p in score.parts] == ["Latest Ofsted judgement", "Latest quality check", "Actions overdue",
                                             "Owning group's share of placements"]
    assert sum(p.points for p in score.parts) == score.total


@pytest.fixture
def risky(commissioner):
    today = timezone.localdate()
    provider = ProviderFactory(name="Fernhill Homes", ofsted_rating="inadequate")
    contract = ContractFactory(provider=provider, start_date=today - timedelta(days=100),
                               end_date=today + timedelta(days=300))
    services.quality_check_record(
        provider=provider, contract=contract, user=commissioner, checked_on=today - timedelta(days=20),
        kind="unannounced", rating="poor", findings="Night staffing below the agreed ratio.",
        actions=[{"action": "Send the staffing rota", "owner": commissioner, "due_on": today - timedelta(days=5)},
                 {"action": "Revisit", "owner": commissioner, "due_on": today + timedelta(days=20)}])
    calm = ProviderFactory(name="Calm Waters Care", ofsted_rating="outstanding")
    ContractFactory(provider=calm, start_date=today - timedelta(days=100), end_date=today + timedelta(days=300))
    return provider


@pytest.mark.django_db
def test_the_provider_page_shows_the_score_and_its_parts(risky, commissioner_client):
    body = commissioner_client.get(f"/market/providers/{risky.pk}/").content.decode()
    assert "Risk score: 9 (high)" in body  # inadequate 4 + serious concerns 4 + one action overdue 1
    assert "Serious concerns" in body and "Night staffing below the agreed ratio." in body
    assert "Overdue" in body


@pytest.mark.django_db
def test_the_risk_matrix_places_each_provider(risky, commissioner_client):
    body = commissioner_client.get("/market/risk/").content.decode()
    matrix = body[body.index('id="risk-matrix"'):body.index('id="risk-scores"')]
    high_row = matrix[matrix.index("High quality risk"):matrix.index("Medium quality risk")]
    low_row = matrix[matrix.index("Low quality risk"):]
    assert "Fernhill Homes" in high_row and "Calm Waters Care" in low_row
    scores = body[body.index('id="risk-scores"'):]
    assert scores.index("Fernhill Homes") < scores.index("Calm Waters Care")


@pytest.mark.django_db
def test_the_risk_matrix_runs_the_same_queries_at_any_size(risky, commissioner_client, commissioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        commissioner_client.get("/market/risk/")
    today = timezone.localdate()
    for n in range(6):
        provider = ProviderFactory(name=f"More Homes {n}")
        ContractFactory(provider=provider, start_date=today - timedelta(days=10), end_date=today + timedelta(days=10))
        services.quality_check_record(provider=provider, user=commissioner, checked_on=today, kind="visit",
                                      rating="good")
    with CaptureQueriesContext(connection) as large:
        commissioner_client.get("/market/risk/")
    assert len(large) == len(small)


@pytest.mark.django_db
def test_recording_a_check_with_an_action_and_completing_it(risky, commissioner_client, commissioner):
    today = timezone.localdate()
    response = commissioner_client.post(f"/market/providers/{risky.pk}/checks/new/", {
        "checked_on": today.strftime("%d/%m/%Y"), "kind": "self_assessment", "rating": "adequate",
        "findings": "Self-assessment received.", "action": "Share the training plan", "owner": commissioner.pk,
        "due_on": (today + timedelta(days=14)).strftime("%d/%m/%Y"),
    })
    assert response.status_code == 302
    check = risky.quality_checks.get(kind="self_assessment")
    action = check.actions.get()
    assert action.action == "Share the training plan"
    commissioner_client.post(f"/market/actions/{action.pk}/complete/")
    action.refresh_from_db()
    assert action.completed_on == today


@pytest.mark.django_db
def test_a_check_form_with_problems_shows_the_error_summary(risky, commissioner_client):
    response = commissioner_client.post(f"/market/providers/{risky.pk}/checks/new/", {
        "checked_on": "31/02/2025", "kind": "visit", "rating": "", "action": "Do something",
    })
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The date of the check must be a real date" in body
    assert "Select the rating" in body
    assert "Select who owns the action" in body
