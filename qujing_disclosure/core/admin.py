from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "jurisdiction", "organization", "is_active", "last_login")
    list_filter = ("role", "jurisdiction", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "organization__name")
    raw_id_fields = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization")}),)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the record is append-only."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "reason", "actor__username")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
