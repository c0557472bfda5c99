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
    assert statuses == {"live", "expired", "not_started", "terminated"}
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
