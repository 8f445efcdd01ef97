# django-rules autodiscovers `<app>.rules`: core's role predicates live in access.py, each app's
# permissions in its own rules.py.
from . import access  # noqa: F401
