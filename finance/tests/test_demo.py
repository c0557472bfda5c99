from django.utils import timezone

from core.periods import financial_year_of
from finance import demo, rules, selectors
from finance.models import BudgetLine, ForecastSnapshot
from placements import demo as placements_demo


def test_demo_budgets_fit_the_demo_placements_with_two_lines_overspending(users):
    placements_demo.load(users=users)
    demo.load(users=users)
    today = timezone.localdate()
    figures = selectors.forecast(year=financial_year_of(today), as_of=today)
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


def test_the_demo_forecast_history_moves_as_a_real_year_does(users):
    import time_machine

    from core.formatting import format_money

    with time_machine.travel("2026-12-07 09:00Z", tick=False):
        placements_demo.load(users=users)
        demo.load(users=users)
    days = {}
    for s in ForecastSnapshot.objects.filter(financial_year=2026):
        days[s.as_of] = days.get(s.as_of, 0) + s.forecast
    totals = [days[d] for d in sorted(days)]
    assert len(totals) == 8  # the end of April to the end of November
    changes = [b - a for a, b in zip(totals, totals[1:], strict=False)]
    print([format_money(t) for t in totals], [format_money(c) for c in changes])
    # Placements that start through the year join the forecast: thousands of pounds a month, not pennies.
    assert all(abs(c) >= 1000 for c in changes), changes
    assert totals[-1] - totals[0] >= 50_000
