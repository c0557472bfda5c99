"""The "Commissioning programme update" section of committee reports: projects by stage, completed in the period,
gateways coming, red risks, savings delivered against target, and engagement. The figures come from the same
selectors as the programme page. Projects and risks are counted as they stand when the report is built; gateway
decisions and engagement by their own dates."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from .models import Decision, GatewayDecision, ProjectStatus
from .selectors import engagement_totals, programme_overview, project_list, red_risks, savings_totals

COMING_DAYS = 92  # the next quarter


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    overview = programme_overview(projects=project_list(as_of=as_of), as_of=as_of)
    decided = list(GatewayDecision.objects.filter(decided_on__range=(period_start, period_end))
                   .select_related("project").order_by("decided_on", "pk"))
    horizon = as_of + timedelta(days=COMING_DAYS)
    active = [p for p in overview["projects"] if p.status == ProjectStatus.ACTIVE]
    engagement = engagement_totals(since=period_start, until=period_end)
    return {
        "by_stage": overview["by_stage"],
        "active": len(active),
        "completed": [d for d in decided if d.decision == Decision.PROCEED and not d.to_stage],
        "stopped": [d for d in decided if d.decision == Decision.STOP],
        "gateways_passed": sum(1 for d in decided if d.decision == Decision.PROCEED),
        "overdue": overview["overdue"],
        "coming": [p for p in active if p.next_gateway_due and as_of <= p.next_gateway_due <= horizon],
        "red_risks": list(red_risks()),
        "savings": savings_totals(overview["projects"]),
        "engagement": engagement,
        "engagement_total": sum(e["count"] for e in engagement),
        "engagement_changed": sum(e["changed"] for e in engagement),
        "amber_max": settings.PROGRAMME_RISK_AMBER_MAX,
        "uses_suppression": False,  # counts of projects, risks and meetings, never of children
    }
