"""Settings for Qujing Disclosure, read from the environment (django-environ).

Every value has an embedded default so that `make run` needs no servers:
SQLite for the database, a filesystem Celery broker, local-memory cache, uploads on local disk.
Set DATABASE_URL / CELERY_BROKER_URL / REDIS_URL / MEDIA_STORAGE=s3 to use PostgreSQL, Redis
and object storage (production.py requires them). Importing this module does no I/O beyond
reading an optional `.env` file: it creates no folder, so a read-only checkout starts; every
path that holds state is configurable (STATE_DIR and the paths derived from it).
"""
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Local state of the embedded defaults (SQLite file, broker folder, uploads, beat lock). Created
# by `make setup` / scripts/run-dev.sh, never here.
STATE_DIR = Path(env.str("STATE_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-9f2b7c")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served locally (no CDN)
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_celery_beat",
    "qujing_disclosure.core",
    "sites",
    "evaluation",
    "disclosure",
]

MIDDLEWARE = [
    # First: /ping and /healthz are answered before host checks, HTTPS redirects, sessions.
    "qujing_disclosure.core.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every audit row written by one request shares a batch id.
    "qujing_disclosure.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must be last: turns repeated failed logins into a lockout.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qujing_disclosure.urls"
CSRF_FAILURE_VIEW = "qujing_disclosure.core.views.csrf_failure"
WSGI_APPLICATION = "qujing_disclosure.wsgi.application"

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
                "django.template.context_processors.i18n",
                "qujing_disclosure.core.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{STATE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new connection per request costs about a third of a page's
# throughput), checked before reuse so a restarted PostgreSQL costs one failed check, not errors.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite serialises writers; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # A server that does not answer fails fast (readiness probe, web requests) instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
    # Behind PgBouncer in transaction pooling mode server-side cursors break (docs/operations.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Client addresses for lockouts and rate limits: behind N reverse proxies set TRUSTED_PROXY_COUNT=N.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "qujing_disclosure.core.clientip.client_ip"
RATELIMIT_IP_META_KEY = "qujing_disclosure.core.clientip.client_ip"
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"  # every date rule is judged in China time
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded materials. Every file URL is /media/<name>, answered by core.views.protected_media
# after the access check; how the bytes then travel is MEDIA_DELIVERY (core/storage.py):
#   app     the app streams the file (the embedded default),
#   x-accel the proxy serves it after an internal redirect (nginx X-Accel-Redirect, docs/operations.md),
#   signed  a redirect to a short-lived signed object-storage URL (the default with MEDIA_STORAGE=s3).
# MEDIA_STORAGE=filesystem keeps them on local disk (one app server, or a shared volume);
# MEDIA_STORAGE=s3 puts them in an S3-compatible bucket (several app servers), never public.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(STATE_DIR / "media"))
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
MEDIA_DELIVERY = env.str("MEDIA_DELIVERY", default="signed" if MEDIA_STORAGE == "s3" else "app")
MEDIA_ACCEL_PREFIX = env.str("MEDIA_ACCEL_PREFIX", default="/_protected_media/")
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=60)
if MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "qujing_disclosure.core.storage.ProtectedS3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET", default=""),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
            "location": env.str("S3_PREFIX", default=""),
            "querystring_expire": MEDIA_SIGNED_URL_SECONDS,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded materials: largest accepted file, in bytes (default 20 MB).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The cache holds public pages, their versions and the rate-limit counters. With REDIS_URL it
# is shared by every process and server; a Redis error is a cache miss after a short timeout
# (core/cache_backends.py), never an error page. Sessions and login lockouts live in the database.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=5.0)
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "qujing_disclosure.core.cache_backends.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "qj",
        "OPTIONS": {"socket_timeout": CACHE_SOCKET_TIMEOUT, "socket_connect_timeout": CACHE_SOCKET_TIMEOUT},
    }}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qujing"}}
# When the cache cannot count (Redis down), the public forms stay open (fail open): an objection
# to a publicity (R8) or a piece of feedback (R18) must not be refused because of our outage.
# The honeypot fields and the one-rating-per-number constraint (R19) still hold; the outage is logged.
RATELIMIT_FAIL_OPEN = env.bool("RATELIMIT_FAIL_OPEN", default=True)

# Celery. The default broker is Kombu's filesystem transport: no server needed,
# good for one machine. Set CELERY_BROKER_URL=redis://... in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(STATE_DIR / "broker")))
# The longest job (a sweep over 100,000 rows) takes well under a minute; a task is killed after
# CELERY_TASK_TIME_LIMIT, and a message whose worker died unacknowledged is delivered again after
# CELERY_VISIBILITY_TIMEOUT, which must stay above the time limit (else a running job is doubled).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 30, 1)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)


