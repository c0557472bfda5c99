"""Demo commissioning programme (called by `manage.py seed_demo`): about fifteen projects at every stage of the
cycle, with products, gateway decisions, risks, assessments and engagement a council would recognise, in our own
words for a fictional council. Dates are relative to today, so there are always gateways overdue and due soon.
Idempotent: does nothing if the projects exist."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.utils import timezone

from contracts.models import Contract
from core.demo import demo_colleague_create, demo_team_create
from finance.models import BudgetLine
from kpis.models import Indicator
from outcomes.models import Outcome
from plans.models import Action, Priority

from . import rules
from .models import (
    Characteristic,
    Engagement,
    EqualityImpact,
    GatewayDecision,
    Option,
    Product,
    Project,
    Risk,
    RiskScore,
)

DEMO = "Demo data"

# The demo's gateway approver, in the style of core.demo.DEMO_TEAM (no password: does not sign in to the demo).
HEAD_OF_COMMISSIONING = ("j.adeyemi", "Jo", "Adeyemi")

# reference, title, service area, stage (or complete / stopped), next gateway in days (None: no date),
# savings target, delivered, approved products, draft products
PROJECTS = [
    ("CP-01", "Sufficiency of local foster homes", "fostering", "Analyse", 21, 250000, 0, [], ["needs_analysis"]),
    ("CP-02", "Emotional wellbeing support for children in care", "health", "Analyse", -12, 0, 0, [], []),
    ("CP-03", "Independent visitors and advocacy", "advocacy", "Analyse", 75, 15000, 0, ["needs_analysis"], []),
    ("CP-04", "Supported accommodation for 16 and 17 year olds", "leaving_care", "Plan", 40, 180000, 0,
     ["needs_analysis", "options_appraisal"], ["eia", "business_case"]),
    ("CP-05", "Short breaks for disabled children", "short_breaks", "Plan", -5, 60000, 0,
     ["needs_analysis", "options_appraisal", "eia"], ["business_case"]),
    ("CP-06", "Edge of care family support", "early_help", "Plan", 120, 90000, 0, ["needs_analysis"], []),
    ("CP-07", "Residential framework call-off with neighbouring councils", "residential", "Do", 28, 400000, 120000,
     ["needs_analysis", "options_appraisal", "eia", "business_case"], ["award_decision"]),
    ("CP-08", "SEND transport: independent travel training", "send_transport", "Do", -20, 120000, 30000,
     ["needs_analysis", "options_appraisal", "eia", "business_case"], []),
    ("CP-09", "In-house children's home: second site", "residential", "Do", 150, 300000, 0,
     ["needs_analysis", "options_appraisal", "eia", "business_case"], []),
    ("CP-10", "Independent fostering agency framework", "fostering", "Review", 60, 200000, 210000,
     ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"], []),
    ("CP-11", "Youth services grant programme", "youth", "Review", 10, 50000, 30000,
     ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"], []),
    ("CP-12", "Family support hubs", "family_support", "Review", -30, 80000, 85000,
     ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"], []),
    ("CP-13", "Special school places: independent sector review", "send", "complete", None, 150000, 160000,
     ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"], []),
    ("CP-14", "Parenting programmes", "early_help", "complete", None, 20000, 14000,
     ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"], []),
    ("CP-15", "Spot-purchased supported lodgings", "supported_accom", "stopped", None, 40000, 0,
     ["needs_analysis", "decommissioning_plan"], []),
]

# project, risk, likelihood, impact, target, review in days, status
RISKS = [
    ("CP-01", "Too few local households come forward to foster teenagers", 4, 4, 8, -10, "open"),
    ("CP-02", "Health partners cannot commit joint funding this year", 3, 4, 6, 14, "open"),
    ("CP-04", "Providers cannot meet Ofsted registration for supported accommodation in time", 4, 5, 10, -3, "open"),
    ("CP-04", "Young people are placed out of area while the new contract starts", 3, 3, 4, 30, "open"),
    ("CP-05", "Families lose a service during the change of provider", 2, 4, 4, 45, "open"),
    ("CP-07", "Prices on the framework rise faster than the budget", 4, 4, 9, -20, "open"),
    ("CP-07", "A lead provider leaves the framework", 2, 4, 4, 60, "open"),
    ("CP-08", "Parents do not take up travel training", 3, 3, 4, 20, "open"),
    ("CP-09", "Planning permission for the second site is refused", 2, 5, 5, 90, "open"),
    ("CP-10", "Agencies do not bid for the parent and child lot", 2, 3, 3, 40, "closed"),
    ("CP-12", "Hub footfall falls in the north of the borough", 3, 2, 2, -45, "open"),
    (None, "The commissioning team cannot recruit a market analyst", 3, 4, 6, 7, "open"),
    (None, "A legal challenge to an award delays several projects", 2, 5, 5, 60, "open"),
]

# project, who, how, days ago, what they said, what changed
ENGAGEMENT = [
    ("CP-01", "children", "Children in Care Council session", 40,
     "We want to stay near our school and our friends.", "Recruitment is targeted at the districts with most need."),
    ("CP-01", "parents", "Foster carers' forum", 25, "Support at weekends is hard to get.",
     "The needs analysis now covers out-of-hours support."),
    ("CP-04", "children", "Care leavers' group", 60, "Staff should knock and treat it as our home.",
     "The specification includes house rules written with young people."),
    ("CP-04", "providers", "Market engagement event", 35, "Lots are too large for small local providers.",
     "The options appraisal tests smaller lots by district."),
    ("CP-05", "parents", "Online survey of families using short breaks", 50,
     "Sessions in school holidays fill up too quickly.", "Holiday capacity is a weighted question in the tender."),
    ("CP-07", "partners", "Regional commissioning group", 90, "Share quality information on providers.",
     "The call-off includes a shared quality dashboard."),
    ("CP-10", "children", "Young inspectors' visits", 120, "Carers should have more training in mental health.",
     ""),
    ("CP-12", "parents", "Hub drop-in sessions", 70, "Opening hours do not suit working parents.",
     "Two hubs now open on Thursday evenings."),
]


def _history(instance, user):
    instance._history_user = user
    instance._change_reason = DEMO
    instance.save()
    return instance


def head_of_commissioning_create():
    """The head of commissioning: a commissioner whom the administrator has named gateway approver (no role holds
    that permission). Idempotent."""
    user = demo_colleague_create(*HEAD_OF_COMMISSIONING)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="programme", codename="decide_gateway"))
    return user


def load(*, users):
    approver = head_of_commissioning_create()
    if Project.objects.filter(reference="CP-01").exists():
        return
    today = timezone.localdate()
    # The team shares the programme, the signed-in demo commissioner leading every few projects: a lead's own
    # list and the programme page's leads are then what a real team's would be.
    team = demo_team_create(users)
    stages = rules.stages()
    priorities = list(Priority.objects.order_by("strategy__starts_on", "number")[:3])
    outcomes = list(Outcome.objects.order_by("pk")[:6])
    indicators = list(Indicator.objects.order_by("code")[:6])
    contracts = {c.service_area_id: c for c in Contract.objects.order_by("-start_date")}
    budget_lines = list(BudgetLine.objects.order_by("-financial_year", "code")[:4])
    projects = {}
    for n, (ref, title, area, stage, due, target, delivered, approved, drafts) in enumerate(PROJECTS):
        lead = team[n % len(team)]
        status = stage if stage in ("complete", "stopped") else "active"
        project = _history(Project(
            reference=ref, title=title, service_area_id=area, lead=lead, sponsor="Director of Children's Services",
            stage=stage if status == "active" else ("Review" if status == "complete" else "Plan"), status=status,
            next_gateway_due=today + timedelta(days=due) if due is not None else None,
            savings_target=Decimal(target), savings_delivered=Decimal(delivered),
            budget_line=budget_lines[n % len(budget_lines)] if budget_lines else None,
            summary=f"{title}: from the needs analysis to a decision the committee can scrutinise.",
        ), lead)
        if priorities:
            project.priorities.set([priorities[n % len(priorities)]])
        if outcomes:
            project.outcomes.set(outcomes[n % len(outcomes): n % len(outcomes) + 2])
        if indicators:
            project.indicators.set(indicators[n % len(indicators): n % len(indicators) + 2])
        if area in contracts:
            project.contracts.set([contracts[area]])
        for kind in approved + drafts:
            product = _history(Product(
                project=project, kind=kind, status="approved" if kind in approved else "draft",
                approved_by=approver if kind in approved else None,
                approved_on=today - timedelta(days=30 + 10 * len(kind) % 60) if kind in approved else None,
                summary="Approved at the team's gateway meeting." if kind in approved else ""), lead)
            if kind == "eia":
                _eia(product, lead, whole=kind in approved)
            if kind == "options_appraisal":
                _options(product, lead, title=title)
        _gateways(project, stages=stages, approver=approver, today=today)
        projects[ref] = project

    actions = list(Action.objects.exclude(status__in=Action.CLOSED).order_by("pk")[:6])
    for n, (ref, text, likelihood, impact, target, review, status) in enumerate(RISKS):
        lead = projects[ref].lead if ref in projects else team[0]  # a programme risk sits with the commissioner
        risk = _history(Risk(project=projects.get(ref), description=text, owner=lead, likelihood=likelihood,
                             impact=impact, score=likelihood * impact, target_score=target, status=status,
                             review_on=today + timedelta(days=review)), lead)
        if actions and n % 2 == 0:
            risk.actions.set([actions[n % len(actions)]])
        # An earlier, higher scoring, so the score history shows the mitigation working.
        RiskScore.objects.create(risk=risk, scored_on=today - timedelta(days=120), likelihood=min(5, likelihood + 1),
                                 impact=impact, score=min(5, likelihood + 1) * impact, scored_by=lead)
        RiskScore.objects.create(risk=risk, scored_on=today - timedelta(days=30), likelihood=likelihood,
                                 impact=impact, score=likelihood * impact, scored_by=lead)
    for ref, group, method, days_ago, said, did in ENGAGEMENT:
        _history(Engagement(project=projects[ref], group=group, method=method,
                            held_on=today - timedelta(days=days_ago), you_said=said, we_did=did), projects[ref].lead)


def _gateways(project, *, stages, approver, today):
    """The gateway decisions that brought the project to where it is, one every few months."""
    reached = stages.index(project.stage)
    steps = [(stages[i], stages[i + 1]) for i in range(reached)]
    if project.status == "complete":
        steps.append((stages[-1], ""))
    when = today - timedelta(days=90 * (len(steps) + (1 if project.status == "stopped" else 0)))
    for from_stage, to_stage in steps:
        _history(GatewayDecision(project=project, from_stage=from_stage, to_stage=to_stage, decision="proceed",
                                 decided_on=when, decided_by=approver,
                                 reasons="The products were approved and the sponsor agreed the next stage."), approver)
        when += timedelta(days=90)
    if project.status == "stopped":
        _history(GatewayDecision(project=project, from_stage=project.stage, to_stage="", decision="stop",
                                 decided_on=when, decided_by=approver,
                                 reasons="The framework now covers this need at a lower cost; spot purchasing ends "
                                         "under the decommissioning plan."), approver)


# characteristic: (impact, evidence, mitigation) where the demo says more than "neutral"
EIA_NOTES = {
    "age": ("positive", "Most children affected are 11 to 17; the service extends to 18 for care leavers.", ""),
    "disability": ("negative", "Fewer providers can meet complex physical needs.",
                   "Lots reserve places for disabled children and the specification names adaptations."),
    "race": ("neutral", "Ethnicity of children served matches the looked-after population.", ""),
    "care_experience": ("positive", "Care leavers asked for this change (engagement log).", ""),
}


NO_DIFFERENCE = ("neutral", "No differential impact found in the data.", "")


def _eia(product, user, *, whole: bool):
    """A full assessment when signed off; a draft has the first few characteristics assessed."""
    chosen = Characteristic.values if whole else Characteristic.values[:4]
    for value in chosen:
        impact, evidence, mitigation = EIA_NOTES.get(value, NO_DIFFERENCE)
        _history(EqualityImpact(product=product, characteristic=value, impact=impact, evidence=evidence,
                                mitigation=mitigation), user)


def _options(product, user, *, title: str):
    for name, cost, score, chosen in (("Do nothing: keep spot purchasing", 1200000, 35, False),
                                      ("Block contract with a local provider", 950000, 72, True),
                                      ("In-house service", 1050000, 64, False)):
        _history(Option(product=product, name=name, cost=Decimal(cost), score=score, chosen=chosen,
                        benefits="Children live closer to home." if chosen else "Familiar to the market.",
                        risks="Fewer bidders for a single lot." if chosen else "Prices keep rising.",
                        why_chosen=f"Best score and lowest cost for {title.lower()}." if chosen else ""), user)
