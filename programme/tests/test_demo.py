"""The demo programme: about fifteen projects at every stage, with risks, assessments and engagement."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import F

from core.demo import demo_users_create
from programme import demo, selectors
from programme.models import Engagement, EqualityImpact, GatewayDecision, Option, Project, Risk

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_programme_covers_every_stage_and_is_idempotent():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 12, 0), tick=False):
        users = demo_users_create()
        demo.load(users=users)
        demo.load(users=users)
        rows = selectors.project_status_rows(as_of=datetime.date(2026, 6, 10))
    assert Project.objects.count() == 15
    active = Project.objects.filter(status="active")
    assert sorted(set(active.values_list("stage", flat=True))) == ["Analyse", "Do", "Plan", "Review"]
    assert set(Project.objects.values_list("status", flat=True)) == {"active", "complete", "stopped"}
    assert sum(r["gateway_overdue"] for r in rows) == 4
    assert sum(r["risks"]["red"] for r in rows) == 3  # CP-01, CP-04 and CP-07
    assert Risk.objects.filter(project=None).count() == 2
    # The whole team leads projects, the demo commissioner three of them, and each risk sits with its project's lead.
    leads = {p.reference: p.lead.username for p in Project.objects.select_related("lead")}
    assert len(set(leads.values())) == 5
    assert sorted(ref for ref, lead in leads.items() if lead == users["Commissioner"].username) == [
        "CP-01", "CP-06", "CP-11"]
    assert not Risk.objects.exclude(project=None).exclude(owner=F("project__lead")).exists()
    assert Engagement.objects.exclude(we_did="").count() == 7
    # Every gateway was decided by the head of commissioning, the demo's one gateway approver, not the lead; the
    # demo commissioner does not hold the permission.
    deciders = set(GatewayDecision.objects.values_list("decided_by__first_name", "decided_by__last_name"))
    assert deciders == {("Jo", "Adeyemi")}
    assert User.objects.get(username="j.adeyemi").has_perm("programme.decide_gateway")
    assert not users["Commissioner"].has_perm("programme.decide_gateway")
    by_ref = {r["reference"]: r for r in rows}
    assert by_ref["CP-05"]["missing"] == ["business case"]
    assert by_ref["CP-07"]["missing"] == ["award or in-house decision"]
    # Signed-off assessments are whole; each appraisal has one chosen option of three.
    assert EqualityImpact.objects.filter(product__status="approved").count() % 10 == 0
    assert Option.objects.filter(chosen=True).count() == Option.objects.count() // 3
