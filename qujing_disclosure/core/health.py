"""Readiness checks for /healthz: database, broker, cache and upload storage.

Every check runs in its own thread and the report is written when all have answered or
HEALTHZ_TIMEOUT_SECONDS (default 0.8 s) has passed, whichever is first: a check still running
then is reported as `{"ok": false, "error": "timeout"}`. So the probe answers within a second even
when Redis or PostgreSQL hangs, and a web worker is never held by it. Each check also sets its own
short client timeout, so its thread ends soon after.

The status is "ok" (HTTP 200) only when every check passes, else "error" (503). A shared
dependency that fails fails every app server alike: point the load balancer at /ping and use
/healthz for monitoring and for gating a rollout (docs/operations.md).
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings

CHECK_TIMEOUT = 0.5  # client-side timeout of each check's own connection


def check_database():
    from django.db import connections

    connection = connections["default"]  # this thread's own connection, closed below
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    finally:
        connection.close()


def _redis_ping(url):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


def check_broker():
    url = settings.CELERY_BROKER_URL
    transport = url.split(":", 1)[0]
    if transport.startswith("redis") or transport == "rediss":
        _redis_ping(url)
    elif transport == "filesystem":
        folder = settings.CELERY_BROKER_FOLDER / "out"
        if not (folder.is_dir() and os.access(folder, os.W_OK)):
            raise OSError(f"broker folder {folder} is missing or not writable")
    elif not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        from celery import current_app

        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)
    return {"ok": True, "transport": transport}


def check_cache():
    from django.core.cache import caches

    cache = caches["default"]
    if hasattr(cache, "ping"):
        cache.ping()
        return {"ok": True, "backend": "redis"}
    return {"ok": True, "backend": cache.__class__.__name__.removesuffix("Cache").lower()}


def check_storage():
    from django.core.files.storage import default_storage

    probe = getattr(default_storage, "probe", None)
    if probe is not None:  # object storage: one HEAD of the bucket with short timeouts
        probe(timeout=CHECK_TIMEOUT)
        return {"ok": True, "backend": "s3"}
    root = settings.MEDIA_ROOT
    # A missing folder is fine when it can be created on the first upload.
    target = root if os.path.isdir(root) else os.path.dirname(os.path.abspath(root))
    if not os.access(target, os.W_OK):
        raise OSError(f"upload folder {root} is not writable")
    return {"ok": True, "backend": "filesystem"}


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache, "storage": check_storage}


def _timed(check):
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure by its class
        result = {"ok": False, "error": exc.__class__.__name__}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def run_checks(checks=None, timeout=None):
    checks = CHECKS if checks is None else checks
    timeout = settings.HEALTHZ_TIMEOUT_SECONDS if timeout is None else timeout
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="healthz")
    futures = {name: executor.submit(_timed, check) for name, check in checks.items()}
    wait(futures.values(), timeout=timeout)
    executor.shutdown(wait=False, cancel_futures=True)  # a hung check finishes on its own
    report = {}
    for name, future in futures.items():
        report[name] = future.result() if future.done() else {"ok": False, "error": "timeout"}
    healthy = all(result["ok"] for result in report.values())
    return {"status": "ok" if healthy else "error", "checks": report}
