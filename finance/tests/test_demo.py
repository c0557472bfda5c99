from django.utils import timezone

from finance import demo, rules, selectors
from finance.models import BudgetLine, ForecastSnapshot
from placements import demo as placements_demo


def test_demo_budgets_fit_the_demo_placements_with_two_lines_overspending(users):
    placements_demo.load(users=users)
    demo.load(users=users)
    today = timezone.localdate()
    figures = selectors.forecast(year=rules.year_of(today), as_of=today)
    assert [line.code for line in figures.overspending] == ["PL02", "PL04"]  # agency fostering, external homes
    for line in figures.lines:
        assert line.code != rules.UNBUDGETED
        if line.forecast:
            assert abs(line.variance) / line.forecast < 0.12, line.code  # budgets close to what is spent
    assert figures.line("PL04").rag == "red"
    snapshots = ForecastSnapshot.objects.count()
    assert snapshots == len(figures.lines) * len({s.as_of for s in ForecastSnapshot.objects.all()})
    demo.load(users=users)
    assert (BudgetLine.objects.count(), ForecastSnapshot.objects.count()) == (len(demo.LINES), snapshots)
