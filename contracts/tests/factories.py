from datetime import date
from decimal import Decimal

import factory

from contracts import services
from contracts.models import (
    Contract,
    ContractReview,
    Framework,
    FrameworkMembership,
    ProcurementPlanItem,
    Provider,
)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n:04d} Ltd")
    kind = "private"
    ofsted_rating = "good"
    ofsted_urn = factory.Sequence(lambda n: f"SC{100000 + n}")
    companies_house_number = factory.Sequence(lambda n: f"{10000000 + n}")
    is_sme = True


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Regional framework {n}")
    service_area_id = "fostering"
    lead_authority = "Example Borough Council"
    start_date = date(2024, 4, 1)
    end_date = date(2027, 3, 31)
    extension_options = "12+12"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkMembership

    framework = factory.SubFactory(FrameworkFactory)
    provider = factory.SubFactory(ProviderFactory)
    tier = 1
    agreed_weekly_price = Decimal("950.00")


class ContractFactory(factory.django.DjangoModelFactory):
    """Derived dates are filled in by the same service code the application uses."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"CON-{n:05d}")
    title = factory.Sequence(lambda n: f"Supported accommodation service {n}")
    service_area_id = "leaving_care"
    provider = factory.SubFactory(ProviderFactory)
    contract_type = "block"
    procurement_route = "open"
    start_date = date(2024, 4, 1)
    end_date = date(2027, 3, 31)
    extension_options = "12+12"
    extensions_used = 0
    annual_value = Decimal("100000.00")
    total_value = Decimal("500000.00")
    risk = "medium"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        indicators = kwargs.pop("indicators", None)
        contract = model_class(*args, **kwargs)
        services.contract_refresh_derived(contract=contract)
        contract.save()
        if indicators:
            contract.indicators.set(indicators)
        return contract


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractReview

    contract = factory.SubFactory(ContractFactory)
    reviewed_on = date(2026, 6, 1)
    kind = "review_meeting"
    rating = "good"
    findings = "Outcomes on track."


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcurementPlanItem

    title = factory.Sequence(lambda n: f"Planned procurement {n}")
    service_area_id = "fostering"
    estimated_value = Decimal("1200000")
    planned_start = date(2027, 1, 10)
    planned_award = date(2027, 5, 1)
    key_decision = True
    approving_body = "Finance Sub-Committee"
