"""The "Commissioning programme update" report section prints the programme page's figures."""

import datetime

import pytest
from django.template.loader import render_to_string

from programme import reports
from programme.models import GatewayDecision

from .factories import EngagementFactory, ProjectFactory, RiskFactory

pytestmark = pytest.mark.django_db
START, END, AS_OF = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), datetime.date(2026, 7, 10)


def _section() -> str:
    context = reports.section_context(period_start=START, period_end=END, as_of=AS_OF)
    html = render_to_string("programme/pdf/section.html",
                            {**context, "section": {"number": 7}, "as_of": AS_OF})
    return " ".join(html.split())


def test_section_counts_stages_completions_gateways_risks_savings_and_engagement(make_user):
    approver = make_user("Commissioner", "head")
    done = ProjectFactory(reference="CP-1", title="Short breaks", stage="Review", status="complete",
                          next_gateway_due=None, savings_target=100000, savings_delivered=80000)
    GatewayDecision.objects.create(project=done, from_stage="Review", to_stage="", decision="proceed",
                                   decided_on=datetime.date(2026, 5, 5), decided_by=approver, reasons="Delivered.")
    late = ProjectFactory(reference="CP-2", stage="Plan", next_gateway_due=datetime.date(2026, 7, 1),
                          savings_target=50000)
    ProjectFactory(reference="CP-3", stage="Plan", next_gateway_due=datetime.date(2026, 9, 1))
    ProjectFactory(reference="CP-4", stage="Analyse", next_gateway_due=datetime.date(2027, 1, 1))
    RiskFactory(project=late, description="Framework providers withdraw", likelihood=4, impact=4)
    RiskFactory(project=late, description="Closed red risk", likelihood=5, impact=5, status="closed")
    EngagementFactory(project=late, held_on=datetime.date(2026, 5, 1))
    EngagementFactory(project=late, held_on=datetime.date(2026, 3, 1))  # before the period
    html = _section()
    assert ("The commissioning programme has 3 active projects: 1 at Analyse, 2 at Plan, 0 at Do, 0 at Review. "
            "During the period 1 gateway was passed, 1 project completed the cycle.") in html
    assert "Savings delivered so far are £80,000 against a target of £150,000." in html
    assert "1 gateway is overdue at 10 July 2026. 1 is due in the next quarter." in html
    assert "1 open risk is red (a score above 12)." in html
    assert "Framework providers withdraw" in html and "Closed red risk" not in html
    assert "engaged 1 time during the period; 1 led to a recorded change" in html


def test_an_empty_programme_prints_no_empty_table():
    html = _section()
    assert "No gateway is overdue" in html and "No open risk is red." in html
    assert "<table" not in html
