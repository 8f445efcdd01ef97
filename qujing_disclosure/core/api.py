"""DRF glue shared by the apps: domain errors become 400 with the field; NotPermitted becomes 404."""
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, NotPermitted


def exception_handler(exc, context):
    if isinstance(exc, (NotPermitted, Http404)):
        # One translated "not found", never the model's name: out of scope and missing look alike.
        exc = exceptions.NotFound()
    elif isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        body = {field: [str(exc.message)], "code": exc.code}
        if exc.rule:
            body["rule"] = exc.rule
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
