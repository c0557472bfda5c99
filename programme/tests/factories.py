import datetime

import factory
from django.utils import timezone

from contracts.models import ServiceArea
from programme.models import Engagement, Option, Product, Project, Risk


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    reference = factory.Sequence(lambda n: f"CP-{n:03d}")
    title = factory.Sequence(lambda n: f"Recommission supported accommodation for care leavers {n}")
    service_area = factory.LazyFunction(lambda: ServiceArea.objects.get(code="leaving_care"))
    stage = "Analyse"
    next_gateway_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    project = factory.SubFactory(ProjectFactory)
    kind = "needs_analysis"
    status = "approved"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    description = factory.Sequence(lambda n: f"Too few local providers bid for the lots ({n})")
    likelihood = 3
    impact = 4
    score = factory.LazyAttribute(lambda o: o.likelihood * o.impact)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    project = factory.SubFactory(ProjectFactory)
    group = "children"
    method = "Children in Care Council session"
    held_on = factory.LazyFunction(timezone.localdate)
    you_said = "We want to live near our school and friends."
    we_did = "Lots are drawn by district so homes are local."


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    product = factory.SubFactory(ProductFactory, kind="options_appraisal", status="draft")
    name = factory.Sequence(lambda n: f"Option {n}: block contract")
    cost = 250000
    score = 60


def gateway_approver(user):
    """Give `user` the gateway approver permission, as an administrator does in the admin (no role holds it)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(content_type__app_label="programme", codename="decide_gateway"))
    return user
