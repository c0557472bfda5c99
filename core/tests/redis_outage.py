"""Redis failing for real, for tests: an address nothing listens on, and a redis-server of the test's own that is
stopped (SIGSTOP) so it accepts connections and never answers, as a hung server does.

Never the machine's Redis: the hung server is started on a free port and ended by the fixture that started it.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_url() -> str:
    """A Redis address that refuses connections, as when Redis is stopped."""
    return f"redis://127.0.0.1:{free_port()}/0"


class HungRedis(str):
    """The stopped server's URL, which can also wake it (`resume()`) to show what happens when Redis is back."""

    process: subprocess.Popen

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


def redis_server_launch(port: int, **popen_options) -> subprocess.Popen:
    """A real redis-server on 127.0.0.1:port that keeps nothing on disk, returned once it answers PING. OSError if
    it has not within 10 s."""
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen_options,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.05)


@contextmanager
def hung_redis():
    """A real redis-server on a free port, answering at first, then stopped: yields its URL (a HungRedis)."""
    if not os.path.exists(REDIS_SERVER):
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"{REDIS_SERVER} not found")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = redis_server_launch(port)
    try:
        os.kill(process.pid, signal.SIGSTOP)
        url = HungRedis(f"redis://127.0.0.1:{port}/0")
        url.process = process
        try:
            yield url
        finally:
            os.kill(process.pid, signal.SIGCONT)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cache_settings(url: str, *, timeout: float, retry_after: float = 30.0) -> dict:
    """CACHES as settings.py writes them for REDIS_URL=url."""
    return {"default": {
        "BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": url, "KEY_PREFIX": "outage-test",
        "OPTIONS": {"socket_timeout": timeout, "socket_connect_timeout": timeout, "RETRY_AFTER": retry_after},
    }}


def broker_transport_options(timeout: float) -> dict:
    """The options settings.py gives a Redis broker, less the visibility timeout and its sweep."""
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}


@contextmanager
def broker_at(url: str, timeout: float):
    """Celery's broker at `url`, with the transport options settings.py gives a Redis broker: tasks are sent to it,
    not run in the test (Celery's own retry settings left as in production)."""
    from commissioning.celery import app

    keys = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, task_always_eager=False, broker_transport_options=broker_transport_options(timeout))
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _forget_connections(app):
    """Celery keeps its broker connections and producers: drop them so the next send uses the new URL."""
    app._pool = None
    app.amqp._producer_pool = None
