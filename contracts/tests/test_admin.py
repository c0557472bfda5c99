from datetime import date

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


def _change_form_data(admin_user_client, contract, **extra):
    response = admin_user_client.get(reverse("admin:contracts_contract_change", args=[contract.pk]))
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update({"reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0, "provider": contract.provider_id})
    data.update(extra)
    return {k: v for k, v in data.items() if not isinstance(v, list) or v}


def test_a_review_added_in_the_contract_admin_moves_the_next_review_as_the_service_does(admin_user_client):
    contract = ContractFactory(start_date=date(2024, 4, 1), risk="medium")
    assert contract.last_reviewed_on is None and contract.next_review_due == date(2024, 7, 1)
    data = _change_form_data(admin_user_client, contract, **{
        "reviews-TOTAL_FORMS": 1, "reviews-0-reviewed_on": "2026-05-12", "reviews-0-kind": "review_meeting",
        "reviews-0-rating": "good", "reviews-0-findings": "", "reviews-0-actions": "",
    })
    response = admin_user_client.post(reverse("admin:contracts_contract_change", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.last_reviewed_on == date(2026, 5, 12)
    assert contract.next_review_due == date(2026, 8, 12)  # medium risk: quarterly


def test_a_review_changed_or_deleted_in_the_review_admin_moves_the_next_review(admin_user_client):
    contract = ContractFactory(start_date=date(2024, 4, 1), risk="high")
    review = ReviewFactory(contract=contract, reviewed_on=date(2026, 1, 10))
    url = reverse("admin:contracts_contractreview_change", args=[review.pk])
    response = admin_user_client.get(url)
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    data.update({"contract": contract.pk, "reviewed_on": "2026-02-03"})
    assert admin_user_client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert (contract.last_reviewed_on, contract.next_review_due) == (date(2026, 2, 3), date(2026, 3, 3))
    response = admin_user_client.post(reverse("admin:contracts_contractreview_delete", args=[review.pk]),
                                      {"post": "yes"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.last_reviewed_on, contract.next_review_due) == (None, date(2024, 5, 1))
