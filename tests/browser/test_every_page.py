"""Every page of every role, on the demo data, in a real browser.

For each role, as the demo's own user in that role: every URL name the role may open (the permission
matrix's declarations) that gives an HTML page, with its arguments taken from demo records (a contract
with KPIs and reviews, a child with several placements...). Each page at 1280 and 390 px wide: axe-core
reports no WCAG 2.2 A/AA violations, the browser logs no console error, the page does not scroll sideways,
and it has one h1 and a title naming the council. Downloads (CSV, XLSX, PDF) and htmx fragments are
not pages and are left out. One test per role, so that pytest-xdist can run them side by side (about 300
visits in all; 6 minutes on a 2-core machine one after another); one tab for each role's walk: each page is
loaded at 1280 px, checked, then loaded again at 390 px and checked again.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.roles import ADMINISTRATOR, COMMISSIONER
from tests.test_permission_matrix import _declared_cases

from .conftest import axe_violations, sign_in

WIDTHS = (1280, 390)


def _first(queryset, **kwargs_of):
    obj = queryset.first()
    return None if obj is None else {key: get(obj) for key, get in kwargs_of.items()}


def demo_url_kwargs() -> dict[str, dict | None]:
    """Arguments for each URL name from demo records, chosen to fill the page (None: the demo has none)."""
    from django.db.models import Count

    from contracts.models import Contract, Framework, ProcurementPlanItem, Provider
    from finance.models import BudgetLine
    from kpis.models import Indicator
    from market.models import OfstedSetting, OwningGroup, QualityAction, QualityCheck
    from outcomes.models import Outcome
    from placements.models import Child, CostLine, PanelReview, Placement
    from plans.models import Action, Priority, Strategy
    from programme.models import Project, Risk
    from reports.models import ReportRun

    pk = {"pk": lambda o: o.pk}
    contract = Contract.objects.filter(indicators__isnull=False, reviews__isnull=False).order_by("reference")
    market_contract = Contract.objects.filter(contract_kpis__isnull=False).order_by("reference")
    provider = Provider.objects.annotate(n=Count("contracts")).order_by("-n", "name")
    framework = Framework.objects.annotate(n=Count("memberships")).order_by("-n", "name")
    placement = Placement.objects.filter(end__isnull=True, agreement__isnull=False).order_by("pk")
    child = Child.objects.annotate(n=Count("placements")).order_by("-n", "reference")
    strategy = Strategy.objects.annotate(n=Count("priorities")).order_by("-n", "pk")
    action = Action.objects.annotate(n=Count("updates")).order_by("-n", "pk")
    group = OwningGroup.objects.annotate(n=Count("ownerships")).order_by("-n", "name")
    checked = Provider.objects.filter(quality_checks__isnull=False).order_by("name")
    # One the demo commissioner leads: only its lead (or a gateway approver) may edit a project.
    commissioner = next(u[0] for u in DEMO_USERS if u[3] == COMMISSIONER)
    project = (Project.objects.filter(status="active", lead__username=commissioner).annotate(n=Count("risks"))
               .order_by("-n", "reference"))
    risk = Risk.objects.filter(actions__isnull=False, project__isnull=False).order_by("-score", "pk")
    by_name = {
        "contracts:detail": (contract, pk), "contracts:edit": (contract, pk), "contracts:decision": (contract, pk),
        "contracts:add_review": (contract, pk),
        "contracts:provider_detail": (provider, pk), "contracts:provider_edit": (provider, pk),
        "contracts:framework_detail": (framework, pk), "contracts:framework_edit": (framework, pk),
        "contracts:framework_add_member": (framework, pk),
        "contracts:framework_remove_member": (framework, {"pk": lambda f: f.pk,
                                                          "member_pk": lambda f: f.memberships.first().pk}),
        "contracts:plan_edit": (ProcurementPlanItem.objects.filter(approved_on__isnull=False).order_by("pk"), pk),
        "kpis:detail": (Indicator.objects.filter(contracts__isnull=False).order_by("code"), pk),
        "kpis:measurement_add": (Indicator.objects.order_by("code"), pk),
        "kpis:target_add": (Indicator.objects.order_by("code"), pk),
        "outcomes:detail": (Outcome.objects.filter(indicators__isnull=False, contracts__isnull=False).order_by("pk"),
                            pk),
        "placements:child": (child, pk),
        "placements:placement": (placement, pk), "placements:placement_edit": (placement, pk),
        "placements:cost_add": (placement, pk), "placements:ipa_edit": (placement, pk),
        "placements:panel_review_record": (PanelReview.objects.filter(held_on__isnull=True).order_by("due_on"), pk),
        "placements:cost_decide": (CostLine.objects.filter(status="awaiting_approval").order_by("pk"), pk),
        "finance:line": (BudgetLine.objects.order_by("-financial_year", "code"),
                         {"year": lambda b: b.financial_year, "code": lambda b: b.code}),
        "market:group_detail": (group, pk), "market:group_edit": (group, pk),
        "market:provider_detail": (checked, pk), "market:provider_group": (checked, pk),
        "market:check_create": (checked, pk),
        "market:action_add": (QualityCheck.objects.order_by("pk"), pk),
        "market:action_complete": (QualityAction.objects.filter(completed_on__isnull=True).order_by("pk"), pk),
        "market:setting_link": (OfstedSetting.objects.filter(provider__isnull=True).order_by("pk"), pk),
        "market:contract_performance": (market_contract, pk), "market:contract_kpi_create": (market_contract, pk),
        "market:contract_return": (market_contract, pk), "market:contract_rate": (market_contract, pk),
        "strategy_detail": (strategy, pk), "strategy_edit": (strategy, pk), "strategy_priority_create": (strategy, pk),
        "strategy_priority_edit": (Priority.objects.order_by("pk"), pk),
        "record_history": (child, {"app_label": lambda c: "placements", "model_name": lambda c: "child",
                                   "pk": lambda c: c.pk}),
        "actions_detail": (action, pk), "actions_edit": (action, pk), "actions_progress": (action, pk),
        "programme:project": (project, pk), "programme:project_edit": (project, pk),
        "programme:gateway": (project, pk), "programme:engagement_create": (project, pk),
        "programme:product": (project, {"pk": lambda p: p.pk, "kind": lambda p: "eia"}),
        "programme:risk": (risk, pk), "programme:risk_edit": (risk, pk),
    }
    for name in ("reports_detail", "reports_status", "reports_preview", "reports_download", "reports_retry"):
        by_name[name] = (ReportRun.objects.filter(status=ReportRun.Status.COMPLETE).order_by("-pk"), pk)
    return {name: _first(queryset, **kwargs_of) for name, (queryset, kwargs_of) in by_name.items()}


def _pages(demo_kwargs):
    """(name, url, which roles may open it, whether its arguments are demo records) for every HTML page."""
    from django.contrib.auth import get_user_model

    admin = Client()
    admin.force_login(get_user_model().objects.get(username=next(u[0] for u in DEMO_USERS if u[3] == ADMINISTRATOR)))
    pages = []
    # The matrix makes its own records for the names the demo has none for (no report has been built yet).
    for name, (kwargs, expected) in sorted(_declared_cases().items()):
        from_demo = demo_kwargs.get(name)
        url = reverse(name, kwargs=from_demo or kwargs or None)
        roles = [role for role, status in expected.items() if status == 200]
        if not roles:
            continue
        response = admin.get(url) if expected[ADMINISTRATOR] == 200 else None
        if response is not None and not (response.status_code == 200 and response["Content-Type"].startswith(
                "text/html") and response.content.lstrip().startswith(b"<!DOCTYPE html>")):
            continue  # a download or an htmx fragment
        pages.append((name, url, roles, bool(from_demo) or not kwargs))
    return pages


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data loaded once for the walks (which only read it), a live server of the module's own over it, and
    the pages to walk; afterwards the tables are emptied as a transactional test's are.

    Not pytest-django's live_server: a test that asks for that is made transactional, and its tables are emptied after
    it, demo data and all."""
    from django.apps import apps
    from pytest_django.live_server_helper import LiveServer

    from placements.reference import load_codes

    with django_db_blocker.unblock():
        load_codes(lambda name: apps.get_model("placements", name))  # a transactional test empties the tables
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
        try:
            pages = _pages(demo_url_kwargs())
            server = LiveServer("localhost")
            try:
                with server._live_server_modified_settings:
                    yield server, pages
            finally:
                server.stop()
        finally:
            # As TransactionTestCase empties them after each test.
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False, allow_cascade=False,
                         inhibit_post_migrate=False)


