# django-rules autodiscovers `<app>.rules`; our permissions live in access.py.
from . import access  # noqa: F401
