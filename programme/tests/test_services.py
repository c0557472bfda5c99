"""Gateways, decided by a second person, blocked by missing products; risks and their score history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.roles import COMMISSIONER
from programme import selectors, services
from programme.models import Decision, ProjectStatus, RiskScore

from .factories import EngagementFactory, ProductFactory, ProjectFactory, RiskFactory, gateway_approver

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def lead(make_user):
    return make_user(COMMISSIONER, "lead")


@pytest.fixture
def approver(make_user):
    return gateway_approver(make_user(COMMISSIONER, "head_of_commissioning"))


def test_proceed_moves_to_the_next_stage_and_is_in_the_history(lead, approver):
    project = ProjectFactory(lead=lead)
    ProductFactory(project=project, kind="needs_analysis")
    record = services.gateway_decide(project=project, decision=Decision.PROCEED, decided_by=approver,
                                     reasons="Need is clear.", decided_on=DAY, next_gateway_due=DAY.replace(month=9))
    project.refresh_from_db()
    assert (record.from_stage, record.to_stage, project.stage) == ("Analyse", "Plan", "Plan")
    assert project.next_gateway_due == datetime.date(2026, 9, 1)
    latest = project.history.first()
    assert latest.history_user == approver
    assert latest.history_change_reason == "Gateway: proceed (01/06/2026)"


def test_missing_products_block_the_gateway_by_name(lead, approver):
    project = ProjectFactory(lead=lead, stage="Plan")
    ProductFactory(project=project, kind="options_appraisal")
    ProductFactory(project=project, kind="eia", status="draft")
    with pytest.raises(ValidationError) as exc:
        services.gateway_decide(project=project, decision=Decision.PROCEED, decided_by=approver, reasons="Go.")
    assert exc.value.messages == [
        "The gateway cannot be passed until these are approved: equality impact assessment, business case."
    ]
    project.refresh_from_db()
    assert project.stage == "Plan"
    assert not project.gateway_decisions.exists()


def test_the_lead_cannot_decide_their_own_gateway(lead):
    gateway_approver(lead)  # even a gateway approver, when the project is theirs
    project = ProjectFactory(lead=lead)
    ProductFactory(project=project, kind="needs_analysis")
    with pytest.raises(ValidationError, match="a second person must"):
        services.gateway_decide(project=project, decision=Decision.PROCEED, decided_by=lead, reasons="Go.")


def test_a_commissioner_who_is_not_a_gateway_approver_cannot_decide_a_gateway(make_user):
    project = ProjectFactory()
    with pytest.raises(ValidationError, match="Only a gateway approver can decide a gateway: an administrator names"):
        services.gateway_decide(project=project, decision=Decision.REPLAN, decided_by=make_user(COMMISSIONER, "c"),
                                reasons="Not ready.")


def test_stop_needs_a_decommissioning_plan_and_proceeding_from_review_completes(lead, approver):
    project = ProjectFactory(lead=lead, stage="Review")
    with pytest.raises(ValidationError, match="decommissioning plan"):
        services.gateway_decide(project=project, decision=Decision.STOP, decided_by=approver, reasons="Stop.")
    services.gateway_decide(project=project, decision=Decision.PROCEED, decided_by=approver, reasons="Reviewed.")
    project.refresh_from_db()
    assert (project.stage, project.status, project.next_gateway_due) == ("Review", ProjectStatus.COMPLETE, None)


def test_replan_keeps_the_stage_and_sets_a_new_date(lead, approver):
    project = ProjectFactory(lead=lead, stage="Plan")
    services.gateway_decide(project=project, decision=Decision.REPLAN, decided_by=approver, reasons="Market weak.",
                            next_gateway_due=DAY)
    project.refresh_from_db()
    assert (project.stage, project.next_gateway_due) == ("Plan", DAY)


def test_risk_score_history_grows_only_when_the_score_changes(lead):
    risk = RiskFactory.build(project=ProjectFactory(), likelihood=4, impact=4, score=None)
    services.risk_save(risk=risk, user=lead, scored_on=DAY)
    risk.target_score = 6
    services.risk_save(risk=risk, user=lead, scored_on=DAY)
    risk.likelihood = 2
    services.risk_save(risk=risk, user=lead, scored_on=DAY.replace(month=7))
    assert list(RiskScore.objects.filter(risk=risk).values_list("score", flat=True)) == [16, 8]
    assert (risk.score, risk.rag) == (8, "amber")


def test_status_rows_count_open_risks_by_rag_and_name_what_is_missing():
    project = ProjectFactory(reference="CP-1", stage="Plan", next_gateway_due=DAY)
    ProductFactory(project=project, kind="business_case")
    RiskFactory(project=project, likelihood=5, impact=4)   # 20 red
    RiskFactory(project=project, likelihood=3, impact=3)   # 9 amber
    RiskFactory(project=project, likelihood=2, impact=2)   # 4 green
    RiskFactory(project=project, likelihood=5, impact=5, status="closed")
    EngagementFactory(project=project)
    rows = selectors.project_status_rows(as_of=DAY + datetime.timedelta(days=1))
    assert rows == [{
        "reference": "CP-1", "stage": "Plan", "next_gateway_due": "2026-06-01", "gateway_overdue": True,
        "risks": {"red": 1, "amber": 1, "green": 1}, "highest_risk_score": 20,
        "missing": ["options appraisal", "equality impact assessment"],
    }]
    assert selectors.project_status_rows(as_of=DAY)[0]["gateway_overdue"] is False


def test_the_sql_matrix_agrees_with_the_rule():
    project = ProjectFactory()
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            RiskFactory(project=project, likelihood=likelihood, impact=impact)
    from programme.models import Risk
    for risk in Risk.objects.all():
        assert Risk.objects.rag(risk.rag).filter(pk=risk.pk).exists(), risk.score
