"""Settings, all from the environment (django-environ), in one section per concern.

Defaults work on a laptop with no services: SQLite and a Celery broker on the filesystem under var/. Production
(PRODUCTION=true) requires its secrets and turns on the HTTPS protections that `check --deploy` asks for.
Importing this module reads settings and nothing more: the folders under var/ are made by what writes there
(the development secret key, bin/run and `make demo`, the Celery app for its filesystem broker).
Each variable is documented in the README's settings table and in .env.example.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# --- paths and the environment ---

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # development's database, broker, emails and files; made where each is written

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Settings renamed to say what they decide: a council's .env naming the old one must not be silently ignored.
_renamed = {
    "PLACEMENTS_HIGH_COST_WEEKLY": "PLACEMENTS_COST_APPROVAL_WEEKLY",
    "FINANCE_HIGH_COST_WEEKLY": "FINANCE_HIGH_COST_LIST_WEEKLY",
}
if _old := sorted(name for name in _renamed if name in os.environ):
    raise ImproperlyConfigured(
        "Renamed settings: " + "; ".join(f"{name} is now {_renamed[name]}" for name in _old) + ". Rename them in .env."
    )

PRODUCTION = env.bool("PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=False)


def _development_secret_key() -> str:
    # Generated once per checkout so sessions survive restarts; never used in production.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY") if PRODUCTION else env.str("SECRET_KEY", default="") or _development_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- the council and the service ---

AUTHORITY_NAME = env.str("AUTHORITY_NAME", default="Example Borough Council")
SERVICE_NAME = env.str("SERVICE_NAME", default="Children's commissioning")
# The site's own address, for links in emails and open-data files (a worker has no request to build one from).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- applications, middleware and templates ---

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "outcomes",
    "kpis",
    "contracts",
    "placements",
    "finance",
    "market",
    "plans",
    "programme",
    "sufficiency",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, so every response (error pages included) gets these headers.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
            ],
        },
    }
]
DJANGO_TABLES2_TEMPLATE = "includes/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# --- database ---

# SQLite's file is under var/, which `make demo` and bin/run make before anything opens it.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the worker share the file: WAL and immediate transactions avoid "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A build stopped by its soft time limit in the middle of a query drops its connection (Django cannot roll back a
# connection still busy), and a worker killed at the hard limit drops it too; PostgreSQL would run the query to its
# end regardless, keeping its transaction open all that time. Told to check this often, the server notices the
# client has gone and ends the query. PostgreSQL 14+ on Linux; 0 turns it off.
DATABASE_CLIENT_CHECK_SECONDS = env.int("DATABASE_CLIENT_CHECK_SECONDS", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_CLIENT_CHECK_SECONDS:
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(filter(None, [
        _db_options.get("options"), f"-c client_connection_check_interval={DATABASE_CLIENT_CHECK_SECONDS * 1000}",
    ]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: the cache, and the Celery broker on another database ---


def _redis_database(url: str, database: int) -> str:
    """`url` with its database number (the path) replaced."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _redis_location(url: str) -> tuple:
    """Where a Redis URL stores its keys: host, port and database (0 when the URL names none)."""
    parts = urlsplit(url)
    return parts.hostname, parts.port or 6379, int(parts.path.strip("/") or 0)


