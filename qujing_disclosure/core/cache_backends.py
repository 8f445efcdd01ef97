"""A Redis cache that degrades to a miss: Redis down never becomes an error page.

Django's RedisCache raises on a connection error, so with Redis stopped every cached public
page, every rate-limited form and every save that bumps a page version answered 500. Here a
Redis error (or a socket timeout, CACHE_SOCKET_TIMEOUT) makes a read a miss and a write a no-op,
logged once per outage. After a failure the process does not try Redis again for
CACHE_RETRY_SECONDS, so a Redis that hangs costs one short timeout per process, not one per call.

`incr` raises ValueError (what Django's API says for a missing key): django-ratelimit reads that
as "could not count" and applies RATELIMIT_FAIL_OPEN. `ping()` asks Redis directly, ignoring the
retry pause, for the readiness probe.
"""
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

try:  # redis-py is what RedisCache uses; OSError covers sockets refused below it
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

_ERRORS = (RedisError, OSError)
_down_until = {}  # location -> monotonic time before which Redis is not tried (shared by threads)
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    # --- the breaker -------------------------------------------------------------------------
    def _available(self):
        until = _down_until.get(self._location)
        return until is None or time.monotonic() >= until

    def _failed(self, operation, exc):
        with _lock:
            first = self._location not in _down_until
            _down_until[self._location] = time.monotonic() + getattr(settings, "CACHE_RETRY_SECONDS", 5.0)
        if first:
            log.warning("cache unavailable during %s (%s): serving without cache", operation, exc.__class__.__name__)

    def _recovered(self):
        if self._location in _down_until:
            with _lock:
                if _down_until.pop(self._location, None) is not None:
                    log.warning("cache available again")

    def _call(self, operation, fallback, *args, **kwargs):
        if not self._available():
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except _ERRORS as exc:
            self._failed(operation, exc)
            return fallback
        self._recovered()
        return result

    # --- the cache API -----------------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError("cache unavailable: could not increment %r" % key)
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def ping(self):
        """True when Redis answers now (raises otherwise): the readiness check, no breaker."""
        return bool(self._cache.get_client(write=True).ping())
