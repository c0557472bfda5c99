"""Reads for the commissioning programme: one queryset function per need, annotated so that a page or a command
needs no query per project."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Count, Max, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse

from . import rules
from .models import (
    Characteristic,
    Engagement,
    EngagementGroup,
    GatewayDecision,
    Product,
    ProductStatus,
    Project,
    ProjectStatus,
    Risk,
    RiskStatus,
    rag_q,
)


def project_list(*, as_of: date):
    """Projects with whether the gateway is overdue. `with_figures()` adds what pages show of each: risk and
    engagement counts and the kinds of approved products."""
    return (
        Project.objects.select_related("service_area")
        .annotate(
            is_overdue=Case(
                When(Q(status=ProjectStatus.ACTIVE, next_gateway_due__lt=as_of), then=Value(True)),
                default=Value(False), output_field=BooleanField(),
            ),
        )
        .order_by("reference")
    )


def with_figures(projects) -> list[Project]:
    """The projects (a queryset or page of project_list) with, from three queries in SQL rather than a join or a
    subquery per project: open risks by RAG (`red_risks`, `amber_risks`, `green_risks`), `highest_risk_score`
    (open risks), `engagement_count`, and `approved_kinds` (for what the next gateway is missing)."""
    rows = list(projects)
    ids = [p.pk for p in rows]
    risks = {
        r["project"]: r for r in Risk.objects.open().filter(project__in=ids).order_by().values("project").annotate(
            red=Count("pk", filter=rag_q(rules.RED)), amber=Count("pk", filter=rag_q(rules.AMBER)),
            green=Count("pk", filter=rag_q(rules.GREEN)), highest=Max("score"))
    }
    engaged = dict(Engagement.objects.filter(project__in=ids).order_by().values("project")
                   .annotate(n=Count("pk")).values_list("project", "n"))
    approved: dict[int, set[str]] = {}
    for project_id, kind in Product.objects.filter(project__in=ids, status=ProductStatus.APPROVED).values_list(
            "project", "kind"):
        approved.setdefault(project_id, set()).add(kind)
    for p in rows:
        p.approved_kinds = approved.get(p.pk, set())
        stats = risks.get(p.pk, {})
        p.red_risks, p.amber_risks, p.green_risks = stats.get("red", 0), stats.get("amber", 0), stats.get("green", 0)
        p.highest_risk_score = stats.get("highest")
        p.engagement_count = engaged.get(p.pk, 0)
    return rows


def project_missing(project: Project) -> list[str]:
    """What the next gateway still needs, from a project of with_figures() (no query)."""
    if project.status != ProjectStatus.ACTIVE:
        return []
    return rules.missing_products(stage=project.stage, approved=project.approved_kinds)


def project_detail(*, pk, as_of: date) -> Project:
    risks = Risk.objects.select_related("owner").prefetch_related("actions", "scores")
    risks = risks.order_by("status", "-score", "pk")
    project = get_object_or_404(
        project_list(as_of=as_of).select_related("lead", "budget_line").prefetch_related(
            "priorities__strategy", "outcomes", "indicators", "contracts__provider",
            Prefetch("products", queryset=Product.objects.select_related("approved_by").prefetch_related(
                "equality_impacts", "options")),
            Prefetch("gateway_decisions", queryset=GatewayDecision.objects.select_related("decided_by")),
            Prefetch("risks", queryset=risks),
            Prefetch("engagements", queryset=Engagement.objects.all()),
        ),
        pk=pk,
    )
    return with_figures([project])[0]


def project_status_rows(*, as_of: date) -> list[dict]:
    """One row per project for `manage.py programme_status`."""
    return [
        {
            "reference": p.reference,
            "stage": p.stage,
            "next_gateway_due": p.next_gateway_due.isoformat() if p.next_gateway_due else None,
            "gateway_overdue": p.is_overdue,
            "risks": {"red": p.red_risks, "amber": p.amber_risks, "green": p.green_risks},
            "highest_risk_score": p.highest_risk_score,
            "missing": project_missing(p),
        }
        for p in with_figures(project_list(as_of=as_of))
    ]


def risk_register(*, as_of: date):
    return Risk.objects.select_related("project", "contract", "owner").annotate(
        review_overdue=Case(
            When(Q(status=RiskStatus.OPEN, review_on__lt=as_of), then=Value(True)),
            default=Value(False), output_field=BooleanField(),
        )
    ).order_by("status", "-score", "pk")


def risk_detail(*, pk, as_of: date) -> Risk:
    return get_object_or_404(
        risk_register(as_of=as_of).prefetch_related("actions__owner", "scores__scored_by"), pk=pk
    )


def risk_reviews_overdue(*, as_of: date, owner=None):
    qs = Risk.objects.review_overdue(as_of)
    return qs.filter(owner=owner) if owner is not None else qs


def engagement_counts(engagements) -> list[dict]:
    """How many engagements with each group, and how many changed something ("you said, we did")."""
    return [
        {"group": label, "count": sum(1 for e in engagements if e.group == value),
         "changed": sum(1 for e in engagements if e.group == value and e.we_did)}
        for value, label in EngagementGroup.choices
    ]


# --- The programme as a whole ------------------------------------------------------------------------

DUE_SOON_DAYS = 30
GREY = "no_data"


def time_rag(project: Project, *, as_of: date) -> str:
    """Red when the gateway is overdue, amber when it is due within DUE_SOON_DAYS and something it needs is still
    missing, green otherwise; grey when no date is set."""
    if project.status != ProjectStatus.ACTIVE or project.next_gateway_due is None:
        return GREY
    if project.next_gateway_due < as_of:
        return rules.RED
    if (project.next_gateway_due - as_of).days <= DUE_SOON_DAYS and project_missing(project):
        return rules.AMBER
    return rules.GREEN


def money_rag(project: Project) -> str:
    """Savings delivered against the target, once the project is buying or reviewing (earlier, none is due):
    green at or above the target, amber at three quarters or more, red below."""
    target = project.savings_target or 0
    stages = rules.stages()
    late_stage = project.status == ProjectStatus.COMPLETE or stages.index(project.stage) >= len(stages) - 2
    if not target or not late_stage:
        return GREY
    if project.savings_delivered >= target:
        return rules.GREEN
    return rules.AMBER if project.savings_delivered * 4 >= target * 3 else rules.RED


def risk_rag(project: Project) -> str:
    return rules.risk_rag(project.highest_risk_score) if project.highest_risk_score else GREY


def programme_overview(*, projects, as_of: date) -> dict:
    """Projects (already filtered, from project_list) by stage and service area, each with its RAG for time, money
    and risk; gateways overdue and due soon; and a timeline of gateways by month. No query beyond the list's."""
    rows = with_figures(projects)
    # One reverse() for the page rather than one per project (500 on a large programme).
    url = reverse("programme:project", kwargs={"pk": 987654321})
    for p in rows:
        p.url = url.replace("987654321", str(p.pk))
        p.missing = project_missing(p)
        p.time_rag, p.money_rag, p.risk_rag = time_rag(p, as_of=as_of), money_rag(p), risk_rag(p)
    stages = rules.stages()
    active = [p for p in rows if p.status == ProjectStatus.ACTIVE]
    areas = sorted({p.service_area for p in rows}, key=lambda a: (a.order, a.label))
    grid = [{"area": area, "cells": [[p for p in active if p.stage == s and p.service_area_id == area.code]
                                     for s in stages]} for area in areas]
    soon = as_of.toordinal() + DUE_SOON_DAYS
    dated = sorted((p for p in active if p.next_gateway_due), key=lambda p: (p.next_gateway_due, p.reference))
    timeline: dict[str, list] = {}
    for p in dated:
        if p.next_gateway_due >= as_of:
            timeline.setdefault(f"{p.next_gateway_due:%B %Y}", []).append(p)
    return {
        "projects": rows,
        "stages": stages,
        "by_stage": [{"stage": s, "count": sum(1 for p in active if p.stage == s)} for s in stages],
        "grid": grid,
        "overdue": [p for p in dated if p.next_gateway_due < as_of],
        "due_soon": [p for p in dated if as_of <= p.next_gateway_due and p.next_gateway_due.toordinal() <= soon],
        "timeline": timeline,
        "completed": sum(1 for p in rows if p.status == ProjectStatus.COMPLETE),
        "stopped": sum(1 for p in rows if p.status == ProjectStatus.STOPPED),
    }


