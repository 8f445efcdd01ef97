"""Production settings: `DJANGO_SETTINGS_MODULE=qujing_disclosure.settings.production`.

`manage.py check --deploy` is clean with these. They refuse to start (ImproperlyConfigured) on
what would otherwise fail later or silently: an empty or development secret key, DEBUG, no
Redis (cache and rate limits must be shared by every process), the filesystem broker, and
uploads whose home was not chosen (MEDIA_STORAGE=s3 with its bucket and keys, or
MEDIA_STORAGE=filesystem with an explicit MEDIA_ROOT for one server or a shared volume).
docs/operations.md lists a complete environment file.
"""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import CELERY_BROKER_URL, REDIS_URL, STORAGES, env

_DEV_KEY = "dev-only-insecure-key-change-me-in-production-9f2b7c"


def _refuse(message):
    raise ImproperlyConfigured(f"Production settings: {message} (see docs/operations.md).")


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="").strip()
if not SECRET_KEY or SECRET_KEY == _DEV_KEY:
    _refuse("DJANGO_SECRET_KEY is empty; generate one with `openssl rand -hex 32`")
if env.bool("DJANGO_DEBUG", default=False):
    _refuse("DJANGO_DEBUG must be false")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    _refuse("DJANGO_ALLOWED_HOSTS is empty")
if not REDIS_URL:
    _refuse("REDIS_URL is required: the cache and rate limits must be shared by every process and server")
if CELERY_BROKER_URL.startswith("filesystem"):
    _refuse("CELERY_BROKER_URL must name a broker server, e.g. redis://127.0.0.1:6379/0")

_media_storage = env.str("MEDIA_STORAGE", default="")
if _media_storage == "s3":
    _s3 = STORAGES["default"]["OPTIONS"]
    _missing = [name for name, key in (("S3_BUCKET", "bucket_name"), ("S3_ACCESS_KEY_ID", "access_key"),
                                       ("S3_SECRET_ACCESS_KEY", "secret_key")) if not _s3.get(key)]
    if _missing:
        _refuse(f"MEDIA_STORAGE=s3 needs {', '.join(_missing)}")
elif _media_storage == "filesystem":
    if not env.str("MEDIA_ROOT", default=""):
        _refuse("MEDIA_STORAGE=filesystem needs MEDIA_ROOT (a folder outside the code, shared if there are several app servers)")
else:
    _refuse("MEDIA_STORAGE must be s3 (several app servers) or filesystem (with MEDIA_ROOT)")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The deployment puts one TLS-terminating proxy in front (README); it appends X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load-balancer probes speak plain HTTP to the app server (ProbeMiddleware answers them first anyway).
SECURE_REDIRECT_EXEMPT = [r"^ping$", r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
