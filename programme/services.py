"""Writes for the commissioning programme. Every write is audited (django-simple-history) with the acting person."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audited_save as _save

from . import rules
from .models import (
    Characteristic,
    Decision,
    Engagement,
    EqualityImpact,
    GatewayDecision,
    Impact,
    Option,
    Product,
    ProductKind,
    ProductStatus,
    Project,
    ProjectStatus,
    Risk,
    RiskScore,
)

GATEWAY_PERMISSION = "programme.decide_gateway"


@transaction.atomic
def project_save(*, project: Project, user, m2m: dict | None = None) -> Project:
    """Create or update a project (the form has set its fields); `m2m` sets its links by field name."""
    if not project.stage:
        project.stage = rules.stages()[0]
    _save(project, user=user)
    for name, values in (m2m or {}).items():
        getattr(project, name).set(values)
    return project


@transaction.atomic
def product_record(*, project: Project, kind: str, status: str, user, summary: str = "", link: str = "",
                   approved_on: date | None = None) -> Product:
    """Record where a product stands; approving it names the approver and the day."""
    product = Product.objects.filter(project=project, kind=kind).first() or Product(project=project, kind=kind)
    product.status, product.summary, product.link = status, summary, link
    if status == ProductStatus.APPROVED:
        _check_complete(product)
        product.approved_on = approved_on or product.approved_on or timezone.localdate()
        product.approved_by = product.approved_by or user
    else:
        product.approved_on = product.approved_by = None
    return _save(product, user=user)


def _check_complete(product: Product) -> None:
    """A structured product is signed off only when it is whole: every characteristic assessed (with mitigation for
    a negative impact), or at least two options with one chosen."""
    if product.pk is None:
        lines, options = [], []
    else:
        lines, options = list(product.equality_impacts.all()), list(product.options.all())
    if product.kind == ProductKind.EIA:
        assessed = {line.characteristic for line in lines}
        missing = [label for value, label in Characteristic.choices if value not in assessed]
        if missing:
            raise ValidationError("The equality impact assessment cannot be signed off until every characteristic "
                                  f"is assessed. Not yet assessed: {', '.join(missing)}.")
        unmitigated = [line.get_characteristic_display() for line in lines
                       if line.impact == Impact.NEGATIVE and not line.mitigation.strip()]
        if unmitigated:
            raise ValidationError("Every negative impact needs its mitigation before sign-off. No mitigation for: "
                                  f"{', '.join(unmitigated)}.")
    if product.kind == ProductKind.OPTIONS_APPRAISAL and (len(options) < 2 or not any(o.chosen for o in options)):
        raise ValidationError("The options appraisal cannot be approved until it compares at least two options and "
                              "one is chosen.")


@transaction.atomic
def eia_record(*, project: Project, lines: dict[str, dict], user) -> Product:
    """Record the assessment of each characteristic given (`{characteristic: {impact, evidence, mitigation}}`).
    Changing a signed-off assessment takes it back to draft: it needs signing off again."""
    product = Product.objects.filter(project=project, kind=ProductKind.EIA).first()
    if product is None:
        product = _save(Product(project=project, kind=ProductKind.EIA, status=ProductStatus.DRAFT), user=user)
    existing = {line.characteristic: line for line in product.equality_impacts.all()}
    changed = False
    for characteristic, values in lines.items():
        line = existing.get(characteristic) or EqualityImpact(product=product, characteristic=characteristic)
        if line.pk and all(getattr(line, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(line, name, value)
        _save(line, user=user)
        changed = True
    if changed and product.status != ProductStatus.DRAFT:
        product.status, product.approved_on, product.approved_by = ProductStatus.DRAFT, None, None
        product._change_reason = "The assessment changed: it needs signing off again"
        _save(product, user=user)
    return product


@transaction.atomic
def option_save(*, option: Option, user) -> Option:
    """Create or update an option; choosing it un-chooses the others (one chosen option per appraisal)."""
    if option.product_id is None:
        raise ValidationError("An option belongs to an options appraisal.")
    _save(option, user=user)
    if option.chosen:
        for other in Option.objects.filter(product=option.product, chosen=True).exclude(pk=option.pk):
            other.chosen = False
            _save(other, user=user)
    return option


def gateway_missing(*, project: Project, stopping: bool = False) -> list[str]:
    """The products (by name) the next gateway requires that are not yet approved."""
    approved = set(project.products.filter(status=ProductStatus.APPROVED).values_list("kind", flat=True))
    return rules.missing_products(stage=project.stage, approved=approved, stopping=stopping)


@transaction.atomic
def gateway_decide(*, project: Project, decision: str, decided_by, reasons: str, decided_on: date | None = None,
                   next_gateway_due: date | None = None) -> GatewayDecision:
    """A gateway decision: proceed to the next stage (or complete after the last), re-plan, or stop.

    Decided by a gateway approver who is not the project's lead; the products the gateway requires must be
    approved first, and what is missing is named in the refusal."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.ACTIVE:
        raise ValidationError(f"This project is {project.get_status_display().lower()}: it has no gateway to pass.")
    if not decided_by.has_perm(GATEWAY_PERMISSION):
        raise ValidationError("Only a gateway approver can decide a gateway: an administrator names them (usually the "
                              "head of commissioning).")
    if project.lead_id is not None and project.lead_id == decided_by.pk:
        raise ValidationError("The project's lead cannot decide its gateway: a second person must.")
    stopping = decision == Decision.STOP
    if decision != Decision.REPLAN:
        missing = gateway_missing(project=project, stopping=stopping)
        if missing:
            raise ValidationError(
                f"The gateway cannot be passed until these are approved: {', '.join(missing)}.", code="missing"
            )
    to_stage = ""
    if decision == Decision.PROCEED:
        to_stage = project.next_stage or ""
    elif decision == Decision.REPLAN:
        to_stage = project.stage
    record = _save(
        GatewayDecision(project=project, from_stage=project.stage, to_stage=to_stage, decision=decision,
                        decided_on=decided_on or timezone.localdate(), decided_by=decided_by, reasons=reasons),
        user=decided_by,
    )
    if decision == Decision.PROCEED and to_stage:
        project.stage = to_stage
    elif decision == Decision.PROCEED:
        project.status = ProjectStatus.COMPLETE
    elif stopping:
        project.status = ProjectStatus.STOPPED
    project.next_gateway_due = next_gateway_due if project.status == ProjectStatus.ACTIVE else None
    project._change_reason = f"Gateway: {record.get_decision_display().lower()} ({record.decided_on:%d/%m/%Y})"
    _save(project, user=decided_by)
    return record


@transaction.atomic
def risk_save(*, risk: Risk, user, actions=None, scored_on: date | None = None) -> Risk:
    """Create or update a risk (the form has set its fields). A new score is added to the risk's score history."""
    risk.score = (risk.likelihood or 0) * (risk.impact or 0)
    previous = None if risk.pk is None else Risk.objects.filter(pk=risk.pk).values("likelihood", "impact").first()
    _save(risk, user=user)
    if actions is not None:
        risk.actions.set(actions)
    if previous != {"likelihood": risk.likelihood, "impact": risk.impact}:
        RiskScore.objects.create(risk=risk, scored_on=scored_on or timezone.localdate(), likelihood=risk.likelihood,
                                 impact=risk.impact, score=risk.score, scored_by=user)
    return risk


@transaction.atomic
def engagement_save(*, engagement: Engagement, user) -> Engagement:
    return _save(engagement, user=user)
