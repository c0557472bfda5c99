"""Browser tests: Playwright for Python driving Debian's Chromium against a live server,
with axe-core (from npm, injected into each page) checking WCAG 2.2 A/AA."""

import functools
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "browser-test-password-1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the test thread is not serving requests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make install` installs Debian's chromium")
        pytest.skip("Chromium is not installed (make install puts it there)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation (a blocked inline script, style or handler) to the test.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.documentURI}: ${e.sample}`));"""


@pytest.fixture
def csp_violations():
    return []


@pytest.fixture
def page(browser, csp_violations):
    """A page whose test fails if the browser blocks anything under the Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.expose_binding("__cspViolation", lambda _source, text: csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def demo_data(transactional_db):
    """The demo data, as `make run` loads it."""
    from django.apps import apps

    from placements.reference import load_codes

    load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture
def role_user(transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    from core.roles import ADMINISTRATOR

    def make(role):
        username = role.lower().replace(" ", "_")
        user = django_user_model.objects.filter(username=username).first()
        if user is None:
            user = django_user_model.objects.create_user(
                username=username, password=PASSWORD, first_name=role.split()[0], last_name="Tester",
                is_staff=role == ADMINISTRATOR,
            )
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def sign_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def fill_date(page, legend: str, text: str):
    """Type a date as a person does into GOV.UK's date input (Day, Month, Year) named by its legend."""
    day, month, year = text.split("/")
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        group.get_by_label(label, exact=True).fill(value)


@pytest.fixture
def signed_in_page(page, live_server, role_user):
    """`signed_in_page(role)` returns the page signed in as a new user in that role."""

    def go(role):
        user = role_user(role)
        sign_in(page, live_server, user.username)
        return page

    return go


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


# resultTypes: axe still runs every rule on every node, but gives every node only for violations (one each for passes
# and the rest, which nothing here reads), and only the violations come back from the browser. Describing every
# passing node was about a third of axe's time on the walk through every page.
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                               targets: v.nodes.map(n => n.target)})))"""


def axe_violations(page):
    # Evaluated through the DevTools protocol rather than added as an inline <script>, which the
    # Content-Security-Policy (rightly) blocks.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {v['targets'][:5]}"
        for v in page.evaluate(AXE_RUN, AXE_TAGS)
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert not violations, f"axe-core found WCAG A/AA violations on {page.url}:\n" + "\n".join(violations)

    return check
