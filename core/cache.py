"""The cache backend when Redis is configured: Django's RedisCache, where Redis failing is a cache miss.

Nothing the product keeps in the cache is needed to serve a page (figures are computed again, held uploads live
in the database), so Redis down, hung or refusing writes must cost a page its speed, never the page itself. Each
failure is logged once; after it the cache is left alone for `RETRY_AFTER` seconds (an OPTIONS key), so a hung
Redis costs one socket timeout per process in that time rather than one per cache call.

The socket and connect timeouts come from OPTIONS (settings.py sets both from REDIS_TIMEOUT_SECONDS): redis-py's
default is 5 seconds for each command.
"""

import logging
import re
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 30.0


class ForgivingRedisCache(RedisCache):
    # Per process, shared by threads (Django makes one backend instance per thread): when to ask Redis again.
    _resting_until: dict[tuple, float] = {}
    _lock = threading.Lock()

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})

    def _rest_key(self) -> tuple:
        return tuple(self._servers)

    def _call(self, operation: str, fallback, method, *args):
        if time.monotonic() < self._resting_until.get(self._rest_key(), 0.0):
            return fallback
        try:
            return method(*args)
        except RedisError as exc:
            with self._lock:
                self._resting_until[self._rest_key()] = time.monotonic() + self.retry_after
            logger.warning(
                "The cache (Redis) failed on %s (%s: %s); pages are served without it for %.0f s",
                operation, type(exc).__name__, exc, self.retry_after,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, super().incr, key, delta, version)
        if value is missing:  # what a key that is not in the cache gives
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, self._delete_own_keys)

    def _delete_own_keys(self) -> bool:
        """Django's RedisCache.clear() is FLUSHDB: the whole Redis database, which REDIS_URL also gives the Celery
        broker, so its queued jobs and the copies of jobs being run would go too (a report left queued for ever).
        Only this cache's keys are deleted: Django's keys are "<KEY_PREFIX>:<version>:<key>"."""
        client = self._cache.get_client(None, write=True)
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True
