"""List pages run the same number of queries whatever their size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.tests.factories import ContractFactory, ProviderFactory
from market import services
from market.models import OfstedSetting


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def grow(commissioner, n, start):
    today = timezone.localdate()
    for i in range(start, start + n):
        parent = services.group_create(user=commissioner, name=f"Group {i}")
        services.group_create(user=commissioner, name=f"Group {i} South", parent=parent)
        OfstedSetting.objects.create(urn=f"SC{500000 + i}", setting_name=f"Home {i}")
        contract = ContractFactory(provider=ProviderFactory(), total_value=Decimal("7000000"),
                                   annual_value=Decimal("1000000"), start_date=today - timedelta(days=30),
                                   end_date=today + timedelta(days=700))
        services.contract_performance_rate(contract=contract, user=commissioner, year_ending=today,
                                           rating="inadequate", reasons="Missed every target.")


@pytest.mark.django_db
@pytest.mark.parametrize("url, shows", [
    ("/market/groups/", "Group 0 South"),
    ("/market/ofsted/unmatched/", "Home 0"),
    ("/market/performance/", "Inadequate"),
])
def test_list_pages_run_the_same_queries_at_any_size(commissioner_client, commissioner, url, shows):
    grow(commissioner, 2, 0)
    commissioner_client.get(url)  # warm caches
    small, body = queries(commissioner_client, url)
    assert shows in body
    grow(commissioner, 8, 2)
    large, body = queries(commissioner_client, url)
    assert large == small
    assert "Group 9 South" in body or "Home 9" in body or body.count("Inadequate") >= 10


@pytest.mark.django_db
def test_the_unmatched_search_finds_by_urn_and_name(commissioner_client):
    OfstedSetting.objects.create(urn="SC600001", setting_name="Rose Cottage")
    OfstedSetting.objects.create(urn="SC600002", setting_name="Ivy House")
    body = commissioner_client.get("/market/ofsted/unmatched/?q=rose").content.decode()
    assert "Rose Cottage" in body and "Ivy House" not in body
    body = commissioner_client.get("/market/ofsted/unmatched/?q=SC600002").content.decode()
    assert "Ivy House" in body and "Rose Cottage" not in body
