import pytest
from django.urls import reverse

from contracts.models import Contract
from contracts.tests.factories import ContractFactory, MembershipFactory, PlanItemFactory, ReviewFactory

pytestmark = pytest.mark.django_db
MODELS = ["provider", "framework", "frameworkmembership", "contract", "contractreview", "procurementplanitem",
          "alertsent"]


def test_admin_pages_load(admin_user_client):
    contract = ContractFactory()
    ReviewFactory(contract=contract)
    MembershipFactory()
    PlanItemFactory()
    for model in MODELS:
        response = admin_user_client.get(reverse(f"admin:contracts_{model}_changelist") + "?q=x")
        assert response.status_code == 200, model
    response = admin_user_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    assert response.status_code == 200 and contract.reference in response.content.decode()


def test_admin_edit_refreshes_derived_dates(admin_user_client):
    contract = ContractFactory(extension_options="12+12")
    response = admin_user_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update({"extensions_used": 2, "start_date": "2024-04-01", "end_date": "2027-03-31",
                 "reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0, "indicators": [], "outcomes": []})
    data["provider"] = contract.provider_id
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = admin_user_client.post(reverse("admin:contracts_contract_change", args=[contract.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Contract.objects.get(pk=contract.pk).current_end.isoformat() == "2029-03-31"
