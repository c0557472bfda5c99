"""No bare 500 when a request runs too long: the app stops it first with the service's own page, and gunicorn's
timeout (which answers nothing) stays above the app's."""

import ast
import runpy
import signal
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

from placements.views import DefinitionsView

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def slow_page(monkeypatch):
    """The definitions page (every role may see it) taking two seconds, as in a slow query."""
    def slow(self, **kwargs):
        with transaction.atomic(), connection.cursor() as cursor:  # writes are atomic: rolled back when stopped
            cursor.execute("SELECT pg_sleep(2)")
        return {}

    monkeypatch.setattr(DefinitionsView, "get_context_data", slow)
    return reverse("placements:definitions")


@pytest.mark.django_db
def test_a_request_past_the_limit_gets_the_service_page(client, make_user, settings, slow_page):
    from core.roles import VIEWER

    settings.REQUEST_TIMEOUT_SECONDS = 0.3
    client.force_login(make_user(VIEWER))
    started = time.monotonic()
    response = client.get(slow_page)
    assert time.monotonic() - started < 1.5  # stopped at the limit, not after the two seconds
    html = response.content.decode()
    assert response.status_code == 504
    assert "<h1 class=\"govuk-heading-l\">Sorry, this is taking too long</h1>" in html
    assert "Nothing you entered has been saved unless you saw a confirmation." in html
    assert "govuk-header" in html and "Content-Security-Policy" in response.headers  # the service's look and headers
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left to go off in the next request


@pytest.mark.django_db
def test_a_request_within_the_limit_is_untouched(client, make_user, settings):
    from core.roles import VIEWER

    settings.REQUEST_TIMEOUT_SECONDS = 5
    client.force_login(make_user(VIEWER))
    response = client.get(reverse("placements:definitions"))
    assert response.status_code == 200 and "taking too long" not in response.content.decode()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_dockerfile_runs_gunicorn_with_the_config_file():
    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    assert ast.literal_eval(cmd.removeprefix("CMD ")) == [
        "gunicorn", "commissioning.wsgi:application", "-c", "gunicorn.conf.py"]


@pytest.mark.parametrize("environ, expected", [
    ({}, 75),
    ({"REQUEST_TIMEOUT_SECONDS": "90"}, 105),  # raised with the app's limit
    ({"GUNICORN_TIMEOUT": "30"}, 65),  # never below the app's limit
])
def test_gunicorns_timeout_stays_above_the_apps(monkeypatch, environ, expected):
    for name in ("REQUEST_TIMEOUT_SECONDS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["timeout"] == expected and config["worker_class"] == "sync"
    assert config["timeout"] > config["request_timeout"]


def test_gunicorn_accepts_the_config_file():
    from gunicorn.config import Config

    gunicorn = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in gunicorn.settings:
            gunicorn.set(name, value)  # gunicorn's own checks of each setting's type
    assert (gunicorn.timeout, gunicorn.workers, gunicorn.worker_class_str) == (75, 3, "sync")
