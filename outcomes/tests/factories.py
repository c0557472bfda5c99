import factory

from outcomes.models import AgeBand, Outcome, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    head_of_service = "Head of Service for Education"
    order = factory.Sequence(lambda n: n)


class AgeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeBand
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Age band {n}")
    order = factory.Sequence(lambda n: n)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    statement = factory.Sequence(lambda n: f"Children make good progress ({n})")
    theme = factory.SubFactory(ThemeFactory)
    age_band = factory.SubFactory(AgeBandFactory)
