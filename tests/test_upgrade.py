"""A council's database made before strategies, actions and reports left the `commissioning` package
upgrades by `migrate` alone: every row, its history and the roles' permissions are still there.

The test builds the old database with the project as it was at BEFORE_THE_MOVE (from this
repository's history), adds records through the old code, then migrates it with today's code.
"""

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BEFORE_THE_MOVE = "5f0299325e726a66f0791a3bc795d4ddbb955705"

OLD_RECORDS = """
from django.contrib.auth.models import Group, User
from commissioning.models import Action, ActionUpdate, Committee, Meeting, ReportRun, Strategy, WorkerHeartbeat
from django.utils import timezone
import datetime
u = User.objects.create_user("old-commissioner")
u.groups.add(Group.objects.get(name="Commissioner"))
c = Committee.objects.create(name="Old Cabinet")
m = Meeting.objects.create(committee=c, date=datetime.date(2026, 3, 5))
s = Strategy.objects.create(title="Old strategy", starts_on=datetime.date(2025, 4, 1),
                            ends_on=datetime.date(2026, 3, 31))
a = Action.objects.create(strategy=s, subject="Tenders", description="Re-tender the old contract", owner=u)
a.description = "Re-tender the old contract by March"
a.save()
ActionUpdate.objects.create(action=a, noted_on=datetime.date(2026, 1, 2), note="Started",
                            status_before="yet_to_commence", status_after="in_progress", author=u)
ReportRun.objects.create(kind="actions", period="2025-Q4", period_start=datetime.date(2026, 1, 1),
                         period_end=datetime.date(2026, 3, 31), as_of=datetime.date(2026, 3, 31), title="Old report",
                         meeting=m)
WorkerHeartbeat.objects.create(hostname="old-worker", last_seen=timezone.now())
"""

CHECK_AFTER = """
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from core.models import WorkerHeartbeat
from plans.models import Action, ActionUpdate, Committee, Meeting, Strategy
from reports.models import ReportRun
a = Action.objects.get(subject="Tenders")
assert a.description == "Re-tender the old contract by March", a.description
assert a.strategy.title == "Old strategy"
assert a.history.count() == 2, a.history.count()
assert ActionUpdate.objects.get().note == "Started"
assert Meeting.objects.get().committee.name == "Old Cabinet"
assert ReportRun.objects.get().meeting.committee == Committee.objects.get()
assert WorkerHeartbeat.objects.get().hostname == "old-worker"
assert not ContentType.objects.filter(app_label="commissioning").exists()
u = User.objects.get(username="old-commissioner")
assert u.has_perm("plans.change_action") and u.has_perm("reports.add_reportrun"), sorted(u.get_all_permissions())
Action.objects.create(subject="New", description="Added after the upgrade")
print("upgrade ok")
"""


def _run(args, *, cwd, env):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_database_from_before_the_move_upgrades_by_migrate_alone(tmp_path):
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BEFORE_THE_MOVE], capture_output=True, timeout=120
    )
    assert archive.returncode == 0, f"needs the repository's history: {archive.stderr.decode()}"
    old = tmp_path / "old"
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(old, filter="data")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'council.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
        "SECRET_KEY": "upgrade-test",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    _run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=old, env=env)
    _run([sys.executable, "manage.py", "shell", "-c", OLD_RECORDS], cwd=old, env=env)

    _run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env)
    assert "upgrade ok" in _run([sys.executable, "manage.py", "shell", "-c", CHECK_AFTER], cwd=ROOT, env=env)


@pytest.mark.django_db
def test_a_new_database_has_the_moved_tables_under_their_kept_names():
    from django.db import connection

    tables = set(connection.introspection.table_names())
    assert {"commissioning_action", "commissioning_reportrun", "commissioning_workerheartbeat"} <= tables
    assert {"commissioning_historicalaction", "commissioning_historicalreportrun"} <= tables
