"""With Redis stopped or hung, every page and upload is served: the cache is a miss (one log line), a held upload
waits in the database, a job waits in the outbox, and a hung Redis costs a request about a second, not a worker.

Real processes, not mocks: the cache and the Celery broker are pointed at a port nothing listens on (stopped), or at
a redis-server of the test's own stopped with SIGSTOP (hung: it accepts connections and never answers). The timeouts
are the production default (settings.REDIS_TIMEOUT_SECONDS)."""

import logging
import time
from contextlib import ExitStack
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from contracts.tests.test_imports import GOOD
from core.models import HeldUpload, PendingTask
from core.periods import financial_year_bounds, financial_year_of
from core.tests.redis_outage import broker_at, cache_settings, hung_redis, unreachable_url
from finance.tests.factories import BudgetLineFactory
from finance.tests.test_views import AS_OF, fostering, homes, lines  # noqa: F401 - a fixture
from kpis.models import Measurement
from kpis.tests.factories import IndicatorFactory, TargetFactory
from placements.models import Child
from placements.tests.factories import CostLineFactory, PlacementFactory
from placements.tests.test_import_903 import districts  # noqa: F401 - a fixture
from placements.tests.test_import_903_skip import BAD_EPISODES, BAD_HEADER

# Each service commits as in production, so its job is sent to the broker (and refused) before the view answers.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis-outage")]

DELAYED = "which is not available just now. Your change is saved"
CACHE_FAILED = "The cache (Redis) failed on"
# The most a request may take with Redis stopped or hung: a cache call and a job sent each wait REDIS_TIMEOUT_SECONDS
# (1 s) at most, against 5 s for each cache call and for ever for the broker without the timeouts (and 6 s to send a
# job to a stopped broker, connecting again and again). Room for a loaded machine.
BOUND_SECONDS = 6


@pytest.fixture(params=["stopped", "hung"])
def redis_out(request, settings, caplog):
    """The cache and the broker both at a Redis that is stopped or hung; yields which."""
    with ExitStack() as stack:
        url = unreachable_url() if request.param == "stopped" else stack.enter_context(hung_redis())
        settings.CACHES = cache_settings(url, timeout=settings.REDIS_TIMEOUT_SECONDS)
        stack.enter_context(broker_at(url, settings.REDIS_TIMEOUT_SECONDS))
        caplog.set_level(logging.WARNING, logger="core.cache")
        yield request.param


def _timed(redis_out, call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND_SECONDS, f"{elapsed:.1f} s with Redis {redis_out}"
    return response


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(CACHE_FAILED)]


def test_commissioners_home_page(client, commissioner, redis_out, caplog):
    year = financial_year_of(timezone.localdate())
    BudgetLineFactory(financial_year=year, code="HOMES", placement_category="childrens_home", provision="external",
                      amount=D("1000"))
    CostLineFactory(placement=PlacementFactory(placement_type="K2", provider_kind="PR4", route="spot",
                                               start=financial_year_bounds(year)[0]), weekly_amount=D("4900"))
    client.force_login(commissioner)
    response = _timed(redis_out, client.get, reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budget lines forecast to overspend" in html and f'href="{reverse("finance:index")}">1<' in html
    assert len(_cache_warnings(caplog)) == 1


def test_finance_dashboard(commissioner_client, lines, redis_out, caplog):  # noqa: F811
    homes(10)
    fostering(8)
    response = _timed(redis_out, commissioner_client.get, reverse("finance:index"), {"year": 2025, "as_of": AS_OF})
    html = response.content.decode()
    assert response.status_code == 200
    assert "£2,555,000" in html and "Over budget" in html and 'id="total-forecast">£2,847,000<' in html
    # Asked again, still served (Redis is left alone for a while: no second wait, no second log line)
    again = _timed(redis_out, commissioner_client.get, reverse("finance:index"), {"year": 2025, "as_of": AS_OF})
    assert 'id="total-forecast">£2,847,000<' in again.content.decode()
    assert len(_cache_warnings(caplog)) == 1


def test_finance_line_page(placements_client, lines, redis_out):  # noqa: F811
    homes(2)
    url = reverse("finance:line", args=[2025, "HOMES"])
    response = _timed(redis_out, placements_client.get, url, {"as_of": AS_OF})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 placements behind this line" in html and html.count("£255,500") == 2


def test_kpi_value_save(commissioner_client, redis_out):
    indicator = IndicatorFactory(code="SC01", polarity="lower_is_better")
    TargetFactory(indicator=indicator, kind="at_most", value=D(22), tolerance=D(2))
    url = reverse("kpis:measurement_add", kwargs={"pk": indicator.pk})
    response = _timed(redis_out, commissioner_client.post, url, {"period_end": "30/04/2025", "value": "30"})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator, period_end=date(2025, 4, 30)).value == D(30)
    [pending] = PendingTask.objects.all()  # the status recompute waits for the broker
    assert pending.attempts == 1
    page = _timed(redis_out, commissioner_client.get, response.url).content.decode()
    assert "value for the period ending 30 April 2025 saved" in page and DELAYED in page


def test_spreadsheet_upload_check_then_confirm(commissioner_client, redis_out):
    url = reverse("contracts:import")
    check = _timed(redis_out, commissioner_client.post, url,
                   {"file": SimpleUploadedFile("register.csv", GOOD.encode())})
    assert check.status_code == 200
    assert "Check before saving" in check.content.decode() and not Contract.objects.exists()
    assert HeldUpload.objects.count() == 1
    done = _timed(redis_out, commissioner_client.post, url, {"confirm": check.context["digest"]})
    assert done.status_code == 302
    page = commissioner_client.get(done.url).content.decode()
    assert "register.csv imported: 2 created, 0 updated, 0 unchanged." in page
    assert Contract.objects.count() == 2 and not HeldUpload.objects.exists()


def test_903_upload_with_a_problem_row_then_import_the_children_without(placements_client, districts,  # noqa: F811
                                                                         redis_out, placements_officer):
    from placements import return_uploads

    url = reverse("placements:import_903")
    response = _timed(redis_out, placements_client.post, url, {
        "header": SimpleUploadedFile("header.csv", BAD_HEADER.encode()),
        "episodes": SimpleUploadedFile("episodes.csv", BAD_EPISODES.encode()),
    })
    assert response.status_code == 302
    job_url, token = response.url, response.url.split("job=")[1]
    page = _timed(redis_out, placements_client.get, job_url).content.decode()
    assert "Waiting to start" in page and DELAYED in page
    return_uploads.return_upload_check(user_id=placements_officer.pk, token=token)  # the worker, broker or not
    page = _timed(redis_out, placements_client.get, job_url).content.decode()
    assert "The return cannot be imported as it is: 3 problems found" in page
    assert "Import the children with no problems" in page
    response = _timed(redis_out, placements_client.post, url, {"confirm": token, "skip": "yes"})
    assert response.status_code == 302
    return_uploads.return_upload_import(user_id=placements_officer.pk, token=token)
    assert set(Child.objects.values_list("reference", flat=True)) == {"100001", "100002"}
    page = _timed(redis_out, placements_client.get, job_url).content.decode()
    assert "903 return imported" in page
    # The check and the import wait for the broker (the worker ran them here); so do what they queue in turn.
    assert sorted(PendingTask.objects.values_list("task", flat=True)) == [
        "kpis.tasks.kpi_computed_measures_fill", "placements.tasks.dfe_check_run",
        "placements.tasks.return_upload_check", "placements.tasks.return_upload_import"]
