from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Contract, ServiceArea
from contracts.tests.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = dict(
        reference="CS-001", title="Independent fostering placements",
        service_area=ServiceArea.objects.get(code="fostering"),
        provider=ProviderFactory(), contract_type="block", procurement_route="open",
        start_date=date(2024, 4, 1), end_date=date(2027, 3, 31), extension_options="12+12", extensions_used=0,
        annual_value=Decimal("250000"), total_value=Decimal("1250000"), risk="high",
    )
    fields.update(overrides)
    return fields


def test_create_stores_derived_dates_and_history(commissioner):
    contract = services.contract_create(user=commissioner, **_fields())
    assert contract.current_end == date(2027, 3, 31)
    assert contract.final_end == date(2029, 3, 31)
    assert contract.decision_due_on == date(2026, 9, 30)
    assert contract.next_review_due == date(2024, 5, 1)  # high risk: monthly from the start
    assert contract.history.first().history_user == commissioner


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"end_date": date(2024, 3, 1)}, "end_date", "must be the same as or after the start date"),
        ({"extension_options": "12,12"}, "extension_options", "months separated by +"),
        ({"extension_options": "12", "extensions_used": 2}, "extensions_used", "must be 1 or fewer"),
        ({"annual_value": Decimal("-1")}, "annual_value", "greater than or equal to 0"),
    ],
)
def test_create_refuses_with_a_clear_message(commissioner, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(user=commissioner, **_fields(**overrides))
    assert message in " ".join(exc.value.message_dict[field])
    assert not Contract.objects.exists()


def test_update_recomputes_dates(commissioner):
    contract = ContractFactory(risk="low")
    services.contract_update(contract=contract, user=commissioner, extensions_used=1, risk="high")
    contract.refresh_from_db()
    assert contract.current_end == date(2028, 3, 31)
    assert contract.next_review_due == date(2024, 5, 1)


def test_update_refuses_unknown_fields(commissioner):
    with pytest.raises(TypeError):
        services.contract_update(contract=ContractFactory(), user=commissioner, current_end=date(2030, 1, 1))


def test_extend_decision_takes_the_next_option_and_leaves_the_new_end_undecided(commissioner):
    contract = ContractFactory()
    contract = services.contract_record_decision(
        contract=contract, decision="extend", decided_by=commissioner, decided_on=date(2026, 9, 1))
    assert contract.extensions_used == 1
    assert contract.current_end == date(2028, 3, 31)
    assert contract.decision_for_end == date(2027, 3, 31)
    annotated = Contract.objects.with_status(date(2026, 11, 23)).get(pk=contract.pk)
    assert annotated.decision_recorded is False


def test_reprocure_decision_is_recorded_for_the_current_end(commissioner):
    contract = services.contract_record_decision(
        contract=ContractFactory(), decision="reprocure", decided_by=commissioner, decided_on=date(2026, 9, 1),
        note="Approved by DMT")
    annotated = Contract.objects.with_status(date(2026, 11, 23)).get(pk=contract.pk)
    assert annotated.decision_recorded is True
    assert contract.decision_by == commissioner and contract.decision_note == "Approved by DMT"


def test_cannot_extend_without_options_left(commissioner):
    contract = ContractFactory(extension_options="12", extensions_used=1)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_decision(contract=contract, decision="extend", decided_by=commissioner,
                                          decided_on=date(2026, 9, 1))
    assert "no extension left" in exc.value.message_dict["decision"][0]


def test_review_moves_next_review_due_only_forward(commissioner):
    contract = ContractFactory(risk="medium")
    services.contract_review_record(contract=contract, user=commissioner, reviewed_on=date(2026, 10, 15),
                                    kind="quality_visit", rating="good")
    contract.refresh_from_db()
    assert contract.last_reviewed_on == date(2026, 10, 15)
    assert contract.next_review_due == date(2027, 1, 15)
    services.contract_review_record(contract=contract, user=commissioner, reviewed_on=date(2026, 5, 1),
                                    kind="audit", rating="concerns")
    contract.refresh_from_db()
    assert contract.next_review_due == date(2027, 1, 15)
    assert contract.reviews.count() == 2


def test_sync_derived_follows_a_changed_lead_time(settings):
    contract = ContractFactory()
    assert contract.decision_due_on == date(2026, 9, 30)
    settings.CONTRACT_DECISION_LEAD_MONTHS = 9
    assert services.contracts_sync_derived() == 1
    contract.refresh_from_db()
    assert contract.decision_due_on == date(2026, 6, 30)
    assert services.contracts_sync_derived() == 0
