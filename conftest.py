"""Shared fixtures: one signed-in client per role."""

import pytest

from core.roles import (
    ADMINISTRATOR,
    COMMISSIONER,
    COMMITTEE_OFFICER,
    PLACEMENTS_OFFICER,
    ROLES,
    VIEWER,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures keyed on history ids would otherwise outlive the
    rolled-back data they came from (SQLite reuses the ids).

    In Redis, clear() deletes only this test process's keys (settings_test gives each its own KEY_PREFIX; see
    core/cache.py), never the database, which is also the Celery broker's under another process's integration test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db, django_user_model):
    from django.contrib.auth.models import Group

    def make(role: str, username: str | None = None):
        username = username or role.lower().replace(" ", "_")
        user = django_user_model.objects.create_user(
            username=username, password="test-password-123", first_name=role.split()[0], last_name="Tester",
            email=f"{username}@example.gov.uk", is_staff=role == ADMINISTRATOR,
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def users(make_user):
    """A user in each role, keyed by role name."""
    return {role: make_user(role) for role in ROLES}


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_user_client(client, make_user):
    return _client_for(client, make_user(ADMINISTRATOR))


@pytest.fixture
def commissioner(make_user):
    return make_user(COMMISSIONER)


@pytest.fixture
def commissioner_client(client, commissioner):
    return _client_for(client, commissioner)


@pytest.fixture
def placements_officer(make_user):
    return make_user(PLACEMENTS_OFFICER)


@pytest.fixture
def placements_client(client, placements_officer):
    return _client_for(client, placements_officer)


@pytest.fixture
def committee_officer(make_user):
    return make_user(COMMITTEE_OFFICER)


@pytest.fixture
def committee_client(client, committee_officer):
    return _client_for(client, committee_officer)


@pytest.fixture
def viewer(make_user):
    return make_user(VIEWER)


@pytest.fixture
def viewer_client(client, viewer):
    return _client_for(client, viewer)


def pytest_configure(config):
    import os

    from django.conf import settings

    if os.environ.get("REQUIRE_SERVICES") and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        raise pytest.UsageError("REQUIRE_SERVICES is set but DATABASE_URL points at SQLite: CI must use PostgreSQL")
    _flush_postgresql_by_delete()
    config.pluginmanager.register(XdistGroupSuffix(), "xdist-group-suffix")


def _flush_postgresql_by_delete():
    """After each transactional test (every browser test, every test with a real worker) Django empties all 150-odd
    tables with one TRUNCATE, which makes new files for each table and took 4 to 10 seconds on a 2-core machine.
    DELETE empties the same tables, nearly all of them near-empty, in a fraction of a second. Django makes every
    foreign key DEFERRABLE, so the order of the tables does not matter once the constraints are deferred. Sequences
    (only for a test that asks for reset_sequences) are still restarted by TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


# Under pytest-xdist (make test) tests go to its processes in the order collected, a few at a time. The longest go
# first, so that they spread over the processes and the apps' quick tests fill in around them; left in collection
# order, one process can still be walking every page as a role at the end while the other waits. In this order: each
# role's walk through every page (minutes each), the empty-form walk, the tests with real Celery workers, the other
# browser tests, the other whole-system tests.
RUN_FIRST = (
    "tests/browser/test_every_page.py", "tests/browser/test_every_form.py", "tests/integration/", "tests/browser/",
    "tests/",
)


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: next(
            (rank for rank, prefix in enumerate(RUN_FIRST) if item.nodeid.startswith(prefix)), len(RUN_FIRST)
        ))


class XdistGroupSuffix:
    """pytest-xdist (3.8) puts a test in its xdist_group by adding "@group" to the test's node id, which it does by
    setting item._nodeid; pytest 9 keeps the id in item._id, so the suffix was lost and each group's tests were spread
    over the processes like any others. This adds the suffix as xdist means it to be, after xdist's own hook."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
            return
        from _pytest.nodeid import coerce_node_id

        for item in items:
            names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                            for mark in item.iter_markers("xdist_group")})
            suffix = "@" + "_".join(names)
            if names and not item.nodeid.endswith(suffix):
                item._id = coerce_node_id(item.nodeid + suffix)
