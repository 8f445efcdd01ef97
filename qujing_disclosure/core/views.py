import logging
import sys

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect

from .media import may_download
from .probes import healthz_response, ping_response
from .storage import deliver

log = logging.getLogger(__name__)


def switch_language(request):
    """Language switch by GET (`?language=en&next=/sites/`): sets the language cookie and goes back.

    A GET form needs no CSRF token, so public pages set no cookie and can be cached.
    """
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import check_for_language

    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        )
    return response


def ping(request):
    """Liveness, no I/O (core.probes answers it first): also the benchmarks' trivial view."""
    return ping_response()


def healthz(request):
    """Readiness as JSON (core.health); 503 when a check fails or times out."""
    return healthz_response()


def protected_media(request, path):
    """Every upload's URL: the access check, then the bytes as MEDIA_DELIVERY says (core.storage)."""
    if not may_download(request.user, path):
        raise Http404()
    return deliver(default_storage, path, request)


# Errors that mean a server we depend on is down or restarting, not a bug.
def _unavailable_errors():
    from django.db import InterfaceError, OperationalError

    errors = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

        errors += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def server_error(request, *args, **kwargs):
    """handler500: an outage of the database (or Redis) is a 503 with a clear message and
    Retry-After; anything else is the usual 500 page. Renders without touching the database."""
    from django.template import loader
    from django.http import HttpResponse, HttpResponseServerError, JsonResponse

    exc = sys.exc_info()[1]
    if isinstance(exc, _unavailable_errors()):
        log.warning("dependency unavailable while serving %s: %s", request.path, exc.__class__.__name__)
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "服务暂时不可用，请稍后再试。 Service temporarily unavailable, please retry shortly."}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """The CSRF refusal page in the site's look and the reader's language."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
