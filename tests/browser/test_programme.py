"""The gateway decision, which no role opens (an administrator names the gateway approver), walked by the head of
commissioning at a laptop's and a phone's width: accessible, no sideways scroll, and its error summary when sent
empty. The every-page walk cannot reach it, as it visits pages by role."""

import pytest
from django.urls import reverse

from core.roles import COMMISSIONER
from programme.tests.factories import ProjectFactory, gateway_approver

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_head_of_commissioning_decides_a_gateway_on_an_accessible_page(page, live_server, role_user):
    head = gateway_approver(role_user(COMMISSIONER))
    project = ProjectFactory(title="Short breaks for disabled children")  # led by no one: a second person decides
    sign_in(page, live_server, head.username)
    url = f"{live_server.url}{reverse('programme:gateway', kwargs={'pk': project.pk})}"
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert page.locator("h1").count() == 1 and "Short breaks for disabled children" in page.content()
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{width}px: the page is {scroll}px wide")
        problems += [f"{width}px: {v}" for v in axe_violations(page)]
    page.locator("main form[method=post] button[type=submit], main form[method=post] button:not([type])").last.click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").count() == 1
    problems += [f"with errors: {v}" for v in axe_violations(page)]
    assert not problems, "\n".join(problems)
