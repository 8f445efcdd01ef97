from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve

from .media import may_download


def _broker_ok():
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, None
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        return False, exc.__class__.__name__


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
    """Liveness only (no database): also the trivial view the benchmarks compare pages against."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request):
    """Database and broker health as JSON; 503 when either is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    ok, detail = _broker_ok()
    checks["broker"] = {"ok": ok, "transport": settings.CELERY_BROKER_URL.split(":", 1)[0]} if ok else {"ok": False, "error": detail}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def protected_media(request, path):
    if not may_download(request.user, path):
        raise Http404()
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def csrf_failure(request, reason=""):
    """The CSRF refusal page in the site's look and the reader's language."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
