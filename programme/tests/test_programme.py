"""The programme page: by stage and service area, RAG for time, money and risk, gateways, red risks, engagement."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme import selectors

from .factories import EngagementFactory, ProductFactory, ProjectFactory, RiskFactory
from .pages import TEST_DAY, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_test_day")]
TODAY = TEST_DAY


@pytest.mark.parametrize(("due", "needs", "rag"), [
    (None, True, "no_data"), (datetime.date(2026, 6, 9), False, "red"), (datetime.date(2026, 6, 20), True, "amber"),
    (datetime.date(2026, 6, 20), False, "green"), (datetime.date(2026, 8, 20), True, "green"),
])
def test_time_rag(due, needs, rag):
    project = ProjectFactory(next_gateway_due=due)
    if not needs:
        ProductFactory(project=project, kind="needs_analysis")
    row = selectors.with_figures(selectors.project_list(as_of=TODAY).filter(pk=project.pk))[0]
    assert selectors.time_rag(row, as_of=TODAY) == rag


@pytest.mark.parametrize(("stage", "target", "delivered", "rag"), [
    ("Plan", 100, 0, "no_data"), ("Do", 0, 0, "no_data"), ("Do", 100, 100, "green"), ("Review", 100, 75, "amber"),
    ("Review", 100, 74, "red"),
])
def test_money_rag(stage, target, delivered, rag):
    project = ProjectFactory.build(stage=stage, savings_target=Decimal(target), savings_delivered=Decimal(delivered))
    assert selectors.money_rag(project) == rag


def test_programme_page_shows_stages_gateways_red_risks_and_engagement(viewer_client):
    late = ProjectFactory(reference="CP-1", title="Residential block contract", stage="Do",
                          next_gateway_due=datetime.date(2026, 6, 1))
    ProjectFactory(reference="CP-2", stage="Analyse", next_gateway_due=datetime.date(2026, 7, 1),
                   service_area_id="send")
    RiskFactory(project=late, description="Provider market collapses", likelihood=5, impact=5)
    RiskFactory(project=None, description="Programme risk: analyst post vacant", likelihood=4, impact=4)
    RiskFactory(project=late, description="Minor delay", likelihood=1, impact=2)
    EngagementFactory(project=late, group="parents", we_did="")
    html = page_text(viewer_client.get(reverse("programme:index")))
    assert "1 gateway is overdue." in html
    assert "Award or in-house decision" in html  # what the overdue gateway still needs
    assert "Provider market collapses" in html and "The programme" in html and "Minor delay" not in html
    assert "Parents and carers: 1 engagement, 0 leading to a change" in html
    assert "July 2026" in html
    filtered = page_text(viewer_client.get(reverse("programme:index") + "?stage=Analyse"))
    assert "CP-2" in filtered and "Residential block contract" not in filtered


def test_programme_page_runs_the_same_queries_at_any_size(viewer_client):
    ProjectFactory()
    url = reverse("programme:index")
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(url)
    for n in range(5):
        project = ProjectFactory(stage=["Analyse", "Plan", "Do", "Review", "Plan"][n])
        RiskFactory(project=project, likelihood=5, impact=4)
        EngagementFactory(project=project)
    with CaptureQueriesContext(connection) as big:
        viewer_client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)
