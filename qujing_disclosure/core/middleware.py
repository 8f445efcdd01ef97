"""Request middleware of our own."""
from .audit import audit_context


class AuditContextMiddleware:
    """One request is one user action: every audit row it writes shares one batch id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context():
            return self.get_response(request)
