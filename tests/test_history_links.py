import pytest
from django.urls import reverse

from plans.tests.factories import ActionFactory, StrategyFactory
from reports.tests.factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def test_record_pages_link_to_a_working_history_page(committee_client):
    for obj, app, model in [
        (StrategyFactory(), "plans", "strategy"),
        (ActionFactory(), "plans", "action"),
        (ReportRunFactory(), "reports", "reportrun"),
    ]:
        page = committee_client.get(obj.get_absolute_url()).content.decode()
        url = reverse("record_history", args=[app, model, obj.pk])
        assert url in page, model
        assert committee_client.get(url).status_code == 200, model


def test_history_links_from_before_the_move_to_plans_and_reports_still_work(committee_client):
    action = ActionFactory()
    response = committee_client.get(reverse("record_history", args=["commissioning", "action", action.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("record_history", args=["plans", "action", action.pk])
