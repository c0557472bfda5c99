"""The DfE validation report run by a real Celery worker from Redis: findings written to PostgreSQL, the
held return deleted."""

from unittest import mock

import pytest

from core.imports import read_table
from placements.dfe_check import dfe_check_request
from placements.models import DfeCheck, DfeCheckUpload
from placements.tests.test_dfe_check import BAD_EPISODES, BAD_HEADER

pytestmark = pytest.mark.integration


def test_a_real_worker_checks_a_return_and_deletes_what_was_held(celery_worker_process):
    # Held as an upload holds it; the job is then sent to this test's worker by name.
    with mock.patch("placements.tasks.dfe_check_run.apply_async"):
        check = dfe_check_request(
            header=read_table(BAD_HEADER.encode(), "header.csv"),
            episodes=read_table(BAD_EPISODES.encode(), "episodes.csv"),
        )
    assert DfeCheckUpload.objects.filter(check_run=check).exists()
    celery_worker_process.send("placements.tasks.dfe_check_run", check.pk)

    def finished():
        check.refresh_from_db()
        return check.finished

    celery_worker_process.wait_for(finished, timeout=180, message="the DfE check to finish")
    assert check.status == "done", check.error
    assert check.findings.get(rule_code="148").rows == [["episodes", 6, "100003"]]
    assert not DfeCheckUpload.objects.exists()
    assert DfeCheck.objects.get(pk=check.pk).rules_run > 100