REDIS_URL = env.str("REDIS_URL", default="")
# Seconds any Redis client (cache, broker) waits to connect or for an answer: a hung Redis costs a request this long.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=1.0)
# The cache has a database of its own, so emptying it (cache.clear() is FLUSHDB) never drops queued jobs: by
# default REDIS_URL's Redis, database 1, while the broker keeps REDIS_URL's own database (0 in docker-compose.yml).
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default=_redis_database(REDIS_URL, 1) if REDIS_URL else "")
if CACHE_REDIS_URL:
    # Redis failing is a cache miss, logged (core/cache.py); then it is left alone for RETRY_AFTER seconds.
    CACHES = {"default": {
        "BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": CACHE_REDIS_URL,
        "OPTIONS": {"socket_timeout": REDIS_TIMEOUT_SECONDS, "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                    "RETRY_AFTER": env.float("CACHE_RETRY_AFTER_SECONDS", default=30.0)},
    }}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: the broker and the tasks ---

# With no REDIS_URL or CELERY_BROKER_URL a real worker runs on kombu's filesystem transport under var/, so
# `make run` needs no services.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem:"):
    # The transport ignores the host, but kombu warns "No hostname was supplied" for a URL without one. Celery
    # reads CELERY_BROKER_URL from the environment ahead of this setting, so a variable set there is fixed too.
    CELERY_BROKER_URL = "filesystem://localhost/"
    if "CELERY_BROKER_URL" in os.environ:
        os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
    # Every folder the transport uses, under var/: kombu's defaults are relative to the working directory
    # (control_folder, for broadcast exchanges such as the worker's pidbox, would otherwise be ./control).
    # commissioning/celery.py makes them when a process first uses Celery.
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    if CACHE_REDIS_URL.startswith("redis") and _redis_location(CACHE_REDIS_URL) == _redis_location(CELERY_BROKER_URL):
        raise ImproperlyConfigured(
            "The cache and the Celery broker are on the same Redis database, so emptying the cache would drop "
            "queued jobs: give CACHE_REDIS_URL another database number (e.g. /1)."
        )
    _visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        # Who puts it back: each worker sweeps Redis for unacked messages older than the timeout. kombu sweeps
        # once at start-up, then every interval x throttle seconds (10 x 10 by default), so a message lost
        # just before a worker (re)started came back up to 100 s after the timeout. Sweep every tick instead,
        # a fifth of the timeout apart (1 to 10 s): one small Redis query per worker per tick.
        "unacked_restore_interval": max(1, min(10, _visibility_timeout // 5)),
        "unacked_restore_throttle": 1,
        # kombu waits forever for a hung Redis by default; a worker's BRPOP is read only once it has answered.
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        # Sending a job connects once, not again and again for broker_connection_timeout (4 s): a refused job waits
        # in the outbox (core/outbox.py). Publish retries and a worker's own reconnecting set their own limits.
        "max_retries": 0,
    }
# A Redis result backend, should one be configured (results are ignored by default).
CELERY_REDIS_SOCKET_TIMEOUT = CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 660
CELERY_TIMEZONE = TIME_ZONE
# Development's beat (bin/run); docker-compose.yml's beat keeps its schedule in a volume (--schedule).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# What beat queues and when: the jobs every app shares here, each app's own in its section below.
CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat", "schedule": 60.0},
    # Jobs the broker could not take when their change was saved (core/outbox.py). A run that piled up
    # while no worker was running is dropped rather than run many times over.
    "outbox-send": {"task": "core.tasks.pending_tasks_send", "schedule": 60.0, "options": {"expires": 55}},
    # Checked uploads nobody confirmed (core/holds.py).
    "held-uploads-expire": {"task": "core.tasks.held_uploads_delete_expired", "schedule": 3600.0},
}

# --- sign-in, sessions and accounts ---

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "core.oidc.CouncilAccountBackend",  # does nothing until the OIDC_ settings below are set
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in with the council's own account through its identity provider (OpenID Connect, core/oidc.py): offered
# once the client id and secret and the provider's authorization, token and JWKS endpoints are all set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")  # optional: the ID token's claims may do
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")  # when set, ID tokens from any other issuer are refused
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# "Group name or id=Role, ...": the identity provider's groups (in the OIDC_GROUPS_CLAIM claim) that give each role.
OIDC_ROLE_GROUPS = env.str("OIDC_ROLE_GROUPS", default="")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")

# Throttle guessing: lock a username+address pair after 5 failures for 30 minutes (the same username from
# another address is not locked, so a guesser cannot lock someone out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies the client's address is read from X-Forwarded-For, as the last of these proxies'
# entries (core/client_address.py): 0 uses REMOTE_ADDR, for a server reached directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip_address"
AXES_WHITELIST_CALLABLE = "core.oidc.not_a_password_attempt"  # a council sign-in has no password to guess

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Signed out after this many seconds without a request (0: never), warned SESSION_IDLE_WARNING seconds before.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
# A form refused by the CSRF check gets a page in the service's look that says what to do (core/views.py).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Administrators (staff, superusers, the Administrator role) must set up an authenticator app (TOTP) to sign in
# with a local password; anyone else may. A sign-in through the council's identity provider uses its own MFA.
SECOND_FACTOR_FOR_ADMINISTRATORS = env.bool("SECOND_FACTOR_FOR_ADMINISTRATORS", default=True)
OTP_TOTP_ISSUER = AUTHORITY_NAME

# --- HTTPS and security headers (core/middleware.py, django-csp) ---

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production hardening: what `manage.py check --deploy` asks for.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Asking browsers to preload HSTS commits the whole domain (every subdomain, for months, hard to undo): the
# decision of whoever runs the council's domain, so off unless they set it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# `check --deploy` asks for preloading (security.W021); left off on purpose, it is not a warning here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy: scripts and styles only from our own static files; the one inline script
# (base.html's js-enabled class) carries the per-request nonce. No inline style attributes anywhere
# (the SVG charts use presentation attributes, which CSP does not govern; htmx's indicator <style>
# is turned off in base.html's htmx-config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the service never uses, off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking", "browsing-topics",
    )
}
# --- Request time limit (no bare gunicorn timeout page) ---
# A request still running after this many seconds is stopped and answered with the service's own page
# (templates/504.html, core/request_timeout.py); gunicorn.conf.py keeps gunicorn's timeout above it. 0 turns it off.
REQUEST_TIMEOUT_SECONDS = env.float("REQUEST_TIMEOUT_SECONDS", default=50)
MIDDLEWARE.insert(MIDDLEWARE.index("core.middleware.NoStoreMiddleware") + 1,
                  "core.request_timeout.RequestTimeoutMiddleware")
