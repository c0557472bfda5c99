"""Demo data for the market: owning groups over the demo providers, Ofsted inspections (one provider
downgraded this quarter), quality visits with actions, and KPIs for the largest contracts.

Deterministic, dates relative to today, idempotent (returns if loaded). Written through the services.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, OfstedRating, Provider
from core.imports import Table
from core.roles import COMMISSIONER
from core.services import audited_save

from . import selectors, services
from .models import ContractIndicatorValue, OwningGroup

SEED = 2026
OVERALL = "overall_experiences_and_progress_of_children_and_young_people"
GROUPS = [
    # name, parent, how many providers it owns (largest first)
    ("Evergreen Care Holdings", None, 6),
    ("Harbourside Children's Services", None, 4),
    ("Kestrel Family Group", "Evergreen Care Holdings", 3),
    ("Oakleaf Partnerships", None, 3),
    ("Northern Lights Care", None, 2),
    ("Pathway Residential Group", None, 2),
]


def load(*, users):
    if OwningGroup.objects.filter(name=GROUPS[0][0]).exists():
        return
    commissioner = users.get(COMMISSIONER)
    today = timezone.localdate()
    providers = list(Provider.objects.exclude(ofsted_urn="").exclude(kind="in_house").order_by("name"))
    if not providers:
        return
    # The groups own the providers children are placed with, the largest first, so the figures say something.
    placed = [int(h.key[1:]) for h in selectors.concentration(as_of=today).providers]
    rank = {pk: i for i, pk in enumerate(placed)}
    providers.sort(key=lambda p: (rank.get(p.pk, len(rank)), p.name))
    rng = random.Random(SEED)
    with transaction.atomic():
        _groups(providers, rng, commissioner)
        _inspections(providers, rng, today, commissioner)
        _quality(providers, rng, today, commissioner)
        _kpis(rng, today, commissioner)


def _groups(providers, rng, user):
    made = {}
    for name, parent, _ in GROUPS:
        made[name] = services.group_create(user=user, name=name, parent=made.get(parent))
    pool = providers[:]
    for name, _, size in GROUPS:
        for provider in pool[:size]:
            services.provider_set_group(provider=provider, group=made[name], user=user)
        pool = pool[size:]


def _inspections(providers, rng, today, user):
    """Two years of judgements, as an Ofsted file would give them, then this quarter's inspections,
    one of which downgrades a provider (and raises its alert)."""
    words = {OfstedRating.OUTSTANDING: "Outstanding", OfstedRating.GOOD: "Good",
             OfstedRating.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
             OfstedRating.INADEQUATE: "Inadequate"}
    first, later = [], []
    # This quarter's downgrade: the largest provider judged Good or Outstanding before.
    downgraded = next((p for p in providers if p.ofsted_rating in (OfstedRating.OUTSTANDING, OfstedRating.GOOD)),
                      None)
    seen = set()
    for provider in providers:
        if provider.ofsted_urn in seen:  # one row a URN, as in Ofsted's file
            continue
        seen.add(provider.ofsted_urn)
        base = {"urn": provider.ofsted_urn, "setting_name": provider.name, "provider_name": provider.name,
                "provider_type": "Independent fostering agency" if "Foster" in provider.name else "Children's home",
                "local_authority": "Reading", "region": "South East", "registration_status": "Active",
                "places": str(rng.randint(2, 40))}
        judgement = provider.ofsted_rating or OfstedRating.GOOD
        inspected = today - timedelta(days=400 + rng.randint(0, 300))
        first.append({**base, "inspection_date": inspected.strftime("%d/%m/%Y"), OVERALL: words[judgement]})
        if provider == downgraded:
            later.append({**base, "inspection_date": (today - timedelta(days=20)).strftime("%d/%m/%Y"),
                          OVERALL: "Requires improvement to be good"})
    keys = ["urn", "setting_name", "provider_name", "provider_type", "local_authority", "region",
            "registration_status", "places", "inspection_date", OVERALL]
    for rows in (first, later):
        table = Table(header=keys, rows=[(i + 2, row) for i, row in enumerate(rows)])
        services.import_ofsted_providers(table, user=user)


def _quality(providers, rng, today, user):
    ratings = ["good", "good", "adequate", "concerns", "poor"]
    for n, provider in enumerate(providers[:8]):
        rating = ratings[n % len(ratings)]
        actions = []
        if rating in ("concerns", "poor"):
            actions.append({"action": "Send the updated safeguarding policy and staff training records",
                            "owner": user, "due_on": today - timedelta(days=rng.randint(5, 30))})
            actions.append({"action": "Follow-up visit to check the improvement plan",
                            "owner": user, "due_on": today + timedelta(days=rng.randint(10, 60))})
        services.quality_check_record(
            provider=provider, user=user, checked_on=today - timedelta(days=rng.randint(20, 200)),
            kind=["visit", "unannounced", "self_assessment", "audit"][n % 4], rating=rating,
            findings="Records in good order; some gaps in supervision notes." if rating != "good"
            else "Warm, well-run home; children's views recorded throughout.", actions=actions)


def _kpis(rng, today, user):
    contracts = list(Contract.objects.live_on(today).order_by("-total_value")[:4])
    periods = [today.replace(day=1) - timedelta(days=1)]
    for _ in range(3):
        periods.append(periods[-1].replace(day=1) - timedelta(days=1))
    for index, contract in enumerate(contracts):
        if index == 0:
            continue  # left with no KPIs of its own, so the "too few KPIs" list has something in it
        for code, name, target in (("K1", "Placements offered within 5 working days", Decimal("90")),
                                   ("K2", "Children with an up-to-date placement plan", Decimal("95")),
                                   ("K3", "Unplanned endings", Decimal("5"))):
            kind = "at_most" if code == "K3" else "at_least"
            indicator = services.contract_kpi_create(contract=contract, user=user, code=code, name=name,
                                                     unit="percentage", target_kind=kind, target=target,
                                                     tolerance=Decimal("5"))
            for period in periods:
                value = target + Decimal(rng.randint(-8, 6))
                audited_save(ContractIndicatorValue(indicator=indicator, period_end=period, value=value), user=user)
        services.contract_performance_rate(
            contract=contract, user=user, year_ending=today.replace(month=3, day=31) if today.month > 3
            else today.replace(year=today.year - 1, month=3, day=31),
            rating=["good", "approaching_target", "requires_improvement"][index % 3],
            reasons="Met most targets; placement plans were late for several children in the second half of the year."
            if index % 3 else "Met every target in the year.")
