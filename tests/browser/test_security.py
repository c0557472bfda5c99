"""The Content-Security-Policy blocks nothing the service itself needs: GOV.UK Frontend starts (its
feature-detection inline script carries the nonce), htmx polls and swaps, the SVG charts draw; and an
injected inline script without the nonce is blocked. The `page` fixture fails any test on a violation."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from playwright.sync_api import expect

from core.roles import ADMINISTRATOR, COMMITTEE_OFFICER
from reports.models import ReportRun
from reports.services import report_run_execute

pytestmark = pytest.mark.browser


def _console_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_govuk_frontend_charts_and_htmx_run_under_the_policy(signed_in_page, live_server, csp_violations):
    from kpis.services import statuses_recompute
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory

    indicator = IndicatorFactory(code="SC30", unit="count")
    for month, value in ((3, 40), (6, 42), (9, 45)):
        MeasurementFactory(indicator=indicator, period_end=date(2025, month, 30 if month != 3 else 31),
                           value=Decimal(value))
    statuses_recompute()
    page = signed_in_page(ADMINISTRATOR)
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/")
    body_class = page.locator("body").get_attribute("class")
    assert "js-enabled" in body_class and "govuk-frontend-supported" in body_class
    page.goto(f"{live_server.url}/kpis/{indicator.pk}/")
    chart = page.locator("svg.app-chart").first
    assert chart.locator("circle").count() == 3
    assert chart.locator("polyline").first.evaluate("e => getComputedStyle(e).stroke") != "none"
    # GOV.UK Frontend's service navigation toggle only works once initAll() has run (module script).
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(page.locator("#navigation")).to_be_visible()
    assert not [e for e in errors if "Permissions-Policy" in e or "Content Security Policy" in e], errors


def test_report_status_polls_with_htmx_under_the_policy(signed_in_page, live_server):
    from plans.tests.factories import ActionFactory

    ActionFactory(subject="Sufficiency", description="Refresh the sufficiency statement")
    page = signed_in_page(COMMITTEE_OFFICER)
    page.goto(f"{live_server.url}/reports/new/")
    page.get_by_label("Action plan progress report").check(force=True)
    page.get_by_role("button", name="Continue").click()
    with mock.patch("reports.tasks.report_build.apply_async"):
        page.get_by_role("button", name="Build report").click()
        page.wait_for_load_state()
    run = ReportRun.objects.get()
    report_run_execute(run_id=run.pk)
    expect(page.locator(f"#run-{run.pk}")).to_contain_text("Complete", timeout=10_000)
    page.goto(f"{live_server.url}/reports/{run.pk}/preview/")
    assert page.locator("table.data th.col-40").first.evaluate("e => e.style.width") == ""


def test_an_injected_inline_script_is_blocked(signed_in_page, live_server, csp_violations):
    page = signed_in_page(ADMINISTRATOR)
    page.goto(f"{live_server.url}/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran === undefined")
    assert any("script-src" in v for v in csp_violations)
    csp_violations.clear()  # expected here; the fixture fails on any other
