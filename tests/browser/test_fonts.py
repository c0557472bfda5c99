"""A page draws every character in the fonts the project ships, never in one of the machine's: what Arimo lacks
(arrows, signs, Latin Extended letters) comes from Liberation Sans and the Noto symbol fonts, from static files."""

import json

from django.urls import reverse

from core.roles import COMMISSIONER

SHIPPED_FAMILIES = {"Arimo", "Liberation Sans", "Noto Sans Symbols 2", "Noto Sans Math"}
NAME = "Zoë Łukasz → placements ≤ 12 weeks ✓ ↗"


def test_a_kpi_named_with_arrows_signs_and_accents_is_drawn_in_the_shipped_fonts(
    signed_in_page, live_server, transactional_db,
):
    from kpis.tests.factories import IndicatorFactory

    IndicatorFactory(name=NAME)
    page = signed_in_page(COMMISSIONER)
    page.goto(live_server.url + reverse("kpis:index"))
    link = page.get_by_role("link", name=NAME)
    assert link.inner_text() == NAME
    page.evaluate("document.fonts.ready.then(() => true)")  # the fonts the page asked for have loaded

    # Chromium's own account of the fonts that drew the link's text (DevTools protocol)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("DOM.getDocument")
    found = cdp.send("Runtime.evaluate", {
        "expression": f"[...document.querySelectorAll('a')].find(a => a.textContent.trim() === {json.dumps(NAME)})",
    })
    node_id = cdp.send("DOM.requestNode", {"objectId": found["result"]["objectId"]})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    assert {font["familyName"] for font in fonts} == SHIPPED_FAMILIES, fonts
    assert all(font["isCustomFont"] for font in fonts), fonts  # loaded by @font-face, not installed
