"""Reads for the commissioning programme: one queryset function per need, annotated so that a page or a command
needs no query per project."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, Count, Max, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404

from . import rules
from .models import (
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


def _open_risk(rag: str) -> Q:
    return Q(risks__status=RiskStatus.OPEN) & rag_q(rag, prefix="risks__")


def project_list(*, as_of: date):
    """Projects with their open risks by RAG, highest open risk score, engagement count, whether the gateway is
    overdue, and the kinds of their approved products (`approved_kinds`, for what the next gateway is missing)."""
    return (
        Project.objects.select_related("service_area", "lead")
        .annotate(
            red_risks=Count("risks", filter=_open_risk(rules.RED), distinct=True),
            amber_risks=Count("risks", filter=_open_risk(rules.AMBER), distinct=True),
            green_risks=Count("risks", filter=_open_risk(rules.GREEN), distinct=True),
            highest_risk_score=Max("risks__score", filter=Q(risks__status=RiskStatus.OPEN)),
            engagement_count=Count("engagements", distinct=True),
            is_overdue=Case(
                When(Q(status=ProjectStatus.ACTIVE, next_gateway_due__lt=as_of), then=Value(True)),
                default=Value(False), output_field=BooleanField(),
            ),
        )
        .prefetch_related(
            Prefetch("products", to_attr="approved_products",
                     queryset=Product.objects.filter(status=ProductStatus.APPROVED).only("project_id", "kind"))
        )
        .order_by("reference")
    )


def project_missing(project: Project) -> list[str]:
    """What the next gateway still needs, from a project of project_list() (no query)."""
    if project.status != ProjectStatus.ACTIVE:
        return []
    return rules.missing_products(stage=project.stage, approved={p.kind for p in project.approved_products})


def project_detail(*, pk, as_of: date) -> Project:
    risks = Risk.objects.select_related("owner").prefetch_related("actions", "scores")
    risks = risks.order_by("status", "-score", "pk")
    return get_object_or_404(
        project_list(as_of=as_of).select_related("budget_line").prefetch_related(
            "priorities__strategy", "outcomes", "indicators", "contracts__provider",
            Prefetch("products", queryset=Product.objects.select_related("approved_by")),
            Prefetch("gateway_decisions", queryset=GatewayDecision.objects.select_related("decided_by")),
            Prefetch("risks", queryset=risks),
            Prefetch("engagements", queryset=Engagement.objects.all()),
        ),
        pk=pk,
    )


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
        for p in project_list(as_of=as_of)
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
