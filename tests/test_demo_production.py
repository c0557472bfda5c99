"""No demo in production: `seed_demo` refuses when PRODUCTION=true unless told it is a training site, and no
migration makes an account (the demo's or any other)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.registry import registry

ROOT = Path(__file__).resolve().parents[1]


def test_seed_demo_refuses_in_production_with_one_line_and_no_traceback(tmp_path):
    # The real command line, as an operator would type it, against a database of its own.
    unset = {"DEBUG", "SECRET_KEY", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(PRODUCTION="true", DJANGO_SETTINGS_MODULE="commissioning.settings", SECRET_KEY="p" * 60,
               ALLOWED_HOSTS="commissioning.example.gov.uk", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "CommandError: PRODUCTION=true: refusing to load the demo data and its demo accounts. "
        "For a training site, run seed_demo --allow-production."
    ]
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.django_db
def test_seed_demo_in_production_creates_no_account(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_training_site_loads_the_demo_with_a_warning(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.setattr(registry, "demo_loaders", {})  # the accounts are what matters here, not every app's data
    out, err = StringIO(), StringIO()
    call_command("seed_demo", "--allow-production", stdout=out, stderr=err)
    assert "Warning: PRODUCTION=true and --allow-production given" in err.getvalue()
    assert "training site only" in err.getvalue()
    User = get_user_model()
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(u for u, *_ in DEMO_USERS)
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_outside_production_the_demo_loads_without_a_warning(settings, monkeypatch):
    settings.PRODUCTION = False
    monkeypatch.setattr(registry, "demo_loaders", {})
    err = StringIO()
    call_command("seed_demo", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
    assert get_user_model().objects.filter(username="commissioner").exists()


@pytest.mark.django_db
def test_no_migration_creates_an_account():
    # pytest-django built this database by running every migration: whatever they create is here.
    assert not get_user_model().objects.exists()


def test_no_migration_mentions_the_demo_accounts_or_sets_a_password():
    words = ("make_password", "set_password", "create_user", "create_superuser", DEMO_PASSWORD, "core.demo",
             "seed_demo")
    for migration in ROOT.glob("*/migrations/*.py"):
        text = migration.read_text()
        assert not [word for word in words if word in text], migration
