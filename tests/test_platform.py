"""Sign-in, throttling, CSRF, error pages, system status and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.roles import ROLES, role_allows

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_the_data_migration_created_every_role_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.parametrize(
    "role,perm,expected",
    [
        ("Commissioner", "contracts.change_contract", True),
        ("Commissioner", "placements.view_placement", True),
        ("Commissioner", "placements.change_placement", False),
        ("Commissioner", "placements.approve_costline", True),
        ("Placements officer", "placements.change_placement", True),
        ("Placements officer", "contracts.change_contract", False),
        ("Placements officer", "contracts.view_contract", True),
        ("Committee officer", "placements.view_placement", False),
        ("Committee officer", "placements.view_child", False),
        ("Committee officer", "placements.view_sufficiency", True),
        ("Committee officer", "reports.add_reportrun", True),
        ("Committee officer", "kpis.change_indicator", False),
        ("Viewer", "kpis.view_indicator", True),
        ("Viewer", "placements.view_sufficiency", True),
        ("Viewer", "placements.view_placement", False),
        ("Viewer", "placements.view_child", False),
        ("Viewer", "reports.view_reportrun", False),
        ("Viewer", "contracts.add_contract", False),
        ("Administrator", "auth.change_user", True),
        # The gateway approver is a person an administrator names, not a role: not even administrators by default.
        ("Commissioner", "programme.change_project", True),
        ("Commissioner", "programme.decide_gateway", False),
        ("Administrator", "programme.decide_gateway", False),
    ],
)
def test_role_rules(role, perm, expected):
    app_label, codename = perm.split(".")
    assert role_allows(role, app_label, codename) is expected


@pytest.mark.django_db
def test_sign_in_takes_a_user_to_the_dashboard(client, make_user):
    make_user("Viewer", username="val")
    response = client.post(reverse("login"), {"username": "val", "password": "test-password-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Signed in as Viewer Tester" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_throttled(client, make_user, settings):
    make_user("Viewer", username="val")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "val", "password": "wrong"})
        assert "Enter a correct username and password" in response.content.decode()
    response = client.post(reverse("login"), {"username": "val", "password": "wrong"})
    assert response.status_code == 429
    # Locked now: even the right password is refused, with a page that says why.
    response = client.post(reverse("login"), {"username": "val", "password": "test-password-123"})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


@pytest.mark.django_db
def test_forms_need_a_csrf_token(make_user):
    make_user("Viewer", username="val")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "val", "password": "test-password-123"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_sign_out_is_post_only_and_ends_the_session(viewer_client):
    assert viewer_client.get(reverse("logout")).status_code == 405
    response = viewer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert viewer_client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_error_pages_use_the_service_look(viewer_client):
    response = viewer_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "govuk-header" in body and "Example Borough Council" in body
    response = viewer_client.get(reverse("system_status"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_500_page_renders_without_a_request_context(rf):
    from core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_system_status_shows_whether_the_worker_reports(admin_user_client):
    body = admin_user_client.get(reverse("system_status")).content.decode()
    assert "No worker has reported yet" in body
    WorkerHeartbeat.objects.create(hostname="celery@web1", last_seen=timezone.now())
    WorkerHeartbeat.objects.create(hostname="celery@old", last_seen=timezone.now() - timezone.timedelta(hours=1))
    body = admin_user_client.get(reverse("system_status")).content.decode()
    assert "celery@web1" in body and "Running" in body
    assert "celery@old" in body and "Not reporting" in body


@pytest.mark.django_db
def test_heartbeat_task_records_the_worker(settings):
    from core.tasks import worker_heartbeat

    worker_heartbeat.apply()
    assert WorkerHeartbeat.objects.count() == 1


def _manage(*args, env=None):
    # Leave out what the developer or the browser tests set, so production settings are what is checked.
    unset = {"DEBUG", "SECRET_KEY", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **(env or {})},
        capture_output=True, text=True, timeout=120,
    )


PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "DJANGO_SETTINGS_MODULE": "commissioning.settings",
    "SECRET_KEY": "x" * 20 + "production-secret-with-enough-variety-0123456789",
    "ALLOWED_HOSTS": "commissioning.example.gov.uk",
    "SITE_URL": "https://commissioning.example.gov.uk",
    "CONTRACT_OCID_PREFIX": "ocds-b5fd17",
    "OCDS_BUYER_ID": "RDG",
}


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_while_open_data_would_publish_placeholders():
    placeholders = {"CONTRACT_OCID_PREFIX": "ocds-xxxxxx", "OCDS_BUYER_ID": "", "SITE_URL": "http://localhost:8000"}
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, **placeholders})
    assert result.returncode == 0, result.stdout + result.stderr  # warnings, not errors
    out = result.stdout + result.stderr
    assert "CONTRACT_OCID_PREFIX is the placeholder ocds-xxxxxx" in out
    assert "OCDS_BUYER_ID is not set" in out
    assert "SITE_URL is http://localhost:8000" in out
    assert "identified 3 issues" in out


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_docker_compose_file_is_valid():
    import shutil

    command = None
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose"]
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {**os.environ, "SECRET_KEY": "s", "ALLOWED_HOSTS": "h", "POSTGRES_PASSWORD": "p"}
    result = subprocess.run([*command, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    services = subprocess.run([*command, "config", "--services"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert set(services.stdout.split()) == {"db", "redis", "migrate", "web", "worker", "beat"}


def _compose():
    import yaml  # a dev dependency; `docker compose config` is not on every machine, PyYAML is

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # safe_load resolves the <<: *app merges


APP_SERVICES = ("migrate", "web", "worker", "beat")


def test_compose_reads_every_setting_from_env_and_fixes_only_what_the_stack_provides():
    compose = _compose()
    assert set(compose["services"]) == {"db", "redis", *APP_SERVICES}
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["env_file"] in (".env", [".env"]), name
        assert set(service["environment"]) == {"PRODUCTION", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}, name
    # The database keeps its own environment: the app's secrets do not go into the db container.
    assert "env_file" not in compose["services"]["db"]


def test_compose_publishes_the_web_port_on_localhost_unless_told_otherwise():
    compose = _compose()
    assert compose["services"]["web"]["ports"] == ["${WEB_BIND:-127.0.0.1}:${WEB_PORT:-8000}:8000"]
    assert [name for name, service in compose["services"].items() if "ports" in service] == ["web"]


def test_compose_keeps_the_beat_schedule_in_a_volume():
    compose = _compose()
    beat = compose["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    mounts = dict(volume.split(":", 1)[::-1] for volume in beat["volumes"])  # container path -> volume
    folder = str(Path(schedule).parent)
    assert folder in mounts and mounts[folder] in compose["volumes"]
    assert "/app/var/beat" in (ROOT / "Dockerfile").read_text()  # made in the image, owned by the app user


def test_env_example_documents_every_setting_the_app_reads():
    import re

    example = (ROOT / ".env.example").read_text()
    header = example.split("# --- Required")[0]
    # Named in the header: set by docker-compose.yml, or not for production.
    in_header = {"PRODUCTION", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "DEBUG", "CELERY_TASK_ALWAYS_EAGER",
                 "CELERY_BROKER_URL"}
    assert all(name in header for name in in_header)
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M)) | in_header
    settings_py = (ROOT / "commissioning" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_py))
    assert len(read) > 40, "settings not found: has settings.py moved?"
    assert read - documented == set()
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert interpolated <= documented


def test_docker_build_context_leaves_out_history_environments_and_secrets():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "node_modules", "var", ".env"} <= ignored


def test_every_model_is_in_the_admin_with_a_useful_list():
    from django.apps import apps
    from django.contrib import admin

    for app in ["core", "outcomes", "kpis", "contracts", "placements", "finance", "market", "plans", "reports"]:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert admin.site.is_registered(model), f"{app}.{model.__name__} is not in the admin"
            model_admin = admin.site._registry[model]
            assert model_admin.list_display != ("__str__",), f"{app}.{model.__name__} admin has no list_display"


@pytest.mark.django_db
def test_admin_pages_open_for_every_model(admin_user_client):
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"core", "outcomes", "kpis", "contracts", "placements", "finance", "market",
                                         "plans", "reports"}:
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        response = admin_user_client.get(reverse(f"admin:{info}_changelist"))
        assert response.status_code == 200, info
        if model_admin.has_add_permission(response.wsgi_request):
            assert admin_user_client.get(reverse(f"admin:{info}_add")).status_code == 200, info


@pytest.mark.django_db
def test_page_title_names_the_page_the_service_and_the_council(viewer_client):
    body = viewer_client.get(reverse("home")).content.decode()
    assert "<title>Dashboard – Children&#x27;s commissioning – Example Borough Council</title>" in body


def test_the_favicon_is_found_without_signing_in(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0].endswith("favicon.ico")

