"""Every list that runs past a page links on to the next, keeping its filters and sort, until the last row."""

import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.tests.factories import ContractFactory, ProviderFactory
from core.models import ImportRecord
from core.templatetags.govuk import page_numbers
from kpis.tests.factories import IndicatorFactory
from market.models import OfstedSetting
from placements.tests.factories import ChildFactory, PlacementFactory
from plans.tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def walk(client, url: str) -> list[dict]:
    """Open the list, then follow each page's "Next" link; what each page showed, in order."""
    path = url.split("?")[0]
    pages = []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
        summary = re.search(r'data-pagination-summary>([^<]*)<', html)
        current = re.search(r'<a class="govuk-link govuk-pagination__link" href="[^"]*" aria-label="Page (\d+)" '
                            r'aria-current="page">', html)
        following = re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">', html)
        pages.append({
            "rows": body.split("<tr")[1:], "summary": summary and summary.group(1),
            "current": current and int(current.group(1)), "previous": 'rel="prev"' in html,
            "next": following and unescape(following.group(1)), "queries": len(queries.captured_queries),
        })
        url = path + pages[-1]["next"] if following else None
        assert len(pages) < 10, "the links go round in circles"
    return pages


def _contracts():
    for n in range(53):
        ContractFactory(reference=f"PAG-{n:03d}")
    ContractFactory.create_batch(3)  # filtered out by q=PAG


def _providers():
    for n in range(53):
        ProviderFactory(name=f"Paging provider {n:03d}")
    ProviderFactory.create_batch(3)


def _placements():
    for n in range(53):
        PlacementFactory(child=ChildFactory(reference=f"PAG{n:03d}"), route="spot")
    PlacementFactory.create_batch(3, route="in_house")


def _indicators():
    for n in range(53):
        IndicatorFactory(code=f"PAG{n:03d}")
    IndicatorFactory.create_batch(3)


def _strategies():
    for n in range(28):
        StrategyFactory(title=f"Paging strategy {n:03d}")


def _imports():
    for n in range(53):
        ImportRecord.objects.create(area="contracts", kind="contracts", filename=f"PAG{n:03d}.csv", sha256="0" * 64)


def _settings():
    for n in range(53):
        OfstedSetting.objects.create(urn=f"PAG{n:03d}", setting_name="Paging home")
    OfstedSetting.objects.create(urn="SC999999", setting_name="Another home")


# (list, rows made, address with filters and sort, what a row is called, how a row is named, rows per page,
#  the names in the order the list gives them)
LISTS = [
    ("contracts:index", _contracts, "?q=PAG&sort=-reference", "contracts", r"PAG-\d{3}", 50,
     [f"PAG-{n:03d}" for n in reversed(range(53))]),
    ("contracts:providers", _providers, "?name=Paging&sort=-name", "providers", r"Paging provider \d{3}", 50,
     [f"Paging provider {n:03d}" for n in reversed(range(53))]),
    ("placements:list", _placements, "?route=spot&sort=-child", "placements", r"PAG\d{3}", 50,
     [f"PAG{n:03d}" for n in reversed(range(53))]),
    ("kpis:index", _indicators, "?q=PAG&sort=-code", "KPIs", r"PAG\d{3}", 50,
     [f"PAG{n:03d}" for n in reversed(range(53))]),
    ("strategy", _strategies, "", "strategies", r"Paging strategy \d{3}", 25,
     [f"Paging strategy {n:03d}" for n in range(28)]),
    ("contracts:imports", _imports, "", "imports", r"PAG\d{3}", 50,
     [f"PAG{n:03d}" for n in reversed(range(53))]),
    ("market:unmatched", _settings, "?q=PAG", "settings", r"PAG\d{3}", 50,
     [f"PAG{n:03d}" for n in range(53)]),
]


@pytest.mark.parametrize(("name", "build", "query", "noun", "row_name", "per_page", "expected"), LISTS,
                         ids=[case[0] for case in LISTS])
def test_next_links_reach_the_last_row_keeping_filters_and_sort(
        admin_user_client, name, build, query, noun, row_name, per_page, expected):
    build()
    pages = walk(admin_user_client, reverse(name) + query)

    total = len(expected)
    assert len(pages) == 2
    assert [p["summary"] for p in pages] == [
        f"Showing 1 to {per_page} of {total} {noun}", f"Showing {per_page + 1} to {total} of {total} {noun}"]
    assert [p["current"] for p in pages] == [1, 2]
    assert pages[0]["queries"] == pages[1]["queries"]  # the pagination itself costs no query per page
    assert [p["previous"] for p in pages] == [False, True]
    for page in pages[:-1]:
        for part in filter(None, query.lstrip("?").split("&")):
            assert part in page["next"]
    seen = [re.search(row_name, row).group(0) for page in pages for row in page["rows"]]
    assert seen == expected
    assert expected[-1] in pages[-1]["rows"][-1]


@pytest.mark.parametrize(("number", "links"), [
    (1, [1, 2, None, 10]),
    (2, [1, 2, 3, None, 10]),
    (5, [1, None, 4, 5, 6, None, 10]),
    (9, [1, None, 8, 9, 10]),
    (10, [1, None, 9, 10]),
])
def test_page_links_are_first_last_and_the_neighbours(number, links):
    assert page_numbers(Paginator(range(100), 10).page(number)) == links


def test_a_short_list_has_no_pagination(admin_user_client):
    ProviderFactory.create_batch(3)
    html = admin_user_client.get(reverse("contracts:providers")).content.decode()
    assert "govuk-pagination" not in html
    assert "Showing" not in html
