"""Settings for MSHT Governance, read from the environment.

Defaults suit a developer's machine (SQLite, tasks run in-process, console email). Production sets
DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS; with those `check --deploy` is clean.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mshtgov.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mshtgov",
    "governance",
    "strategy",
    "partnerships",
    "learning",
    "inspection",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so the page's access-log rows commit while the page is rendered (mshtgov.audit).
    "mshtgov.audit.AccessLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mshtgov.middleware.AuthenticationMiddleware",
    "mshtgov.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "mshtgov.middleware.AbsoluteSessionLifetimeMiddleware",
    "mshtgov.mfa.middleware.TwoStepMiddleware",
    "mshtgov.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the finished page: abbreviations expanded on first use (mshtgov/glossary.py).
    "mshtgov.glossary.GlossaryMiddleware",
]

ROOT_URLCONF = "mshtgov.urls"
WSGI_APPLICATION = "mshtgov.wsgi.application"

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
                "mshtgov.context_processors.service",
            ],
            "builtins": ["mshtgov.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "mshtgov.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Every select box iterates its queryset (ModelChoiceIterator uses .iterator()), which on PostgreSQL
    # opens a server-side cursor: DECLARE, FETCH and CLOSE, three round trips instead of one per field.
    # Nothing here streams more rows than fit comfortably in memory.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, eager tasks, seeding) share one file: wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every web and worker process in production (summary invalidation must reach them all).
CACHE_URL = env_str("CACHE_URL") or ""
CACHES = {
    "default": {
        **(
            {"BACKEND": "mshtgov.cache.SharedRedisCache", "LOCATION": CACHE_URL}
            if CACHE_URL
            # Not the default 300 entries: a dashboard stores more than that, and culling then drops the
            # version counters too, so every page rebuilt everything (correct, but nothing stayed warm).
            else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50_000}}
        ),
        # Lets two deployments (or a benchmark beside a developer's server) share one Redis database.
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX") or "",
    }
}

# --- Authentication -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first: it refuses locked-out attempts
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Username plus address: the whole force sits behind one NAT, so address alone would lock everyone out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_HTTP_RESPONSE_CODE = 429

# Two-step sign-in (password, then an authenticator app code; docs/SECURITY.md AUTH-5). Off only in the
# DEBUG demo, so `make run` signs in with a password alone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "MSHT Governance"  # the name the authenticator app shows beside the code
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # admins never see a user's secret key or recovery codes
# An account with no authenticator needs a one-time enrolment code from an admin to set one up
# (mshtgov.mfa.enrolment); the code expires after this many hours.
MFA_ENROLMENT_CODE_HOURS = env_int("MFA_ENROLMENT_CODE_HOURS", 72)

ANONYMOUS_USER_NAME = None  # no guardian AnonymousUser row: anonymous visitors never hold grants
GUARDIAN_RAISE_403 = False

# --- Sessions and transport security ---------------------------------------------------------------
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
# Sessions are read from the cache when it is shared (Redis): one round trip to Redis instead of a query.
# A per-process cache would keep a signed-out or ended session alive in the other web workers' memory,
# so without CACHE_URL sessions are read from the database on every request.
# With the shared cache: Django's cached-database sessions, read with the user's cached entry (mshtgov.authcache).
SESSION_ENGINE = "mshtgov.session_store" if CACHE_URL else "django.contrib.sessions.backends.db"
# The signed-in user with their roles and permissions, read from the cache instead of two queries per
# request (mshtgov.authcache): only when the cache is shared, for the same reason as sessions.
AUTH_CACHE = bool(CACHE_URL)
SESSION_COOKIE_AGE = 30 * 60  # idle timeout, from the last renewal
# Activity renews the session (a database write and commit) at most this often, not on every request
# (mshtgov.sessions.renew_if_due): a session idle for SESSION_COOKIE_AGE has always ended.
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60  # signed out after ten hours whatever the activity
SESSION_WARNING_SECONDS = 3 * 60  # the "stay signed in" dialog opens this long before expiry
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
if HTTPS_ONLY:
    # __Host- cookies are refused by browsers over plain http, so only with HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Locale -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
# Until collectstatic has run (the Docker image runs it), files come from the finders: not worth a warning.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
# Uploaded papers and built packs live outside the web root and are only served by views that check access.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT") or BASE_DIR / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": "/no-public-url/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email --------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST") or ""
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "msht-governance@force.invalid"
# Emails (reminder digests) are read outside the app, so their links must be absolute. The deploy check
# mshtgov.W001 warns when production has none.
SITE_URL = (env_str("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
# clamd's address ("host:port" or a Unix socket path) for scanning uploaded papers; empty turns scanning off.
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS") or ""

# --- Service ------------------------------------------------------------------------------------
SERVICE_NAME = "MSHT Governance"
# The force named on the board pack's cover (and its logo, a PNG/JPEG/SVG file path readable by the
# worker). Empty: the cover names the service only.
FORCE_NAME = (env_str("FORCE_NAME") or "").strip()
FORCE_LOGO = (env_str("FORCE_LOGO") or "").strip()
SITE_DEFAULT_MARKING = (env_str("SITE_DEFAULT_MARKING") or "official").lower()
ACCESS_LOG_JUSTIFICATION_REQUIRED = env_bool("ACCESS_LOG_JUSTIFICATION_REQUIRED", False)
ACCESS_LOG_MAINTENANCE = False  # only test settings turn this on, so test databases can be flushed
# A page's access-log row is committed by a writer thread while the page renders (mshtgov.audit); the page still
# waits for the commit. Test settings turn it off (tests run in a transaction the writer could not see).
ACCESS_LOG_OVERLAP = True

# After a change commits, a background job draws the dashboard again for its recent readers, so that their next
# view is served from the cache (mshtgov.dashboard_warming). Without a broker the job runs in the request that
# made the change, after its commit.
DASHBOARD_WARMING = env_bool("DASHBOARD_WARMING", True)

# --- Personal data (mshtgov.personal_data) -------------------------------------------------------------
# Text the personal-data screen lets through although its rules match it: known false positives such as
# a partner organisation's office postcode or a team mailbox. Compared ignoring case and spaces.
PERSONAL_DATA_ALLOW_LIST = env_list("PERSONAL_DATA_ALLOW_LIST")
# Search terms are logged only as a keyed hash (mshtgov.audit.search_term_hash). Its own key, so rotating
# SECRET_KEY does not stop an auditor finding older searches; empty: derived from SECRET_KEY.
ACCESS_LOG_SEARCH_SALT = env_str("ACCESS_LOG_SEARCH_SALT") or ""

# How long each kind of record is kept before its owner or a senior leader must review it (DPA 2018
# s.39: kept no longer than necessary). Months from the record's creation, then from each "keep"
# decision's review date. `owner`: the path to the user asked to review it (none: senior leaders only).
# A new app adds its kinds here; a kind whose app is not installed is skipped.
# Days after an operation is concluded or closed by which its debrief is due (operations app).
OPERATIONS_DEBRIEF_DUE_DAYS = 28

RETENTION_REVIEW = {
    "operations.operation": {
        "months": 72,
        "owner": "officer_in_charge",
        "reason": "Six years, the MoPI review point for operational records kept for organisational learning and "
        "performance: the register proves outcomes and disruptions through an inspection cycle.",
    },
    "learning.lesson": {
        "months": 72,
        "owner": "owner",
        "reason": "Six years, the MoPI review point for information kept for organisational learning: long "
        "enough to show a lesson was acted on through an inspection cycle.",
    },
    "governance.meeting": {
        "months": 84,
        "owner": "board__secretary",
        "reason": "Seven years for governance records (minutes, attendance): the board's decisions must be "
        "evidenced through two inspection cycles and any legal challenge to them.",
    },
    "governance.decision": {
        "months": 84,
        "owner": "meeting__board__secretary",
        "reason": "Seven years, as for the minutes of the meeting that took the decision.",
    },
    "governance.action": {
        "months": 36,
        "owner": "owner",
        "reason": "Three years: an action is evidence of delivery for the strategy period it served.",
    },
    "partnerships.safeguardingnotification": {
        "months": 24,
        "owner": "notified_by",
        "reason": "Two years: the partner holds the case; the force keeps the fact of the notification only "
        "for the partnership's performance returns and their audit.",
    },
    "partnerships.ictgreferral": {
        "months": 24,
        "owner": None,
        "reason": "Two years after referral: child referrals are the most sensitive records here, reviewed "
        "by a senior leader as soon as the ICTG support has ended.",
    },
    "partnerships.informationsharingagreement": {
        "months": 72,
        "owner": "owner",
        "reason": "Six years: the limitation period for a claim about data shared under the agreement.",
    },
    "strategy.threat": {
        "months": 36,
        "owner": "owner",
        "reason": "Three years: a threat assessment older than the strategy period no longer informs it.",
    },
}

# --- Audit trail --------------------------------------------------------------------------------
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_DATE_INDEX = "Composite"

# --- Background jobs ----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or ""
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
# Without a broker the embedded default runs tasks in-process, so the demo needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # redelivered after a killed worker; tasks cap their attempts
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 20  # WeasyPrint's memory grows across renders
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1_500_000  # KiB
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_VISIBILITY_TIMEOUT = 3600  # must stay well above the hard time limit
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "health_check_interval": 30,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing from a web request must give up fast when Redis is down, never hang the page.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A running pack, bundle or import renews a lease this long (mshtgov.queueing.heartbeat); one not renewed
# lost its worker and is failed by the next sweep (every minute), so it can be retried within minutes.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 90)
CELERY_TASK_MAX_DELIVERIES = 3  # after this many starts a task gives up (a render that kills its worker)
CELERY_TASK_ROUTES = {
    "governance.tasks.build_board_pack_task": {"queue": "pdf"},
    "inspection.tasks.build_evidence_bundle_task": {"queue": "pdf"},
}
CELERY_BEAT_SCHEDULE: dict = {}  # each app adds its own entries in mshtgov/schedule.py

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mshtgov.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

from mshtgov.schedule import BEAT_SCHEDULE  # noqa: E402  (kept beside the tasks it names)

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
