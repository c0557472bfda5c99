"""commissioning/settings.py: importing it makes no folder, HSTS preloading is the council's choice, the cache and the
Celery broker keep to their own Redis databases, and renamed thresholds are refused rather than ignored."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]

# Imports the settings with every way of making a folder recorded, then prints the folders and the settings asked.
_SCRIPT = """
import json, os, pathlib, sys
made = []
def record(path, *args, **kwargs):
    made.append(str(path))
pathlib.Path.mkdir = record
os.mkdir = os.makedirs = record
import commissioning.settings as s
print(json.dumps({"made": made, **{name: getattr(s, name, None) for name in sys.argv[1:]}}, default=str))
"""

PRODUCTION = {"PRODUCTION": "true", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "commissioning.example.gov.uk"}


def _settings(*names, **environment) -> dict:
    """The settings `names` as commissioning.settings reads them from `environment` alone (no .env's values)."""
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *names], cwd=ROOT, env={**env, **environment},
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_settings_makes_no_folder_in_production_or_development():
    assert _settings(**PRODUCTION, REDIS_URL="redis://redis:6379/0")["made"] == []
    # Development with no services: SQLite and the filesystem broker under var/, emails to files, all made later.
    assert _settings("CELERY_BROKER_TRANSPORT_OPTIONS", SECRET_KEY="d" * 50)["made"] == []


def test_hsts_preload_is_off_unless_the_council_turns_it_on():
    default = _settings("SECURE_HSTS_PRELOAD", "SECURE_HSTS_SECONDS", "SILENCED_SYSTEM_CHECKS", **PRODUCTION)
    assert default["SECURE_HSTS_PRELOAD"] is False
    assert default["SECURE_HSTS_SECONDS"] == 31536000  # HSTS itself stays on
    assert default["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]  # the deploy check's "not preloaded"
    chosen = _settings("SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS", **PRODUCTION, SECURE_HSTS_PRELOAD="true")
    assert chosen["SECURE_HSTS_PRELOAD"] is True and chosen["SILENCED_SYSTEM_CHECKS"] == []


def test_the_cache_and_the_broker_are_on_different_redis_databases():
    found = _settings("CACHES", "CELERY_BROKER_URL", **PRODUCTION, REDIS_URL="redis://redis:6379/0")
    assert found["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://redis:6379/1"
    # A separate cache URL is used as it is, but never the broker's own database.
    found = _settings("CACHES", **PRODUCTION, REDIS_URL="redis://redis:6379/0", CACHE_REDIS_URL="redis://cache:6379/0")
    assert found["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/0"
    refused = _settings(**PRODUCTION, REDIS_URL="redis://redis:6379", CACHE_REDIS_URL="redis://redis:6379/0")
    assert "The cache and the Celery broker are on the same Redis database" in refused["error"]


def test_a_threshold_set_under_its_old_name_is_refused_with_the_new_one():
    refused = _settings(**PRODUCTION, FINANCE_HIGH_COST_WEEKLY="8000")
    assert refused["error"].endswith(
        "FINANCE_HIGH_COST_WEEKLY is now FINANCE_HIGH_COST_LIST_WEEKLY. Rename them in .env."
    )
    found = _settings("PLACEMENTS_COST_APPROVAL_WEEKLY", "FINANCE_HIGH_COST_LIST_WEEKLY", **PRODUCTION)
    assert (found["PLACEMENTS_COST_APPROVAL_WEEKLY"], found["FINANCE_HIGH_COST_LIST_WEEKLY"]) == ("10000", "7000")


def test_the_celery_app_makes_the_folders_it_writes_to(tmp_path):
    from commissioning.celery import celery_folders_create

    queue, control = tmp_path / "celery" / "queue", tmp_path / "celery" / "control"
    source = SimpleNamespace(
        beat_schedule_filename=str(tmp_path / "beat" / "celerybeat-schedule"), broker_url="filesystem://localhost/",
        broker_transport_options={"data_folder_in": str(queue), "data_folder_out": str(queue),
                                  "processed_folder": str(tmp_path / "celery" / "processed"),
                                  "control_folder": str(control)},
    )
    celery_folders_create(sender=None, source=source)
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")} == {
        "beat", "celery", "celery/queue", "celery/processed", "celery/control"
    }
