import pytest
from django.urls import reverse

from .factories import ActionFactory, ReportRunFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_record_pages_link_to_a_working_history_page(committee_client):
    for obj, model in [(StrategyFactory(), "strategy"), (ActionFactory(), "action"), (ReportRunFactory(), "reportrun")]:
        page = committee_client.get(obj.get_absolute_url()).content.decode()
        url = reverse("record_history", args=["commissioning", model, obj.pk])
        assert url in page, model
        assert committee_client.get(url).status_code == 200, model
