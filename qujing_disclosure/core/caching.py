"""Short-lived caching of public pages for anonymous readers.

The public directory is the busiest part of the site and identical for every anonymous
reader, so its responses are cached per URL, language and *version*. Saving a model that
a page shows bumps that page family's version (see sites/apps.py), so a revocation
appears at once when the cache is shared (Redis, REDIS_URL). With the per-process
local-memory cache the timeout (PUBLIC_CACHE_SECONDS, default 60 s) bounds staleness.
Signed-in users are never served from this cache.
"""
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.views.decorators.cache import cache_page


def _version_key(namespace):
    return f"public-version:{namespace}"


def public_version(namespace):
    return cache.get_or_set(_version_key(namespace), time.time_ns, None)


def bump_public_version(namespace):
    cache.set(_version_key(namespace), time.time_ns(), None)


def cache_public_page(namespace):
    """Cache the view's GET/HEAD responses for anonymous users under the namespace's version."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            timeout = getattr(settings, "PUBLIC_CACHE_SECONDS", 60)
            if timeout <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            key_prefix = f"{namespace}:{public_version(namespace)}"
            return cache_page(timeout, key_prefix=key_prefix)(view)(request, *args, **kwargs)

        return wrapped

    return decorator
