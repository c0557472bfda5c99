from datetime import timedelta

import pytest
from django.utils import timezone

from contracts import demo, selectors
from contracts.models import Contract, ContractReview, Framework, ProcurementPlanItem, Provider
from contracts.services import contracts_send_alerts

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_gives_the_commissioner_alerts(users):
    from django.core import mail

    demo.load(users=users)
    counts = (Provider.objects.count(), Framework.objects.count(), Contract.objects.count(),
              ContractReview.objects.count(), ProcurementPlanItem.objects.count())
    assert counts[0] == 60 and counts[1] == 3 and counts[2] >= 110 and counts[3] > 50 and counts[4] >= 8
    demo.load(users=users)
    assert counts == (Provider.objects.count(), Framework.objects.count(), Contract.objects.count(),
                      ContractReview.objects.count(), ProcurementPlanItem.objects.count())
    today = timezone.localdate()
    commissioner = users["Commissioner"]
    assert selectors.contracts_decision_due(as_of=today, manager=commissioner).exists()
    assert selectors.contracts_review_overdue(as_of=today, manager=commissioner).exists()
    statuses = {c.effective_status for c in Contract.objects.with_status(today)}
    assert statuses == {"live", "ended_no_decision", "expired", "not_started", "terminated"}
    assert Framework.objects.get(name__startswith="South Central").memberships.filter(tier=3).exists()
    result = contracts_send_alerts(as_of=today)
    assert result["emails"] >= 1 and any(m.to == [commissioner.email] for m in mail.outbox)


def test_pages_render_with_demo_data(users, client):
    from django.urls import reverse

    demo.load(users=users)
    client.force_login(users["Commissioner"])
    contract = Contract.objects.filter(extensions_used=1).first()
    provider = Provider.objects.filter(contracts__isnull=False).first()
    framework = Framework.objects.first()
    urls = [reverse(name) for name in ("contracts:index", "contracts:due", "contracts:providers",
                                       "contracts:pipeline", "contracts:frameworks")]
    urls += [reverse("contracts:detail", args=[contract.pk]), reverse("contracts:edit", args=[contract.pk]),
             reverse("contracts:provider_detail", args=[provider.pk]),
             reverse("contracts:framework_detail", args=[framework.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    counts = client.get(reverse("contracts:due")).context["counts"]
    assert all(counts[k] > 0 for k in ("decision_due", "past_end", "review_overdue", "ending")), counts


# The council's own social work (the front door, assessments, child protection) and the count of children
# looked after are no contract's KPIs: a provider cannot move them.
SOCIAL_WORK_KPIS = {"SC01", "SC02", "SC03", "SC04", "SC05", "SC06", "SC07", "SC08"}
PLACEMENT_KPIS = {"SC09", "SC12", "SC13", "SC14"}  # stability, the fostering price, missing, care leavers


def test_demo_contracts_are_monitored_against_the_kpis_their_service_can_move(users):
    from kpis import demo as kpi_demo
    from kpis.models import Indicator
    from outcomes import demo as outcome_demo

    outcome_demo.load(users=users)
    kpi_demo.load(users=users)
    demo.load(users=users)
    links = Contract.indicators.through.objects.select_related("contract", "indicator")
    by_area = {}
    for link in links:
        by_area.setdefault(link.contract.service_area_id, set()).add(link.indicator.code)
    assert not set().union(*by_area.values()) & SOCIAL_WORK_KPIS
    assert Indicator.objects.get(code="SC03").contracts.count() == 0  # assessments per 10,000
    assert by_area["fostering"] <= PLACEMENT_KPIS and "SC09" in by_area["fostering"]
    assert by_area["residential"] <= PLACEMENT_KPIS and by_area["leaving_care"] >= {"SC14"}
    assert by_area["early_help"] <= {"EH01", "EH05"}
    fostering = Contract.objects.filter(title="Independent fostering placements")
    assert fostering.exists() and all({i.code for i in c.indicators.all()} == {"SC09", "SC12"} for c in fostering)
    # A contract serves the outcomes its KPIs measure, so its page lists both.
    for contract in Contract.objects.prefetch_related("indicators__outcomes", "outcomes"):
        kpi_outcomes = {o.pk for i in contract.indicators.all() for o in i.outcomes.all()}
        assert {o.pk for o in contract.outcomes.all()} == kpi_outcomes, contract.reference


def test_demo_key_decisions_are_approved_before_their_award(users):
    demo.load(users=users)
    today = timezone.localdate()
    items = list(ProcurementPlanItem.objects.filter(key_decision=True))
    approved = [i for i in items if i.approved_on]
    assert approved and len(approved) < len(items)  # some approved, some awaiting approval
    for item in items:
        item.full_clean()  # the model's rule: approved on or before the award date, not in the future
    for item in approved:
        assert item.approved_on <= today and item.approved_on < item.planned_award
        assert 30 <= (item.planned_award - item.approved_on).days <= 90, item.title
    # Approvals fall on the committees' own dates, not all on the day the demo was loaded.
    assert len({i.approved_on for i in approved}) == len(approved)
    awaiting = [i for i in items if not i.approved_on]
    assert all(i.planned_award - timedelta(days=30) > today for i in awaiting)


def test_demo_providers_are_judged_as_englands_are_and_contracts_spread_across_the_team(users):
    from collections import Counter

    demo.load(users=users)
    ratings = Counter(Provider.objects.exclude(ofsted_rating="").values_list("ofsted_rating", flat=True))
    rated = sum(ratings.values())
    assert rated >= 40
    # Ofsted: about 80% of children's homes and agencies Good or Outstanding, a few Inadequate.
    assert 0.75 <= (ratings["good"] + ratings["outstanding"]) / rated <= 0.9, ratings
    assert 0 < ratings["inadequate"] / rated <= 0.05, ratings
    managers = Counter(Contract.objects.exclude(contract_manager=None).values_list("contract_manager", flat=True))
    assert len(managers) >= 4
    commissioner = users["Commissioner"].pk
    assert max(managers, key=managers.get) == commissioner
    assert managers[commissioner] / sum(managers.values()) < 0.6
