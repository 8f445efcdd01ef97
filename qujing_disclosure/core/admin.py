from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin
from .models import AuditEntry, CalendarDay, User


@admin.register(User)
class UserAdmin(MunicipalAdminMixin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "jurisdiction", "organization", "is_active", "last_login")
    list_filter = ("role", "jurisdiction", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "organization__name")
    raw_id_fields = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization")}),)

    def get_queryset(self, request):
        # Office staff manage the accounts of the programme, never a superuser's (password, activation, …).
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        # Office staff manage accounts, but only a superuser grants superuser or raw permissions.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "user_permissions", "groups", "last_login", "date_joined")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record is append-only."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "reason", "actor__username")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(CalendarDay)
class CalendarDayAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """Staff correct the official calendar here; every save goes through the service (audited)."""

    list_display = ("date", "is_working_day", "name", "note", "updated_by", "updated_at")
    list_filter = ("is_working_day",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "is_working_day", "name", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj else ()

    def save_model(self, request, obj, form, change):
        from .services import calendar_day_set

        saved = calendar_day_set(
            actor=request.user, date=obj.date, is_working_day=obj.is_working_day, name=obj.name, note=obj.note
        )
        obj.pk = saved.pk