# Right after SecurityMiddleware, so every response (error pages included) gets these headers.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_after_security:_after_security] = [
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.NoStoreMiddleware",
]

# --- static files, uploads and email ---

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = not PRODUCTION  # serve straight from the apps and node_modules in development
WHITENOISE_AUTOREFRESH = not PRODUCTION  # and pick up edited files without a restart
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # Arimo (Arial's metrics) for pages and PDFs, loaded by static/css/fonts.css: no machine font needed.
    ("fonts/arimo", BASE_DIR / "node_modules" / "@fontsource" / "arimo" / "files"),
    # htmx for live report status, from npm (package.json), served without a build step.
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# With no EMAIL_URL, development writes each email to a file under var/email/ (the demo's alerts included) rather
# than into the terminal; production prints it to the log, where an operator will look.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if PRODUCTION else "filemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith(".filebased.EmailBackend") and not EMAIL_CONFIG["EMAIL_FILE_PATH"]:
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(VAR_DIR / "email")  # Django's file backend makes the folder
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="commissioning@example.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- spreadsheet imports (core/imports.py) ---

# The most rows one file may have, how far an XLSX may expand, and the
# longest cell, so an upload never holds a web worker for long.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_903_EPISODES_MAX_ROWS = env.int("IMPORT_903_EPISODES_MAX_ROWS", default=200_000)
IMPORT_XLSX_MAX_BYTES = env.int("IMPORT_XLSX_MAX_BYTES", default=100_000_000)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=10_000)
# An upload with more rows than this is checked and imported by the worker, with its progress on the page.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=10_000)

# --- logging ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "core.log.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Refused and failed requests once, through the console's filter: propagating would also reach Django's
        # own "django" handlers, whose console (with DEBUG) prints a 403's traceback.
        "django.request": {"handlers": ["console"], "propagate": False},
        "django.security": {"handlers": ["console"], "propagate": False},
    },
}


# --- outcomes and KPIs (kpis/) ---

KPI_COMPUTED_PERIODS = env.int("KPI_COMPUTED_PERIODS", default=12)  # recent periods filled for computed KPIs
KPI_RECOMPUTE_HOUR = env.int("KPI_RECOMPUTE_HOUR", default=2)
CELERY_BEAT_SCHEDULE["kpis-computed-measures"] = {
    "task": "kpis.tasks.kpi_computed_measures_fill",
    "schedule": crontab(hour=KPI_RECOMPUTE_HOUR, minute=0),
}
CELERY_BEAT_SCHEDULE["kpis-nightly-recompute"] = {
    "task": "kpis.tasks.kpi_statuses_recompute",
    "schedule": crontab(hour=KPI_RECOMPUTE_HOUR, minute=30),
}

# --- contracts (contracts/) ---

