"""Domain errors: a message a person can act on, naming the rule and the limit.

Forms, the API (400 with the field) and the admin show the same message.
"""


class DomainError(Exception):
    """A rule refused the change. Nothing was written."""

    def __init__(self, message, *, field=None, code="invalid", rule=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code
        self.rule = rule

    def __str__(self):
        return str(self.message)


class NotPermitted(DomainError):
    """The actor may not do this (the views turn it into 404 where the object is out of scope)."""

    def __init__(self, message="", **kwargs):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("您无权执行此操作。"), code="forbidden", **kwargs)


class InvalidTransition(DomainError):
    def __init__(self, message, **kwargs):
        super().__init__(message, code="invalid_transition", **kwargs)
