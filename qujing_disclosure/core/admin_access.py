"""Admin access: the browser admin is the municipal office's tool (and superusers').

Every ModelAdmin in the project uses one of these mixins, so the rule lives in one place
(core.access.is_municipal). Nothing official is deleted from the admin.
"""
from .access import is_municipal


class MunicipalAdminMixin:
    """Admin access for the municipal office only; nothing official is deleted.

    Other apps may reuse it: `class XAdmin(MunicipalAdminMixin, admin.ModelAdmin)`.
    """

    def has_module_permission(self, request):
        return is_municipal(request.user)

    def has_view_permission(self, request, obj=None):
        return is_municipal(request.user)

    def has_add_permission(self, request, obj=None):
        return is_municipal(request.user)

    def has_change_permission(self, request, obj=None):
        return is_municipal(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(MunicipalAdminMixin):
    """Watched, not edited: state changes only through services (actions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScopedAdminMixin:
    """The admin's lists and change pages start from the app's selector for the signed-in user
    (`list_for = staticmethod(<entity>_list_for)`), like the portal and the API: an object outside
    the user's scope is not found. The admin's ordering still applies."""

    list_for = None  # staticmethod(selector): selector(user) -> QuerySet

    def get_queryset(self, request):
        queryset = self.list_for(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ServiceFormMixin:
    """A ModelAdmin whose saves go through a service, with the service's check in the form.

    Subclasses define `service_check(request, obj, form)` (calling a service check that writes
    nothing, e.g. `organization_check`, with `changed_values(form, fields)`) and `save_model`
    calling the service, then `adopt(obj, saved)`. The form's `clean()` runs the check with the
    signed-in user, so a refusal lands on the field it names and the input stays (the
    check/execute split): a refused edit changes nothing."""

    def service_check(self, request, obj, form):  # pragma: no cover - each admin defines its own
        raise NotImplementedError

    @staticmethod
    def changed_values(form, fields):
        """The cleaned values of the form's changed fields among `fields` (a new row: every filled one)."""
        names = fields if form.instance.pk is None else form.changed_data
        return {name: form.cleaned_data[name] for name in names if name in fields and name in form.cleaned_data}

    @staticmethod
    def adopt(obj, saved):
        """The admin goes on with `obj` (messages, log, redirect, inlines): make it the row the service saved."""
        obj.pk = saved.pk
        obj._state.adding, obj._state.db = False, saved._state.db

    def get_form(self, request, obj=None, **kwargs):
        from .errors import DomainError

        form_class = super().get_form(request, obj, **kwargs)
        admin = self

        class CheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    try:
                        admin.service_check(request, obj, self)
                    except DomainError as error:
                        self.add_error(error.field if error.field in self.fields else None, str(error.message))
                return cleaned

        CheckedForm.__name__ = form_class.__name__
        return CheckedForm