def filesystem_broker_options(folder):
    return {
        "data_folder_in": str(folder / "out"),
        "data_folder_out": str(folder / "out"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(CELERY_BROKER_FOLDER)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 10,  # above the 1-second BRPOP the worker waits on
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Sending from a web request: a few quick tries, then core.queue logs and the next sweep catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# acks_late is set per task, only on tasks that are idempotent; such a task whose worker process
# is killed goes back to the queue instead of being lost.
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE = {}  # each app adds its jobs in its tasks module's BEAT_SCHEDULE
# Beat keeps its schedule state in the database (django-celery-beat) and runs only while it holds
# a lease (core/beat.py): start beat on two hosts and one sends, the other waits to take over.
CELERY_BEAT_SCHEDULER = "qujing_disclosure.core.beat:SingleBeatScheduler"
CELERY_BEAT_SYNC_EVERY = 1  # record each run at once, so a successor does not repeat it
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous caller gets 401 + WWW-Authenticate rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qujing_disclosure.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qujing Disclosure API / 曲靖市党务公开示范点管理系统 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across apps get stable, distinct schema names.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "sites.enums.ApplicationState",
        "RoundStatusEnum": "sites.enums.RoundStatus",
        "DesignationStatusEnum": "sites.enums.DesignationStatus",
        "JurisdictionKindEnum": "sites.enums.JurisdictionKind",
        "AssignmentStateEnum": "evaluation.enums.AssignmentState",
        "ScorecardStateEnum": "evaluation.enums.ScorecardState",
        "ObjectionStateEnum": "evaluation.enums.ObjectionState",
        "SubsidyStateEnum": "evaluation.enums.SubsidyState",
        "CandidateKindEnum": "evaluation.enums.CandidateKind",
        "ReevaluationOutcomeEnum": "evaluation.enums.ReevaluationOutcome",
        "InspectionKindEnum": "evaluation.enums.InspectionKind",
        "InspectionRatingEnum": "evaluation.enums.InspectionRating",
        "DeliberationDecisionEnum": "evaluation.enums.DeliberationDecision",
        "FeedbackStateEnum": "disclosure.enums.FeedbackState",
        "ItemStateEnum": "disclosure.enums.ItemState",
        "RectificationStateEnum": "disclosure.enums.RectificationState",
        "FindingStateEnum": "disclosure.enums.FindingState",
        "ExemptionStateEnum": "disclosure.enums.ExemptionState",
        "CarrierKindEnum": "disclosure.enums.CarrierKind",
        "FindingKindEnum": "disclosure.enums.FindingKind",
        "EvidenceKindEnum": "disclosure.enums.EvidenceKind",
        "InspectionResultEnum": "disclosure.enums.InspectionResult",
    },
}

# Mail goes through Celery (core/mail.py), never from inside a web request. EMAIL_URL examples:
# smtp+tls://user:password@smtp.example.org:587, smtps://user:password@host:465, consolemail://.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
if "EMAIL_FILE_PATH" in _email:
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@qujing-disclosure.local")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# /healthz answers within this many seconds whatever hangs (core/health.py).
HEALTHZ_TIMEOUT_SECONDS = env.float("HEALTHZ_TIMEOUT_SECONDS", default=0.8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- sites (designation) -------------------------------------------------------------
# (UPLOAD_MAX_BYTES above.) The public address printed in plaque QR codes (e.g. https://dj.qj.gov.cn);
# empty = the host that served the page.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")
# Anonymous public pages are cached this long (0 disables); saves bump their version (core/caching.py).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)

# --- evaluation, publicity and award (evaluation app owns this section) -----------------
# R8: the shortest publicity, in calendar days (start and end included).
PUBLICITY_MIN_DAYS = env.int("PUBLICITY_MIN_DAYS", default=7)
# R9: one-off subsidy per level, in yuan (city-level sites 3,000; county-level none by default).
SUBSIDY_BY_LEVEL = {
    "city": env.int("SUBSIDY_CITY_YUAN", default=3000),
    "county": env.int("SUBSIDY_COUNTY_YUAN", default=0),
}
# R8: objections are answered within this many working days (China's official calendar).
OBJECTION_ANSWER_WORKING_DAYS = env.int("OBJECTION_ANSWER_WORKING_DAYS", default=5)
# Objection form: at most this many submissions per client address (django-ratelimit syntax).
OBJECTION_RATELIMIT = env.str("OBJECTION_RATELIMIT", default="5/h")
# Evaluator panels of this size or larger drop the highest and lowest total (trimmed mean).
EVALUATION_TRIM_FROM = env.int("EVALUATION_TRIM_FROM", default=5)

# --- disclosure (disclosure app owns this section) --------------------------------------
# R18: the organisation answers public feedback within this many working days (China's calendar).
FEEDBACK_ANSWER_WORKING_DAYS = env.int("FEEDBACK_ANSWER_WORKING_DAYS", default=5)
# R17: an item stays on display at least this many days (半个月).
DISCLOSURE_MIN_DISPLAY_DAYS = 15
# R16: publication dates fall on these days of each month (China time).
DISCLOSURE_WINDOW_FIRST_DAY = 1
DISCLOSURE_WINDOW_LAST_DAY = 10
# Beat jobs: remind before the window opens and before it closes; check missed entries the day after it closes.
DISCLOSURE_REMIND_OPENING_DAY = 25
DISCLOSURE_REMIND_CLOSING_DAY = 8
DISCLOSURE_CHECK_DAY = 11
# Exemption (R11) review reminders start this many days before the review-by date.
DISCLOSURE_EXEMPTION_REMIND_DAYS = env.int("DISCLOSURE_EXEMPTION_REMIND_DAYS", default=14)
# Public forms: per-client POST limits (django-ratelimit rate strings).
DISCLOSURE_FEEDBACK_RATELIMIT = env.str("DISCLOSURE_FEEDBACK_RATELIMIT", default="5/h")
DISCLOSURE_RATING_RATELIMIT = env.str("DISCLOSURE_RATING_RATELIMIT", default="10/d")
# R19: phone numbers are stored only as an HMAC with this secret (defaults to SECRET_KEY).
DISCLOSURE_SATISFACTION_SECRET = env.str("DISCLOSURE_SATISFACTION_SECRET", default=SECRET_KEY)
