from datetime import date
from decimal import Decimal

import factory

from placements.models import (
    Child,
    CostLine,
    CostStatus,
    Episode,
    LegalStatus,
    PanelReview,
    Placement,
    PlacementAgreement,
    PlacementProvider,
    PlacementType,
    PostcodeDistrict,
)


def code(model, value):
    return model.objects.get(code=value)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    reference = factory.Sequence(lambda n: f"C{n:06d}")
    sex = "1"
    birth_month = 6
    birth_year = 2012


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement with one episode covering it (legal status C2 unless `legal_status` is given)."""

    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    start = date(2024, 6, 1)
    end = None
    placement_type = factory.LazyFunction(lambda: code(PlacementType, "U6"))
    provider_kind = factory.LazyFunction(lambda: code(PlacementProvider, "PR1"))
    route = "in_house"
    in_area = True

    @factory.lazy_attribute
    def care_period_start(self):
        return self.start

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        legal_status = kwargs.pop("legal_status", "C2")
        if isinstance(kwargs.get("placement_type"), str):
            kwargs["placement_type"] = code(PlacementType, kwargs["placement_type"])
        if isinstance(kwargs.get("provider_kind"), str):
            kwargs["provider_kind"] = code(PlacementProvider, kwargs["provider_kind"])
        placement = super()._create(model_class, *args, **kwargs)
        Episode.objects.create(
            placement=placement, child=placement.child, start=placement.start, end=placement.end,
            legal_status=code(LegalStatus, legal_status),
        )
        return placement


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementAgreement

    placement = factory.SubFactory(PlacementFactory, provider_kind="PR4", route="spot")
    status = "not_started"
    core_weekly = Decimal("900.00")


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    placement = factory.SubFactory(PlacementFactory)
    kind = "initial"
    weekly_amount = Decimal("1000.00")
    effective_from = factory.SelfAttribute("placement.start")
    reason = "Agreed price"
    status = CostStatus.IN_FORCE
    agreed_by = factory.SubFactory("placements.tests.factories.UserFactory")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"officer{n}")


class PanelReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelReview

    placement = factory.SubFactory(PlacementFactory)
    due_on = date(2026, 12, 1)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeDistrict
        django_get_or_create = ["code"]

    code = "RG1"
    latitude = Decimal("51.45400")
    longitude = Decimal("-0.97100")
