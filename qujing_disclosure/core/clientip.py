"""The client's address, for rate limits and login lockouts, also behind a reverse proxy.

Behind N trusted proxies (TRUSTED_PROXY_COUNT=N), each proxy appends the address it saw to
X-Forwarded-For, so the client is the N-th entry from the right; entries further left were
written by the client and cannot be trusted. With no proxy (the default) REMOTE_ADDR is used.
Without this, every visitor behind the proxy would share one rate limit.
"""
from django.conf import settings


def client_ip(request):
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