# django_db: so that pytest-django sets up the test database even when only these run; each test's transaction is
# the test thread's, and the live server's threads read what demo_site committed.
@pytest.mark.django_db
@pytest.mark.parametrize(("username", "role"), [(user[0], user[3]) for user in DEMO_USERS],
                         ids=[user[3] for user in DEMO_USERS])
def test_every_page_of_a_role_at_laptop_and_phone_widths(demo_site, page, username, role):
    live_server, pages = demo_site
    assert len(pages) > 60, [name for name, *_ in pages]
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    problems, visits = [], 0
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, username, DEMO_PASSWORD)
    for name, url, roles, _from_demo in pages:
        if role not in roles:
            continue
        where = f"{role}: {name} {url}"
        page.set_viewport_size({"width": 1280, "height": 900})
        console.clear()
        response = page.goto(f"{live_server.url}{url}")
        visits += 1
        if response.status != 200:
            problems.append(f"{where}: HTTP {response.status}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{where}: {page.locator('h1').count()} h1 elements")
        if "Example Borough Council" not in page.title():
            problems.append(f"{where}: title {page.title()!r}")
        for width in WIDTHS:
            if width != 1280:  # loaded again at a phone's width, as a phone would (filters fold on load)
                page.set_viewport_size({"width": width, "height": 900})
                page.reload()
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{where} at {width}px: the page is {scroll}px wide")
            problems += [f"{where} at {width}px: {v}" for v in axe_violations(page)]
        problems += [f"{where}: console error: {text}" for text in console]
    assert visits, f"no page for {role}"
    not_from_demo = [name for name, _url, _roles, from_demo in pages if not from_demo]
    assert not problems, (f"{visits} page visits; arguments not from the demo for {not_from_demo}\n"
                          + "\n".join(problems))
