"""How the KPI pages and the viewer's home look at 1280 and 390px: buttons that can be seen on their panel, a colour
for every status, a KPI list that is not a very long page, tags that wrap between words, charts that name their
periods. axe-core checks each page too."""

import pytest

from core.roles import COMMISSIONER

# WCAG relative luminance and contrast, in the page, for computed rgb() colours.
CONTRAST_JS = """([a, b]) => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); }"""

# Words inside a tag drawn on two lines: one text range per word, more than one line box means it was cut.
CUT_TAGS_JS = """() => [...document.querySelectorAll('.govuk-tag')].filter(t => t.offsetParent).flatMap(tag => {
  const node = [...tag.childNodes].find(n => n.nodeType === 3 && n.textContent.trim()); if (!node) return [];
  const text = node.textContent, cut = []; let at = 0;
  for (const word of text.split(/\\s+/).filter(Boolean)) {
    const start = text.indexOf(word, at); at = start + word.length;
    const range = document.createRange(); range.setStart(node, start); range.setEnd(node, at);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) cut.push(word);
  } return cut; })"""


@pytest.fixture
def demo_kpis(transactional_db, role_user):
    from kpis import demo as kpi_demo
    from outcomes import demo as outcome_demo

    users = {COMMISSIONER: role_user(COMMISSIONER)}
    outcome_demo.load(users=users)
    kpi_demo.load(users=users)


def test_kpi_list_reads_at_laptop_and_phone_widths(demo_kpis, signed_in_page, live_server, assert_accessible):
    from kpis.models import Indicator

    page = signed_in_page(COMMISSIONER)
    page.goto(f"{live_server.url}/kpis/")
    kpis = Indicator.objects.filter(active=True).count()
    assert page.locator("table tbody tr").count() == kpis >= 30

    # The list is a page, not a scroll of 6,000px (38 KPIs made 6,158px with a 110px name column), and it fits.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 130 * kpis, f"{kpis} KPIs make a {height}px page"
    name_width = page.locator("table th.app-col-name").bounding_box()["width"]
    assert name_width >= 250, f"the KPI name column is {name_width}px wide"
    assert page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.app-table-wrapper'))")

    # The filter panel's button: its edge stands out from the panel (WCAG 2.2 1.4.11, 3:1).
    button = page.get_by_role("button", name="Apply filters")
    edge, panel = button.evaluate(
        "b => [getComputedStyle(b).borderTopColor, getComputedStyle(b.closest('.app-filters')).backgroundColor]")
    assert edge.startswith("rgb(") and page.evaluate(CONTRAST_JS, [edge, panel]) >= 3, edge  # rgba(0, 0, 0, 0): none

    # Every status card has its own colour, and its words are AA (4.5:1) on it.
    cards = page.locator("#rag-counts .app-status-card")
    looks = cards.evaluate_all("cs => cs.map(c => [c.querySelector('[data-status]').dataset.status, "
                               "getComputedStyle(c).backgroundColor, getComputedStyle(c).color])")
    assert [s for s, _, _ in looks] == ["red", "amber", "green", "no_data", "no_target"]
    assert len({bg for s, bg, _ in looks if s in ("red", "amber", "green")}) == 3
    assert len({bg for _, bg, _ in looks}) == 4  # no data and no target share grey
    for status, background, colour in looks:
        assert page.evaluate(CONTRAST_JS, [colour, background]) >= 4.5, status
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/kpis/")
    assert page.evaluate(CUT_TAGS_JS) == []
    assert_accessible(page)


def test_a_kpi_chart_names_its_periods_and_values_carry_their_unit(demo_kpis, signed_in_page, live_server):
    from kpis.models import Indicator, Unit

    page = signed_in_page(COMMISSIONER)
    indicator = (Indicator.objects.filter(unit=Unit.RATE, rate_per__isnull=False)
                 .order_by("code").first())
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    labels = page.locator("svg.app-chart text[text-anchor=middle]").all_inner_texts()
    assert len(labels) >= 4, labels
    assert f"per {indicator.rate_per:,}" in page.locator("#measurements tbody tr").first.inner_text()


def test_the_viewers_home_reads_at_laptop_and_phone_widths(demo_kpis, signed_in_page, live_server, assert_accessible):
    from core.roles import VIEWER
    from kpis.models import Indicator

    kpis = str(Indicator.objects.filter(active=True).count())
    page = signed_in_page(VIEWER)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}/")
        rows = page.locator("#rag-by-theme tbody tr")
        assert rows.count() == 4  # three themes and all of them
        assert rows.last.locator("td").last.inner_text() == kpis
        assert page.get_by_role("heading", name="Children looked after").is_visible()
        assert page.evaluate(CUT_TAGS_JS) == []
        assert_accessible(page)