CONTRACT_DECISION_LEAD_MONTHS = env.int("CONTRACT_DECISION_LEAD_MONTHS", default=6)
CONTRACT_REVIEW_MONTHS_HIGH = env.int("CONTRACT_REVIEW_MONTHS_HIGH", default=1)
CONTRACT_REVIEW_MONTHS_MEDIUM = env.int("CONTRACT_REVIEW_MONTHS_MEDIUM", default=3)
CONTRACT_REVIEW_MONTHS_LOW = env.int("CONTRACT_REVIEW_MONTHS_LOW", default=12)
CONTRACT_TRANSPARENCY_THRESHOLD = env.int("CONTRACT_TRANSPARENCY_THRESHOLD", default=5000)
CONTRACT_DEPARTMENT = env.str("CONTRACT_DEPARTMENT", default="Children's Services")  # in open-data exports
CONTRACT_OCID_PREFIX = env.str("CONTRACT_OCID_PREFIX", default="ocds-xxxxxx")
# The council as buyer in OCDS: an org-id.guide scheme and the council's identifier in it, e.g.
# GB-LAE (local authorities in England) and RDG. With no identifier the buyer is published without one
# (and `check --deploy` warns).
OCDS_BUYER_SCHEME = env.str("OCDS_BUYER_SCHEME", default="GB-LAE")
OCDS_BUYER_ID = env.str("OCDS_BUYER_ID", default="")
# The licence the OCDS data is published under (the Transparency Code asks for the Open Government Licence)
# and the council's page saying what it publishes and when. Left out of the package when empty.
OCDS_LICENSE_URL = env.str(
    "OCDS_LICENSE_URL", default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)
OCDS_PUBLICATION_POLICY_URL = env.str("OCDS_PUBLICATION_POLICY_URL", default="")
# Serve the Transparency Code register and the OCDS package without a sign-in, at
# /contracts/open-data/public/transparency.csv and /contracts/open-data/public/ocds.json (cached).
OPEN_DATA_PUBLIC = env.bool("OPEN_DATA_PUBLIC", default=False)
CONTRACT_ALERT_HOUR = env.int("CONTRACT_ALERT_HOUR", default=7)
CELERY_BEAT_SCHEDULE["contracts-daily-alerts"] = {
    "task": "contracts.tasks.contracts_send_alerts",
    "schedule": crontab(hour=CONTRACT_ALERT_HOUR, minute=15),
}

# --- market (market/) ---

# An owning group holding more than this percentage of the council's placements is named on the market page.
MARKET_GROUP_SHARE_PCT = env.int("MARKET_GROUP_SHARE_PCT", default=10)

# --- placements (placements/) ---

# Children aged 0-17 in the council's area (ONS mid-year estimate), for rates per 10,000.
PLACEMENTS_CHILD_POPULATION = env.int("PLACEMENTS_CHILD_POPULATION", default=35400)
PLACEMENTS_DISTANCE_THRESHOLD_MILES = env.int("PLACEMENTS_DISTANCE_THRESHOLD_MILES", default=20)
# The council's area as named in the postcode-district file's local_authority column: a placement in a
# district of another authority is outside the area (when not recorded otherwise).
PLACEMENTS_LOCAL_AUTHORITY = env.str("PLACEMENTS_LOCAL_AUTHORITY", default="Reading")
# Decimal strings. A cost change needs a second person's approval when it raises the weekly cost by more than
# this percentage, or takes it over this weekly amount (in pounds): the level at which a second signature is
# the council's scheme of delegation, not FINANCE_HIGH_COST_LIST_WEEKLY's reporting line.
PLACEMENTS_COST_CHANGE_APPROVAL_PCT = env.str("PLACEMENTS_COST_CHANGE_APPROVAL_PCT", default="5")
PLACEMENTS_COST_APPROVAL_WEEKLY = env.str("PLACEMENTS_COST_APPROVAL_WEEKLY", default="10000")
PLACEMENTS_PANEL_REVIEW_WINDOW_DAYS = env.int("PLACEMENTS_PANEL_REVIEW_WINDOW_DAYS", default=28)
# The DfE validation report holds an uploaded return's tables only until its check has run; any left after this
# many hours (a check that never ran) are deleted by the hourly sweep.
DFE_CHECK_UPLOAD_MAX_HOURS = env.int("DFE_CHECK_UPLOAD_MAX_HOURS", default=24)
DFE_CHECK_SOFT_TIME_LIMIT = env.int("DFE_CHECK_SOFT_TIME_LIMIT", default=600)
CELERY_BEAT_SCHEDULE["placements-dfe-check-sweep"] = {
    "task": "placements.tasks.dfe_check_uploads_sweep",
    "schedule": crontab(minute=40),
}

