import factory

from core.periods import Quarter
from reports.models import ReportRun


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRun

    kind = ReportRun.Kind.ACTIONS
    period = "2025-Q4"
    period_start = factory.LazyAttribute(lambda o: Quarter.parse(o.period).start)
    period_end = factory.LazyAttribute(lambda o: Quarter.parse(o.period).end)
    as_of = factory.LazyAttribute(lambda o: o.period_end)
    parameters = factory.LazyAttribute(lambda o: {"sections": [o.kind] if o.kind != "pack" else []})
    title = "Action plan progress report"
