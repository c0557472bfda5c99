import datetime

import factory
from django.utils import timezone

from plans.models import Action, ActionUpdate, Committee, Meeting, Priority, Strategy


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Committee {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    date = factory.Sequence(lambda n: timezone.localdate() + datetime.timedelta(days=14 + n))


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Children's commissioning strategy {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=4, day=1))
    ends_on = factory.LazyAttribute(
        lambda o: o.starts_on.replace(year=o.starts_on.year + 3) - datetime.timedelta(days=1)
    )
    status = Strategy.Status.APPROVED


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    subject = "Residential care"
    description = factory.Sequence(lambda n: f"Review residential placements, step {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Action.Status.IN_PROGRESS


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    noted_on = factory.LazyFunction(timezone.localdate)
    note = "Work continues."
    status_before = Action.Status.IN_PROGRESS
    status_after = Action.Status.IN_PROGRESS