# --- budgets and forecast outturn (finance/) ---

# Decimal strings. A line forecast to overspend by up to this share of its budget is amber, beyond it red.
FINANCE_AMBER_OVERSPEND_PCT = env.str("FINANCE_AMBER_OVERSPEND_PCT", default="2")
# A placement costing this much a week (in pounds) or more is on the finance pages' high-cost list, which
# budget holders watch: lower than PLACEMENTS_COST_APPROVAL_WEEKLY, so a placement shows there before a cost
# change to it needs a second signature.
FINANCE_HIGH_COST_LIST_WEEKLY = env.str("FINANCE_HIGH_COST_LIST_WEEKLY", default="7000")
# The forecast's line totals are cached until anything they read changes (every write leaves a history record), and
# for at most this long; 0 computes them on every request.
FINANCE_FORECAST_CACHE_SECONDS = env.int("FINANCE_FORECAST_CACHE_SECONDS", default=600)
# The forecast is kept each month (for the chart through the year): on the 1st, as at the day before.
CELERY_BEAT_SCHEDULE["finance-monthly-snapshot"] = {
    "task": "finance.tasks.finance_forecast_snapshot",
    "schedule": crontab(hour=3, minute=30, day_of_month=1),
}

# --- strategies, actions and committee reports (plans/, reports/) ---

