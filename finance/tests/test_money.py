"""Money as the council writes it, on the finance pages and in the committee report."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from finance import reports, selectors
from finance.tests.test_views import AS_OF, fostering, homes, lines  # noqa: F401 - lines is a fixture

MINUS = "\u2212"


def test_the_budget_page_gives_whole_pounds_and_underspends_with_a_minus_sign(commissioner_client, lines):  # noqa: F811
    homes(10)
    fostering(8, weekly="700.35")  # 52 weeks and a night of pennies: £292,146.00 for the line
    html = commissioner_client.get(reverse("finance:index"), {"year": 2025, "as_of": AS_OF}).content.decode()
    fos = html[html.index('data-code="FOS"'):]
    fos = fos[:fos.index("</tr>")]
    # 8 x 365 x 700.35 / 7 = £292,146.00: £7,854 under a £300,000 budget
    assert ">£292,146<" in fos and f">{MINUS}£7,854<" in fos
    assert f">{MINUS}£400,000<" in html  # residential schools: budgeted, nothing placed
    assert "£-" not in html and ".00<" not in html


def _shown(*, committed: str) -> dict:
    line = selectors.ForecastLine(code="HOMES", name="External children's homes", budget=D("1000000.00"),
                                  savings_target=D("0.00"), actual_to_date=D("500000.25"), committed=D(committed),
                                  placements=12, children=12)
    figures = selectors.Forecast(year=2025, as_of=date(2025, 9, 30), lines=[line])
    return reports.position_of(figures)


def test_the_financial_implications_round_halves_up_as_every_page_does():
    text = reports.financial_implications_text(as_of=date(2025, 9, 30), shown=_shown(committed="501234.25"))
    # forecast £1,001,234.50: £1,235 over, not £1,234 (round half to even)
    assert "the forecast outturn is £1,001,235, an overspend of £1,235" in text
    assert "External children's homes (£1,235 over)" in text
    under = reports.financial_implications_text(as_of=date(2025, 9, 30), shown=_shown(committed="466681.39"))
    assert "an underspend of £33,318" in under  # 1,000,000 - 966,681.64


@pytest.mark.parametrize("in_thousands, cells", [
    (False, ["£1,000,000", "£500,000", "£466,681", "£966,682", f"{MINUS}£33,318"]),
    (True, ["1,000", "500", "467", "967", f"{MINUS}33"]),
])
def test_the_financial_position_table_prints_pounds_or_thousands(settings, in_thousands, cells):
    settings.REPORTS_FINANCE_IN_THOUSANDS = in_thousands
    shown = _shown(committed="466681.39")
    context = {**shown, **reports.money_columns(), "day": date(2025, 9, 30), "marker": "[c]", "implications": "",
               "section": {"number": 4}}
    html = render_to_string("finance/pdf/section.html", context)
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    assert body.count('<td class="num">') == 5
    assert [c.split("<")[0] for c in body.split('<td class="num">')[1:]] == cells
    assert ("Budget (£000)" in html) == in_thousands
