"""The main pages fit a phone, a tablet, a laptop and a wide screen: no sideways page scroll at any width
(wide tables scroll inside their own wrapper), and no WCAG 2.2 A/AA violations at laptop and phone widths."""

from django.urls import reverse

from core.roles import COMMISSIONER

from .conftest import PASSWORD, axe_violations, sign_in

WIDTHS = [320, 390, 768, 1280, 1920]
AXE_WIDTHS = {1280, 390}


def main_pages() -> list[tuple[str, str]]:
    from contracts.models import Contract
    from kpis.models import Indicator

    return [
        ("home", reverse("home")),
        ("KPI list", reverse("kpis:index")),
        ("KPI page", Indicator.objects.order_by("code").first().get_absolute_url()),
        ("contracts register", reverse("contracts:index")),
        ("contract page", Contract.objects.order_by("reference").first().get_absolute_url()),
        ("placements dashboard", reverse("placements:index")),
        ("IPA queue", reverse("placements:ipa_queue")),
        ("action plan", reverse("actions")),
        ("reports", reverse("reports")),
    ]


def test_main_pages_fit_every_width_with_no_sideways_scroll(demo_data, page, live_server, django_user_model):
    from django.contrib.auth.models import Group

    # Not the demo's own commissioner, whose password the test does not know.
    user = django_user_model.objects.create_user(username="layout_check", password=PASSWORD, first_name="Layout")
    user.groups.add(Group.objects.get(name=COMMISSIONER))
    sign_in(page, live_server, user.username)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in main_pages():
            page.goto(f"{live_server.url}{url}")
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{name} at {width}px: the page is {scroll}px wide")
            if name == "KPI list" and width < 641:
                folded = page.locator("details.app-filter-details:not([open]) form.app-filters")
                if folded.count() != 1:
                    problems.append(f"KPI filters are not folded away at {width}px")
            if width == 390:
                unlabelled = page.evaluate("""() => [...document.querySelectorAll('.app-table-wrapper')]
                    .filter(w => w.scrollWidth > w.clientWidth + 1
                            && !(w.getAttribute('role') === 'region' && w.getAttribute('aria-label')
                                 && w.tabIndex === 0)).length""")
                if unlabelled:
                    problems.append(f"{name} at {width}px: {unlabelled} scrolling tables not in a focusable region")
            if width in AXE_WIDTHS:
                problems += [f"{name} at {width}px: {v}" for v in axe_violations(page)]
        if width == 1280:
            sign_out = page.get_by_role("button", name="Sign out").bounding_box()
            if sign_out["x"] + sign_out["width"] > width:
                problems.append(f"Sign out is clipped at {width}px")
            main = page.locator("main").bounding_box()
            if main["x"] < 15:
                problems.append(f"no side margin at {width}px (content starts at {main['x']}px)")
    assert not problems, "\n".join(problems)
