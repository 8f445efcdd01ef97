"""Redis down is a cache miss: public pages, rate-limited forms and saves keep working."""
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from qujing_disclosure.core import cache_backends
from tests import factories as f

from .helpers import blackhole, closed_port


def redis_caches(url):
    return {"default": {"BACKEND": "qujing_disclosure.core.cache_backends.ResilientRedisCache", "LOCATION": url,
                        "KEY_PREFIX": "qj-test", "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}}}


@pytest.fixture(autouse=True)
def _no_breaker_memory():
    cache_backends._down_until.clear()
    yield
    cache_backends._down_until.clear()


def test_a_live_redis_caches_and_counts(redis_server):
    with override_settings(CACHES=redis_caches(redis_server + "/0")):
        cache = caches["default"]
        cache.clear()
        assert cache.add("k", 1, 60) is True
        assert cache.incr("k") == 2
        assert cache.get("k") == 2
        assert cache.ping() is True


def test_a_dead_redis_is_a_miss_and_writes_are_no_ops():
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        cache = caches["default"]
        assert cache.get("k", "default") == "default"
        assert cache.set("k", 1) is None
        assert cache.add("k", 1) is False
        assert cache.get_or_set("v", lambda: 42) == 42
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError, match="cache unavailable"):
            cache.incr("k")


def test_a_hung_redis_costs_one_short_timeout_then_none_while_the_breaker_is_open(caplog):
    with blackhole() as port, override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{port}/0"), CACHE_RETRY_SECONDS=30):
        cache = caches["default"]
        started = time.monotonic()
        assert cache.get("k") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            cache.get("k")
            cache.set("k", 1)
        rest = time.monotonic() - started
    assert first < 0.6
    assert rest < 0.1
    assert [r.getMessage() for r in caplog.records if r.name == cache_backends.__name__][:1] == [
        "cache unavailable during get (TimeoutError): serving without cache"]


def test_the_cache_comes_back_after_the_retry_pause(redis_server):
    with override_settings(CACHES=redis_caches(redis_server + "/0"), CACHE_RETRY_SECONDS=0.2):
        cache = caches["default"]
        cache_backends._down_until[cache._location] = time.monotonic() + 0.2
        assert cache.set("back", "yes") is None and cache.get("back") is None  # breaker still open
        time.sleep(0.25)
        cache.set("back", "yes")
        assert cache.get("back") == "yes"


@pytest.mark.django_db
def test_public_pages_and_saves_work_with_redis_down(client, municipal):
    from sites import services

    site = f.DesignationFactory(organization__name="会泽县某社区党委")
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        assert client.get("/sites/").status_code == 200
        assert client.get("/api/v1/sites/").status_code == 200
        services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不合格")  # bumps the version
        assert "复评不合格" in client.get("/sites/").content.decode()


@pytest.mark.django_db
def test_rate_limited_public_forms_stay_open_while_redis_is_down(client):
    """RATELIMIT_FAIL_OPEN (the default): with nothing to count on, the form accepts, 6 > 5/h."""
    from django_ratelimit.core import is_ratelimited
    from django.test import RequestFactory

    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed_port()}/0")):
        request = RequestFactory().post("/x", REMOTE_ADDR="203.0.113.9")
        limited = [is_ratelimited(request, group="t", key="ip", rate="5/h", method="POST", increment=True) for _ in range(6)]
        assert limited == [False] * 6
        with override_settings(RATELIMIT_FAIL_OPEN=False):
            assert is_ratelimited(request, group="t", key="ip", rate="5/h", method="POST", increment=True) is True
