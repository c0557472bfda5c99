"""Reads for the market. Figures are computed by the database in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404

from contracts.models import Contract, OfstedRating, Provider, live_q
from core.suppression import Cell, suppress_linked, suppress_percentage
from kpis import status as engine
from placements.models import CostLine
from placements.selectors import looked_after_placements

from . import risk
from .models import (
    ContractPerformanceAssessment,
    OfstedInspection,
    OfstedSetting,
    OwningGroup,
    PerformanceRating,
    ProviderOwnership,
    QualityCheck,
)

LARGEST = 5
LARGE_CONTRACT_VALUE = Decimal("5000000")  # Procurement Act 2023: KPIs must be set and published above £5m
MIN_KPIS = 3


def share_threshold() -> Decimal:
    return Decimal(str(settings.MARKET_GROUP_SHARE_PCT))


def group_roots(groups) -> dict[int, OwningGroup]:
    """Group id -> its top-level group (itself when it has no parent). Groups cannot contain themselves,
    but a loop is still stopped rather than followed for ever."""
    by_id = {g.pk: g for g in groups}
    roots = {}
    for group in by_id.values():
        seen, top = set(), group
        while top.parent_id and top.parent_id in by_id and top.pk not in seen:
            seen.add(top.pk)
            top = by_id[top.parent_id]
        roots[group.pk] = top
    return roots


@dataclass
class Holding:
    """Children placed with, and weekly spend on, one owner (a top-level group or an independent provider)."""

    key: str
    name: str
    url: str
    is_group: bool
    children: int = 0
    weekly: Decimal = Decimal("0")
    providers: list[str] = field(default_factory=list)
    provider_keys: list[str] = field(default_factory=list)
    share_pct: Decimal | None = None
    # what a given person sees (filled by `for_viewer`)
    children_cell: Cell | None = None
    share_cell: Cell | None = None


@dataclass
class Concentration:
    as_of: date
    total_children: int
    total_weekly: Decimal
    owners: list[Holding]  # largest first
    providers: list[Holding]
    threshold_pct: Decimal
    total_cell: Cell | None = None
    largest_cell: Cell | None = None
    largest_share_cell: Cell | None = None
    suppressed: bool = False

    @property
    def largest(self) -> list[Holding]:
        return [h for h in self.owners if h.is_group][:LARGEST]

    @property
    def largest_children(self) -> int:
        return sum(h.children for h in self.largest)

    @property
    def largest_share_pct(self) -> Decimal | None:
        return _pct(self.largest_children, self.total_children)

    @property
    def over_threshold(self) -> list[Holding]:
        return [h for h in self.owners if h.is_group and h.share_pct is not None and h.share_pct > self.threshold_pct]


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def concentration(*, as_of: date) -> Concentration:
    """Children looked after on the day and the weekly cost of their placements, by provider and by the
    top-level group that owns each provider (a provider with no group stands alone)."""
    placements = looked_after_placements(as_of)
    counts = dict(placements.exclude(provider=None).order_by().values_list("provider").annotate(n=Count("pk")))
    total_children = placements.count()
    weekly = dict(
        CostLine.objects.in_force_on(as_of).filter(placement__in=placements.values("pk")).exclude(
            placement__provider=None).order_by().values_list("placement__provider").annotate(w=Sum("weekly_amount"))
    )
    total_weekly = CostLine.objects.in_force_on(as_of).filter(placement__in=placements.values("pk")).aggregate(
        w=Sum("weekly_amount"))["w"] or Decimal("0")
    ids = set(counts) | set(weekly)
    names = dict(Provider.objects.filter(pk__in=ids).values_list("pk", "name"))
    owner_of = dict(ProviderOwnership.objects.filter(provider_id__in=ids).values_list("provider_id", "group_id"))
    roots = group_roots(OwningGroup.objects.only("pk", "name", "parent_id"))
    owners: dict[str, Holding] = {}
    providers = []
    for pk in ids:
        children, spend = counts.get(pk, 0), (weekly.get(pk) or Decimal("0")).quantize(Decimal("0.01"))
        providers.append(Holding(key=f"p{pk}", name=names[pk], url=f"/market/providers/{pk}/", is_group=False,
                                 children=children, weekly=spend, share_pct=_pct(children, total_children)))
        root = roots.get(owner_of.get(pk))
        if root is not None:
            holding = owners.setdefault(f"g{root.pk}", Holding(key=f"g{root.pk}", name=root.name,
                                                                url=root.get_absolute_url(), is_group=True))
        else:
            holding = owners.setdefault(f"p{pk}", Holding(key=f"p{pk}", name=names[pk],
                                                           url=f"/market/providers/{pk}/", is_group=False))
        holding.children += children
        holding.weekly += spend
        holding.providers.append(names[pk])
        holding.provider_keys.append(f"p{pk}")
    for holding in owners.values():
        holding.share_pct = _pct(holding.children, total_children)
    order = lambda h: (-h.children, -h.weekly, h.name)  # noqa: E731
    return Concentration(as_of=as_of, total_children=total_children, total_weekly=total_weekly,
                         owners=sorted(owners.values(), key=order), providers=sorted(providers, key=order),
                         threshold_pct=share_threshold())


def for_viewer(figures: Concentration, *, sees_small_numbers: bool) -> Concentration:
    """Cells for display: counts of 1 to 5 children (and what would reveal them) are [c] for people who do
    not see small numbers. Weekly spend is money, not a count of children: it is always shown."""
    owners, providers = figures.owners, figures.providers
    counts = [h.children for h in owners] + [h.children for h in providers]
    if sees_small_numbers:
        cells = [Cell(c) for c in counts]
        total, largest = Cell(figures.total_children), Cell(figures.largest_children)
    else:
        cells, total, largest = _suppressed_cells(figures, counts)
    for holding, cell in zip([*owners, *providers], cells, strict=True):
        holding.children_cell = cell
        holding.share_cell = (Cell(holding.share_pct, places=1, suffix="%") if sees_small_numbers
                              else suppress_percentage(cell, total))
    figures.total_cell, figures.largest_cell = total, largest
    figures.largest_share_cell = (Cell(figures.largest_share_pct, places=1, suffix="%") if sees_small_numbers
                                  else suppress_percentage(largest, total))
    figures.suppressed = any(c.suppressed for c in [*cells, total, largest])
    return figures


def _suppressed_cells(figures: Concentration, counts: list[int]) -> tuple[list[Cell], Cell, Cell]:
    """Every count the market pages publish, tied by the sums that link them: owners and providers each add up
    to the total (with the children placed with no provider recorded), each owner is the sum of its providers,
    and the largest groups' sum leaves the rest of the total to everyone else."""
    owners, providers = figures.owners, figures.providers
    n_owners = len(owners)
    position = {h.key: n_owners + i for i, h in enumerate(providers)}
    owner_ids = list(range(n_owners))
    provider_ids = list(position.values())
    rest, total, largest = len(counts), len(counts) + 1, len(counts) + 2
    largest_keys = {h.key for h in figures.largest}
    top = [i for i, h in enumerate(owners) if h.is_group and h.key in largest_keys]
    values = [*counts, figures.total_children - sum(h.children for h in providers), figures.total_children,
              figures.largest_children]
    lines = [
        ([*owner_ids, rest], total),
        ([*provider_ids, rest], total),
        *(([position[k] for k in h.provider_keys], i) for i, h in enumerate(owners)),
        (top, largest),
        ([*[i for i in owner_ids if i not in top], rest, largest], total),
    ]
    cells = suppress_linked(values, lines)
    return cells[:rest], cells[total], cells[largest]


