"""The Redis cache backend: Redis stopped or hung is a cache miss with one log line, never an error or a long wait.
Real servers: a port nothing listens on, and a redis-server of the test's own stopped with SIGSTOP."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from .redis_outage import broker_transport_options, cache_settings, hung_redis, unreachable_url

pytestmark = pytest.mark.xdist_group("redis-outage")


def _every_operation():
    """Each cache call the product (or Django) may make, and what it gives with Redis out of reach."""
    return {
        "get": cache.get("k", "default"),
        "set": cache.set("k", 1, 60),
        "add": cache.add("k", 1, 60),
        "get_or_set": cache.get_or_set("k", lambda: "computed", 60),
        "delete": cache.delete("k"),
        "get_many": cache.get_many(["a", "b"]),
        "set_many": cache.set_many({"a": 1, "b": 2}, 60),
        "delete_many": cache.delete_many(["a", "b"]),
        "has_key": cache.has_key("k"),
        "touch": cache.touch("k", 60),
    }


def test_redis_stopped_is_a_miss_for_every_cache_call_with_one_log_line(settings, caplog):
    settings.CACHES = cache_settings(unreachable_url(), timeout=1)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        results = _every_operation()
        with pytest.raises(ValueError, match="not found"):  # as for a key not in the cache
            cache.incr("k")
    assert results == {
        "get": "default", "set": None, "add": False, "get_or_set": "computed", "delete": False, "get_many": {},
        "set_many": ["a", "b"], "delete_many": None, "has_key": False, "touch": False,
    }
    [record] = caplog.records  # the first failure only: Redis is then left alone for a while
    assert "The cache (Redis) failed on get (ConnectionError" in record.getMessage()


def test_redis_hung_costs_one_timeout_then_none_until_retried(settings, caplog):
    with hung_redis() as url:
        settings.CACHES = cache_settings(url, timeout=0.5, retry_after=2)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            assert cache.get("k", "default") == "default"
        first = time.monotonic() - started
        assert 0.4 < first < 1.5
        assert "failed on get (TimeoutError" in caplog.records[0].getMessage()
        started = time.monotonic()
        results = _every_operation()
        assert time.monotonic() - started < 0.1  # not asked again while resting
        assert results["get_or_set"] == "computed"
        time.sleep(2)
        started = time.monotonic()
        assert cache.get("k", "default") == "default"  # asked again after RETRY_AFTER: still hung
        assert 0.4 < time.monotonic() - started < 1.5
    assert len(caplog.records) == 2


def test_redis_back_is_used_again_once_its_rest_is_over(settings):
    with hung_redis() as url:
        settings.CACHES = cache_settings(url, timeout=0.3, retry_after=0.5)
        cache.set("k", "lost", 60)  # hung: not kept, and Redis is left alone for a while
        url.resume()
        cache.set("k", "kept while resting", 60)
        assert cache.get("k") is None
        time.sleep(0.6)
        cache.set("k", "kept", 60)
        assert cache.get("k") == "kept"


def test_settings_give_the_cache_and_the_broker_short_redis_timeouts():
    """settings.py with REDIS_URL set: the forgiving backend and REDIS_TIMEOUT_SECONDS for every Redis client."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default'], s.CELERY_BROKER_TRANSPORT_OPTIONS, s.CELERY_REDIS_SOCKET_TIMEOUT]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "commissioning.settings", "REDIS_URL": "redis://127.0.0.1:1/0",
           "REDIS_TIMEOUT_SECONDS": "1.5"}
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    caches, broker, backend = json.loads(result.stdout.strip().splitlines()[-1])
    assert caches["BACKEND"] == "core.cache.ForgivingRedisCache"
    assert caches["OPTIONS"]["socket_timeout"] == caches["OPTIONS"]["socket_connect_timeout"] == 1.5
    assert broker.items() >= broker_transport_options(1.5).items() and backend == 1.5


def test_clearing_the_cache_leaves_the_brokers_jobs_in_the_same_redis_database(settings):
    """REDIS_URL gives one Redis database to the cache and the Celery broker: clearing the cache (as an operator, or a
    test, may) must not take the queued jobs and the jobs being run with it, or a report waits for ever."""
    import redis

    with hung_redis() as url:
        url.resume()  # a private server, answering: the machine's Redis is never emptied by this test
        settings.CACHES = cache_settings(url, timeout=1)
        broker = redis.Redis.from_url(url)
        broker.lpush("reports", "a queued report build")
        broker.hset("unacked", "tag-1", "a report build being run")
        cache.set("finance-dashboard", "figures", 60)
        cache.set("kpi-summary", "figures", 60)

        assert cache.clear() is True

        assert cache.get_many(["finance-dashboard", "kpi-summary"]) == {}
        assert broker.lrange("reports", 0, -1) == [b"a queued report build"]
        assert broker.hget("unacked", "tag-1") == b"a report build being run"
        broker.close()