def red_risks(*, limit: int | None = None):
    """Open red risks across the programme (projects, contracts and the programme itself), highest first: high
    risks escalate to the programme view."""
    qs = Risk.objects.open().rag(rules.RED).select_related("project", "contract", "owner").order_by("-score", "pk")
    return qs[:limit] if limit else qs


def engagement_totals(*, since: date | None = None, until: date | None = None) -> list[dict]:
    """Engagement across the programme by group (in SQL): how many, and how many changed something."""
    qs = Engagement.objects.all()
    if since:
        qs = qs.filter(held_on__gte=since)
    if until:
        qs = qs.filter(held_on__lte=until)
    counts = {row["group"]: row for row in qs.values("group").annotate(
        count=Count("pk"), changed=Count("pk", filter=~Q(we_did="")))}
    return [{"group": label, "count": counts.get(value, {}).get("count", 0),
             "changed": counts.get(value, {}).get("changed", 0)} for value, label in EngagementGroup.choices]


def savings_totals(projects) -> dict:
    rows = list(projects)
    return {"target": sum((p.savings_target for p in rows), 0),
            "delivered": sum((p.savings_delivered for p in rows), 0)}


def eia_lines(product) -> list[dict]:
    """Each characteristic in the Act's order with its assessment (None: not yet assessed), from a prefetched
    product (no query)."""
    lines = {line.characteristic: line for line in product.equality_impacts.all()} if product else {}
    return [{"label": label, "line": lines.get(value)} for value, label in Characteristic.choices]
