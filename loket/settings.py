"""Django settings for Loket. Every knob is an environment variable, documented in
docs/configuration.md; the defaults give the embedded set-up (SQLite, no Redis)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


TESTING = "PYTEST_VERSION" in os.environ  # set by pytest itself (>= 8.2)
DEMO = env_bool("LOKET_DEMO")
DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEMO or TESTING:
        SECRET_KEY = "loket-demo-only-not-secret"  # noqa: S105 - demo/test only, never production
    else:
        # A clear one-line message instead of a traceback: this is an operator's mistake.
        raise SystemExit(
            "Loket: SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random value (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set LOKET_DEMO=1 to run the demo municipality."
        )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Public base address, used in links in e-mails (tracking links).
BASE_URL = os.environ.get(
    "LOKET_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "loket.core",
    "loket.intake",
    "loket.workflow",
    "loket.routing",
    "loket.coupling",
    "loket.monitoring",
    "loket.privacy",
    "loket.demo",
    "loket.web",
]

MIDDLEWARE = [
    "loket.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "loket.core.middleware.ApiMiddleware",
]

ROOT_URLCONF = "loket.urls"
# NL API Design Rules: no trailing slashes and no redirects to add one.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "loket" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loket.web.context_processors.loket",
            ],
        },
    },
]

WSGI_APPLICATION = "loket.wsgi.application"

# --- Database: SQLite file in the project unless DATABASE_URL is set -----------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = (
    []
    if DEMO or TESTING
    else [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
)

if TESTING:  # hashing strength is not under test; PBKDF2 would dominate the suite's run time
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "loket" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Single sign-on (OpenID Connect): on only when OIDC_RP_CLIENT_ID is set ----------------
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("loket.web.oidc.LoketOIDCBackend")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
    OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "")
    OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env_int("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", 900)
    LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL

# --- E-mail: printed to stdout unless an SMTP host is configured ---------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loket <loket@gemeente.example>")

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not DEMO and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a body over 1 MB is refused (413)

# --- REST API ------------------------------------------------------------------------------
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing login 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["loket.core.api.parsers.LimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "loket.core.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "loket.core.api.openapi.LoketAutoSchema",
    "EXCEPTION_HANDLER": "loket.core.api.problems.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "intake": os.environ.get("LOKET_INTAKE_THROTTLE", "20/hour"),
        "login": os.environ.get("LOKET_LOGIN_THROTTLE", "10/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Loket API",
    "DESCRIPTION": (
        "Intake en routering van bewonersinitiatieven: indienen, volgen, doorsturen naar "
        "vakafdelingen, koppelkansen en signalering van vastgelopen initiatieven."
    ),
    "VERSION": API_VERSION,
    "CONTACT": {
        "name": "Loket - Gemeente Voorbeeld",
        "email": "loket@gemeente.example",
        "url": "https://loket.gemeente.example",
    },
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Paths are relative to the server URL (which ends in /api/v1), so clients and
    # schemathesis resolve them to the real address.
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "TAGS": [
        {"name": "initiatieven", "description": "Indienen (openbaar) en zoeken (medewerkers)."},
        {"name": "volgen", "description": "Initiatiefnemers volgen hun initiatief via hun "
                                          "geheime link en vullen het aan."},
        {"name": "inloggen", "description": "Een token voor medewerkers."},
        {"name": "beheer", "description": "Gezondheid van de dienst en dit document."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "loket.core.api.openapi.add_nl_api_headers",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVERS": [{"url": f"{BASE_URL}/api/v1", "description": "Loket"}],
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStateEnum": "loket.workflow.states.State.choices",
        "SupportKindEnum": "loket.intake.models.SupportKind.choices",
        "RequestStatusEnum": "loket.routing.models.RoutedRequest.Status",
    },
}

# --- Celery ------------------------------------------------------------------------------
# No broker configured: embedded mode, tasks run in-process right after the commit that
# enqueued them (see docs/configuration.md for the trade-off); periodic tasks run through
# `manage.py run_periodic`, which `dev.py start` launches beside the web server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = TESTING
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is delivered again ...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ... and tasks are idempotent, so that is safe
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds before Redis hands an unacknowledged task (its worker died) to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300)}
# A request must never hang on a broker that is down: publish fails fast, the sweeper
# (routing) picks up whatever was not enqueued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "heartbeat": {"task": "loket.core.heartbeat", "schedule": 60.0},
    "routing-sweep": {"task": "loket.routing.sweep", "schedule": 60.0},
    "routing-reminders": {"task": "loket.routing.send_reminders", "schedule": 3600.0},
    "outbox-sweep": {"task": "loket.core.sweep_outbox", "schedule": 120.0},
    "flag-stalled": {"task": "loket.monitoring.scan_flags", "schedule": 15 * 60.0},
    "anonymise-initiators": {"task": "loket.privacy.anonymise", "schedule": 24 * 3600.0},
}

# --- Cache (throttle counters): shared by all web processes -------------------------------
# Redis when one is configured (REDIS_URL, or a redis:// Celery broker), else a file cache
# that the gunicorn workers of one machine share. Short timeouts: a cache outage must not
# hang requests (the throttles fail open). Tests use local memory, cleared per test.
REDIS_URL = os.environ.get("REDIS_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "loket",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("LOKET_CACHE_DIR", str(BASE_DIR / ".cache")),
        "KEY_PREFIX": "loket",
    }}

# --- Logging: one JSON object a line on stdout --------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "loket.core.logging.JsonFormatter"},
        "plain": {"()": "loket.core.logging.RedactingPlainFormatter",
                  "format": "%(levelname)s %(name)s %(message)s"},
    },
    # No secrets or personal data in logs (e-mail, phone, tokens, tracking links).
    "filters": {"redact": {"()": "loket.core.logging.RedactingFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["redact"],
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Loket domain settings -----------------------------------------------------------------
LOKET_MUNICIPALITY_NAME = os.environ.get("LOKET_MUNICIPALITY_NAME", "Gemeente Voorbeeld")
LOKET_DUPLICATE_WINDOW_MINUTES = env_int("LOKET_DUPLICATE_WINDOW_MINUTES", 10)
LOKET_ROUTING_SWEEP_AFTER_SECONDS = env_int("LOKET_ROUTING_SWEEP_AFTER_SECONDS", 120)
LOKET_ANONYMISE_AFTER_DAYS = env_int("LOKET_ANONYMISE_AFTER_DAYS", 365)
# Seconds the managers' summary may be served from its last refresh (beat refreshes it).
LOKET_DASHBOARD_MAX_AGE_SECONDS = env_int("LOKET_DASHBOARD_MAX_AGE_SECONDS", 1800)
# Coupling (koppelkansen): department vocabulary used only when no routing rules are
# configured (a dotted path to a function returning profiles), and which suggestions to keep.
LOKET_DEPARTMENT_PROFILES = os.environ.get(
    "LOKET_DEPARTMENT_PROFILES",
    "loket.demo.lexicon.department_profiles" if DEMO or TESTING else "",
)
LOKET_COUPLING_MIN_SCORE = float(os.environ.get("LOKET_COUPLING_MIN_SCORE", "") or 0.3)
LOKET_COUPLING_MAX_SUGGESTIONS = env_int("LOKET_COUPLING_MAX_SUGGESTIONS", 5)
# Mounts bench/bareview.py (a plain one-row-insert view) for bench/load_intake.py only.
LOKET_BENCH_BARE = env_bool("LOKET_BENCH_BARE")