# The financial position table of committee reports in thousands of pounds (columns headed £000).
REPORTS_FINANCE_IN_THOUSANDS = env.bool("REPORTS_FINANCE_IN_THOUSANDS", default=False)
# Committee reports: PDF tagging (WeasyPrint variant; "" for none), build time limits, the quarterly schedule.
REPORTS_PDF_VARIANT = env.str("REPORTS_PDF_VARIANT", default="pdf/ua-1")
REPORTS_TASK_SOFT_TIME_LIMIT = env.int("REPORTS_TASK_SOFT_TIME_LIMIT", default=300)
REPORTS_TASK_TIME_LIMIT = env.int("REPORTS_TASK_TIME_LIMIT", default=360)
# A build records a sign of life this often; a running build silent for REPORTS_STALE_SECONDS lost its worker
# (killed, out of memory, machine restarted) and beat queues it again within a minute, so it finishes within
# about three minutes of a worker being available, without waiting for the broker's visibility timeout.
REPORTS_HEARTBEAT_SECONDS = env.int("REPORTS_HEARTBEAT_SECONDS", default=15)
REPORTS_STALE_SECONDS = env.int("REPORTS_STALE_SECONDS", default=60)
# A build stopped at the soft time limit, or whose worker went silent, or queued this many minutes with no
# worker starting it (its message lost), is sent again up to REPORTS_AUTOMATIC_RETRIES times, then failed
# with the reason and a "Try again" button.
REPORTS_AUTOMATIC_RETRIES = env.int("REPORTS_AUTOMATIC_RETRIES", default=2)
REPORTS_QUEUED_LOST_MINUTES = env.int("REPORTS_QUEUED_LOST_MINUTES", default=10)
CELERY_BEAT_SCHEDULE["reports-restart-stalled"] = {
    "task": "reports.tasks.report_runs_restart_stalled",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# After each financial quarter closes (1 Apr, 1 Jul, 1 Oct, 1 Jan), on this day of the next month at this hour,
# beat queues this kind of report for the quarter just closed and emails subscribers (ReportSubscription in the
# admin, plus these addresses) when it is ready.
REPORTS_SCHEDULE_ENABLED = env.bool("REPORTS_SCHEDULE_ENABLED", default=True)
REPORTS_SCHEDULED_KIND = env.str("REPORTS_SCHEDULED_KIND", default="performance")
REPORTS_SCHEDULE_DAY = env.int("REPORTS_SCHEDULE_DAY", default=10)
REPORTS_SCHEDULE_HOUR = env.int("REPORTS_SCHEDULE_HOUR", default=6)
REPORTS_SCHEDULED_RECIPIENTS = env.list("REPORTS_SCHEDULED_RECIPIENTS", default=[])
# The implications sections every report starts from (each report's own can be changed when it is built): the
# council's finance, legal, equality, risk and children's rights officers' standard wording for a report to note.
# Financial and risk implications open with what the figures say (the forecast variance; the red KPIs and those
# without a remedial action) and end with this wording, so it must not claim anything the figures could contradict.
REPORTS_FINANCIAL_IMPLICATIONS = env.str(
    "REPORTS_FINANCIAL_IMPLICATIONS",
    default="Spending on placements is reported to the Committee in the budget monitoring reports.",
)
REPORTS_LEGAL_IMPLICATIONS = env.str(
    "REPORTS_LEGAL_IMPLICATIONS",
    default="There are no legal implications arising directly from this report. The Council has a duty under "
    "section 22G of the Children Act 1989 to secure sufficient accommodation for the children it looks after.",
)
REPORTS_EQUALITY_IMPLICATIONS = env.str(
    "REPORTS_EQUALITY_IMPLICATIONS",
    default="This report is for noting and proposes no change to services, so no equality impact assessment is "
    "needed. The Council has regard to the public sector equality duty (section 149 of the Equality Act 2010).",
)
REPORTS_RISK_IMPLICATIONS = env.str(
    "REPORTS_RISK_IMPLICATIONS",
    default="Risks are managed through the directorate risk register.",
)
REPORTS_CHILDRENS_RIGHTS_IMPLICATIONS = env.str(
    "REPORTS_CHILDRENS_RIGHTS_IMPLICATIONS",
    default="The services reported on support the rights of children under the United Nations Convention on the "
    "Rights of the Child, in particular the child's best interests (article 3) and care away from home (article 20).",
)
if REPORTS_SCHEDULE_ENABLED:
    CELERY_BEAT_SCHEDULE["reports-quarterly-build"] = {
        "task": "reports.tasks.report_schedule_quarterly_build",
        "schedule": crontab(
            minute=0, hour=REPORTS_SCHEDULE_HOUR, day_of_month=REPORTS_SCHEDULE_DAY, month_of_year="1,4,7,10"
        ),
    }

# --- commissioning programme (programme/) ---
# The stages of the commissioning cycle, in order; a project moves from one to the next through a gateway.
PROGRAMME_STAGES = env.list("PROGRAMME_STAGES", default=["Analyse", "Plan", "Do", "Review"])
# The products a gateway requires before a project may enter each stage ("Stage=kind,kind;Stage=kind").
PROGRAMME_GATEWAY_PRODUCTS = {
    stage.strip(): [kind.strip() for kind in kinds.split(",") if kind.strip()]
    for stage, _, kinds in (
        part.partition("=")
        for part in env.str(
            "PROGRAMME_GATEWAY_PRODUCTS",
            default="Plan=needs_analysis;Do=options_appraisal,eia,business_case;Review=award_decision",
        ).split(";")
        if part.strip()
    )
}
# The council's risk matrix: a score (likelihood x impact) up to GREEN_MAX is green, up to AMBER_MAX amber, else red.
PROGRAMME_RISK_GREEN_MAX = env.int("PROGRAMME_RISK_GREEN_MAX", default=4)
PROGRAMME_RISK_AMBER_MAX = env.int("PROGRAMME_RISK_AMBER_MAX", default=12)

# --- sufficiency and demand (sufficiency/) ---
# The demand forecast: how many months of history its rates come from, how far ahead it looks (at most 60), how
# many months its backtest checks, and the worker's time limit for one run (the forecast, every scenario, the
# backtest). It runs each night when the episodes, placements or costs have changed, and whenever someone asks.
SUFFICIENCY_REFERENCE_MONTHS = env.int("SUFFICIENCY_REFERENCE_MONTHS", default=24)
SUFFICIENCY_FORECAST_MONTHS = env.int("SUFFICIENCY_FORECAST_MONTHS", default=60)
SUFFICIENCY_BACKTEST_MONTHS = env.int("SUFFICIENCY_BACKTEST_MONTHS", default=12)
SUFFICIENCY_TASK_SOFT_TIME_LIMIT = env.int("SUFFICIENCY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_BEAT_SCHEDULE["sufficiency-forecast-refresh"] = {
    "task": "sufficiency.tasks.forecast_refresh",
    "schedule": crontab(hour=4, minute=15),
}
