"""Test settings: the same as production-shaped settings, with faster hashing and
captured email. The database and broker still come from the environment, so CI
runs the suite against real PostgreSQL and Redis."""

import os

from .settings import *  # noqa: F403
from .settings import CACHES as _CACHES
from .settings import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True

# pytest-xdist runs the suite in several processes at once, named gw0, gw1... in PYTEST_XDIST_WORKER (which a
# Celery worker or other subprocess a test starts inherits). pytest-django gives each its own test database; here
# each also gets its own files (a report stored as reports/<pk>/ would otherwise meet another process's run with
# the same pk) and its own cache keys in the shared Redis (the root conftest empties only its own before each test).
TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = VAR_DIR / "test-media" / TEST_PROCESS if TEST_PROCESS else VAR_DIR / "test-media"
CACHES = {"default": {**_CACHES["default"], "KEY_PREFIX": f"test-{TEST_PROCESS}" if TEST_PROCESS else "test"}}

# The suite signs administrators in with force_login, which gives no authenticator code; the second factor's own
# tests (core/tests/test_accounts.py) turn the requirement on.
SECOND_FACTOR_FOR_ADMINISTRATORS = False