def group_list():
    return OwningGroup.objects.select_related("parent").annotate(provider_count=Count("ownerships")).order_by("name")


def group_get(*, pk) -> OwningGroup:
    group = OwningGroup.objects.select_related("parent").filter(pk=pk).first()
    if group is None:
        raise Http404("No such group")
    return group


def group_descendants(group: OwningGroup) -> list[int]:
    """The group and every group inside it, at any depth."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in OwningGroup.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [group.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def unmatched_settings(*, search: str = "", local_authority: str = ""):
    qs = OfstedSetting.objects.filter(provider=None).annotate(
        latest_judgement=Subquery(OfstedInspection.objects.filter(setting=OuterRef("pk"))
                                  .order_by("-inspected_on").values("judgement")[:1]),
    ).order_by("urn")
    if search:
        qs = qs.filter(Q(urn__icontains=search) | Q(setting_name__icontains=search)
                       | Q(provider_name__icontains=search) | Q(owner_name__icontains=search))
    if local_authority:
        qs = qs.filter(local_authority__iexact=local_authority)
    return qs


def setting_get_unmatched(*, pk) -> OfstedSetting:
    setting = OfstedSetting.objects.filter(pk=pk, provider=None).first()
    if setting is None:
        raise Http404("No such unmatched setting")
    return setting


def provider_get(*, pk) -> Provider:
    provider = Provider.objects.select_related("ownership__group").filter(pk=pk).first()
    if provider is None:
        raise Http404("No such provider")
    return provider


def provider_quality(*, provider: Provider):
    checks = (QualityCheck.objects.filter(provider=provider)
              .select_related("contract", "recorded_by").prefetch_related("actions__owner"))
    inspections = (OfstedInspection.objects.filter(setting__provider=provider)
                   .select_related("setting").order_by("-inspected_on"))
    return checks, inspections


def provider_risks(*, as_of: date, figures: Concentration | None = None) -> list[dict]:
    """Every provider with a live contract, a child placed, or a quality check: its risk score and parts."""
    figures = figures or concentration(as_of=as_of)
    share_by_provider = {}
    owner_share = {h.key: h.share_pct for h in figures.owners}
    ownership = dict(ProviderOwnership.objects.values_list("provider_id", "group_id"))
    roots = group_roots(OwningGroup.objects.only("pk", "name", "parent_id"))
    for holding in figures.providers:
        pk = int(holding.key[1:])
        root = roots.get(ownership.get(pk))
        share_by_provider[pk] = owner_share.get(f"g{root.pk}" if root else f"p{pk}")
    latest_check = QualityCheck.objects.filter(provider=OuterRef("pk")).order_by("-checked_on", "-pk")
    providers = (
        Provider.objects.filter(
            Q(pk__in=Contract.objects.live_on(as_of).values("provider")) | Q(pk__in=list(share_by_provider))
            | Q(pk__in=QualityCheck.objects.values("provider"))
        )
        .annotate(
            latest_check=Subquery(latest_check.values("rating")[:1]),
            overdue=Count("quality_checks__actions", filter=Q(quality_checks__actions__completed_on=None,
                                                              quality_checks__actions__due_on__lt=as_of),
                          distinct=True),
        ).order_by("name")
    )
    rows = []
    threshold = figures.threshold_pct
    for provider in providers:
        score = risk.provider_risk(judgement=provider.ofsted_rating, check_rating=provider.latest_check or "",
                                   overdue_actions=provider.overdue, share_pct=share_by_provider.get(provider.pk),
                                   threshold_pct=threshold)
        rows.append({"provider": provider, "score": score})
    rows.sort(key=lambda r: (-r["score"].total, r["provider"].name))
    return rows


def risk_matrix(rows: list[dict]) -> list[dict]:
    """Quality risk (rows, high first) by impact (columns, low first), each cell the providers in it."""
    grid = []
    for quality in risk.LEVELS:
        grid.append({"quality": quality, "cells": [
            [r["provider"] for r in rows if r["score"].quality == quality and r["score"].impact == impact]
            for impact in reversed(risk.LEVELS)
        ]})
    return grid


def ofsted_profile(*, as_of: date, since: date) -> dict:
    """Providers in use on `as_of` (a live contract, or a child placed) by their Ofsted judgement then (the
    latest inspection on or before it, else the rating recorded), and those whose judgement changed since
    `since`: from the records as they are now, each inspection counted by its own date."""
    live_then = Contract.objects.filter(live_q(as_of)).values("provider_id")
    in_use = Provider.objects.filter(
        Q(pk__in=live_then) | Q(pk__in=looked_after_placements(as_of).exclude(provider=None).values("provider"))
    )
    in_use_ids = set(in_use.values_list("pk", flat=True))
    judged = dict(
        OfstedInspection.objects.filter(setting__provider__in=in_use_ids, inspected_on__lte=as_of)
        .order_by("inspected_on", "pk").values_list("setting__provider_id", "judgement")
    )  # the latest inspection of each provider wins
    counts = Counter(
        judged.get(p.pk, p.ofsted_rating)
        for p in Provider.objects.filter(id__in=in_use_ids)
    )
    profile = [{"label": label, "count": counts.get(value, 0)} for value, label in OfstedRating.choices]
    profile.append({"label": "Not registered with Ofsted or not yet inspected", "count": counts.get("", 0)})
    changes = (OfstedInspection.objects.filter(setting__provider__in=in_use, inspected_on__gt=since,
                                               inspected_on__lte=as_of)
               .select_related("setting__provider").order_by("inspected_on"))
    previous = {}
    for setting_id, _day, judgement in OfstedInspection.objects.filter(
            setting__in=changes.values("setting"), inspected_on__lte=since).order_by("inspected_on").values_list(
            "setting_id", "inspected_on", "judgement"):
        previous[setting_id] = judgement
    rows = []
    for inspection in changes:
        before = previous.get(inspection.setting_id, "")
        if before != inspection.judgement:
            rows.append({"inspection": inspection, "before": OfstedRating(before).label if before else ""})
        previous[inspection.setting_id] = inspection.judgement
    return {"profile": profile, "in_use": len(in_use_ids), "changes": rows}


def contracts_needing_kpis(*, as_of: date):
    """Live contracts over £5 million with fewer than 3 KPIs of their own (the Procurement Act's rule)."""
    return (Contract.objects.live_on(as_of).filter(total_value__gt=LARGE_CONTRACT_VALUE)
            .annotate(kpi_count=Count("contract_kpis")).filter(kpi_count__lt=MIN_KPIS)
            .select_related("provider").order_by("reference"))


def latest_ratings():
    latest_year = ContractPerformanceAssessment.objects.filter(contract=OuterRef("contract")).order_by(
        "-year_ending").values("year_ending")[:1]
    return (ContractPerformanceAssessment.objects.filter(year_ending=Subquery(latest_year))
            .select_related("contract__provider").order_by("contract__reference"))


def ratings_below_good():
    return latest_ratings().exclude(rating=PerformanceRating.GOOD)


def contract_kpi_rows(*, contract: Contract):
    """Each of the contract's own KPIs with its values and their status (kpis' RAG engine)."""
    rows = []
    for indicator in contract.contract_kpis.prefetch_related("values"):
        rule = engine.TargetRule(kind=indicator.target_kind, starts_on=date.min, value=indicator.target,
                                 tolerance=indicator.tolerance)
        values = [{"period_end": v.period_end, "value": v.value, "note": v.note,
                   "status": engine.rag_status(v.value, rule, v.period_end)} for v in indicator.values.all()]
        rows.append({"indicator": indicator, "values": values, "latest": values[-1] if values else None})
    return rows


def provider_ids_by_setting_urn(urns: set[str]) -> dict[str, int]:
    """The provider of each Ofsted setting (by its URN) that has been linked to one: how a placement's URN
    in the 903 return finds the provider running the setting."""
    return dict(OfstedSetting.objects.filter(urn__in=urns, provider__isnull=False).values_list("urn", "provider_id"))
