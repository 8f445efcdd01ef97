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
