"""Liveness and readiness probes, answered before every other middleware.

`/ping` is liveness: it does no I/O at all (no database, cache, session or file), so it says
only that this process answers. `/healthz` is readiness: database, broker, cache and upload
storage, each checked with a timeout, the whole answer within HEALTHZ_TIMEOUT_SECONDS
(core/health.py). Both are answered here, first in MIDDLEWARE, so a load balancer probing by
IP over plain HTTP gets 200/503 — not 400 for an unknown Host nor 301 to HTTPS — and a probe
never opens a session.
"""
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

PROBE_PATHS = ("/ping", "/healthz")


def ping_response():
    response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


def healthz_response():
    from .health import run_checks

    report = run_checks()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    add_never_cache_headers(response)
    return response


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/ping":
            return ping_response()
        if request.path_info == "/healthz":
            return healthz_response()
        return self.get_response(request)
