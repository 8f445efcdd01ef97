"""The admin of core's rows: accounts, the audit record (read-only), the working-day calendar.

Every save goes through `core.services` (audited with old and new values); the service's check also
runs in the form's `clean()`, so a refused edit shows on its field and changes nothing.
"""
import contextvars

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin, ScopedAdminMixin, ServiceFormMixin
from .models import AuditEntry, CalendarDay, User
from .selectors import audit_entry_list_for, calendar_day_list_for, user_list_for

# Django builds the password form without the request; the admin view sets who is acting for its save.
_acting_user = contextvars.ContextVar("admin_acting_user", default=None)


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password page, saved through `core.services.user_set_password` (audited, no value kept)."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data.get("set_usable_password", True) else None
        self.user = services.user_set_password(actor=_acting_user.get(), user_id=self.user.pk, password=password)
        return self.user


@admin.register(User)
class UserAdmin(ScopedAdminMixin, ServiceFormMixin, MunicipalAdminMixin, BaseUserAdmin):
    list_for = staticmethod(user_list_for)
    service_fields = services.USER_FIELDS
    change_password_form = PasswordChangeForm
    list_display = ("username", "get_full_name", "role", "jurisdiction", "organization", "is_active", "last_login")
    list_filter = ("role", "jurisdiction", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "organization__name")
    raw_id_fields = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("角色与范围"), {"fields": ("role", "jurisdiction", "organization")}),)

    def get_readonly_fields(self, request, obj=None):
        # Office staff manage accounts, but only a superuser grants superuser or raw permissions.
        if request.user.has_perm("core.grant_privileges"):
            return ()
        return ("is_superuser", "user_permissions", "groups", "last_login", "date_joined")

    @staticmethod
    def _m2m(form):
        return {name: form.cleaned_data[name] for name in services.USER_M2M
                if name in form.cleaned_data and (form.instance.pk is None or name in form.changed_data)}

    def service_check(self, request, obj, form):
        services.user_check(actor=request.user, user=obj, values=self.changed_values(form, self.service_fields),
                            m2m=self._m2m(form))

    def save_model(self, request, obj, form, change):
        values, m2m = self.changed_values(form, self.service_fields), self._m2m(form)
        if change:
            saved = services.user_update(actor=request.user, user_id=obj.pk, values=values, m2m=m2m)
        else:  # the creation form has hashed the chosen password (or marked it unusable) on obj
            saved = services.user_create(actor=request.user, values=values, m2m=m2m, password_hash=obj.password)
        self.adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were saved by the service (audited); nothing else relates to a user.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        token = _acting_user.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_user.reset(token)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record is append-only."""

    list_for = staticmethod(audit_entry_list_for)
    list_display = ("created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "reason", "actor__username")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdminMixin, MunicipalAdminMixin, admin.ModelAdmin):
    """Staff correct the official calendar here; every save goes through the service (audited)."""

    list_for = staticmethod(calendar_day_list_for)
    list_display = ("date", "is_working_day", "name", "note", "updated_by", "updated_at")
    list_filter = ("is_working_day",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "is_working_day", "name", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.calendar_day_set(
            actor=request.user, date=obj.date, is_working_day=obj.is_working_day, name=obj.name, note=obj.note
        )
        ServiceFormMixin.adopt(obj, saved)
