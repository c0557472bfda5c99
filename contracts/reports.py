"""The contracts section of the committee report (rendered by reports.sections)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.template.defaultfilters import pluralize

from core.charts import bar_chart_svg
from core.formatting import format_money
from core.periods import add_months
from core.registry import ReportDraft

from . import dates
from .models import Contract, ContractStatus, ContractType, Decision, ServiceArea, ShownStatus, with_status


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    """The register at the end of `as_of` as known when the report is built (core.periods, "Figures as at a
    day"): contracts and providers as they are now, each date and decision counted by its own date."""
    contracts = with_status(Contract.objects.all(), as_of)
    live = contracts.filter(effective_status=ContractStatus.LIVE)
    summary = live.aggregate(count=Count("pk"), annual=Sum("annual_value"), whole_life=Sum("total_value"),
                             saved=Sum("savings"))
    by_type = [
        {"label": label, "count": row["n"], "annual": row["annual"]}
        for value, label in ContractType.choices
        for row in [live.filter(contract_type=value).aggregate(n=Count("pk"), annual=Sum("annual_value"))]
        if row["n"]
    ]
    spend = {
        r["service_area"]: r for r in live.values("service_area").annotate(
            n=Count("pk"), annual=Sum("annual_value"), saved=Sum("savings")).order_by()
    }
    areas = [
        {"label": label, "count": spend[value]["n"], "annual": spend[value]["annual"],
         "savings": spend[value]["saved"]}
        for value, label in ServiceArea.objects.values_list("code", "label") if value in spend
    ]
    areas.sort(key=lambda a: -a["annual"])
    ending_by = add_months(as_of, 12)
    ending = list(
        live.filter(current_end__gte=as_of, current_end__lte=ending_by)
        .select_related("provider").order_by("current_end", "reference")
    )
    for c in ending:
        c.days_to_end = dates.days_to(c.current_end, as_of)
        c.extension_available = dates.extension_available(
            c.extension_months, c.extensions_used, remaining=dates.remaining_extensions(
                decision_due_on=c.decision_due_on, decision_recorded=c.decision_recorded, as_of=as_of))
        c.decision_overdue = dates.decision_overdue(
            status=c.effective_status, decision_recorded=c.decision_recorded, decision_due_on=c.decision_due_on,
            current_end_date=c.current_end, as_of=as_of)
    decisions_needed = [c for c in ending if not c.decision_recorded]
    ended = list(
        contracts.filter(effective_status=ShownStatus.ENDED_NO_DECISION)
        .select_related("provider").order_by("current_end", "reference")
    )
    for c in ended:
        c.days_since_end = -dates.days_to(c.current_end, as_of)
    started = contracts.filter(start_date__gte=period_start, start_date__lte=period_end)
    period_savings = started.aggregate(saved=Sum("savings"), n=Count("pk", filter=Q(savings__gt=0)))
    decided = (
        contracts.filter(decision_on__gte=period_start, decision_on__lte=period_end)
        .exclude(decision="").values("decision").annotate(n=Count("pk")).order_by()
    )
    decision_counts = {d["decision"]: d["n"] for d in decided}
    return {
        "summary": {k: v if v is not None else (0 if k == "count" else Decimal(0)) for k, v in summary.items()},
        "by_type": by_type,
        "areas": areas,
        "spend_chart": bar_chart_svg([(a["label"], a["annual"], format_money(a["annual"])) for a in areas],
                                     title="Annual value of live contracts by service area", width=640)
        if areas else "",
        "ending": ending,
        "ending_by": ending_by,
        "ending_value": sum((c.annual_value for c in ending), Decimal(0)),
        "decisions_needed": decisions_needed,
        "decisions_overdue": [c for c in decisions_needed if c.decision_overdue],
        "ended_no_decision": ended,
        "ended_no_decision_value": sum((c.annual_value for c in ended), Decimal(0)),
        "period_savings": period_savings["saved"] or Decimal(0),
        "period_savings_count": period_savings["n"],
        "started_count": started.count(),
        "decisions_in_period": [(label, decision_counts[value]) for value, label in Decision.choices
                                if value in decision_counts],
        "uses_suppression": False,  # contracts carry no counts of children
    }


def report_draft(*, period_start: date, period_end: date, as_of: date) -> ReportDraft:
    """The contract decisions overdue, for a report's executive summary."""
    due = Contract.objects.decision_overdue(as_of).count()
    past_end = Contract.objects.ended_no_decision(as_of).count()
    parts = []
    if due:
        parts.append(f"{due} contract{pluralize(due)} {pluralize(due, 'has,have')} passed "
                     f"{pluralize(due, 'its,their')} decision date with no decision recorded")
    if past_end:
        parts.append(f"{past_end} {pluralize(past_end, 'is,are')} past {pluralize(past_end, 'its,their')} end with no "
                     "decision recorded")
    sentence = ("; ".join(parts) if parts else "No contract decision is overdue")
    return ReportDraft(summary=[f"{sentence[:1].upper()}{sentence[1:]} (as at {as_of:%-d %B %Y})."])
