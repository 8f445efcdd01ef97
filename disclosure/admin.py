"""Admin for the municipal office: the standard categories (editable, saved through
services.category_save), and read-only registers of catalogues, items, exemptions (per jurisdiction),
feedback, findings and rectifications, each listed from its selector.
Access is core's rule (admin_access: the municipal office only, never an is_staff county account).

State is never edited here; the item actions call disclosure.services and show a refused rule
(e.g. R17) as an error message. Nothing is deleted.
"""
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin, ScopedAdminMixin
from qujing_disclosure.core.errors import DomainError

from . import jobs, selectors, services
from .models import (
    Carrier,
    CatalogueEntry,
    Category,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
    Reminder,
    SatisfactionRating,
)


@admin.register(Category)
class CategoryAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """The standard set of catalogue categories (R12): staff add, rename, reorder or retire them —
    through services.category_save, so every change is audited with old and new values."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    fields = ["name", "code", "description", "sort_order", "is_active"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        saved = services.category_save(actor=request.user, category_id=obj.pk if change else None,
                                       **{name: getattr(obj, name) for name in services.CATEGORY_FIELDS})
        obj.pk = saved.pk


@admin.register(Carrier)
class CarrierAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.carrier_list_for)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "organization", "jurisdiction", "location", "url", "handle", "is_active"]
    list_filter = ["kind", "is_active", "jurisdiction"]
    search_fields = ["name", "organization__name", "location", "handle"]
    list_select_related = ["organization", "jurisdiction"]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.entry_list_for)
    list_display = ["title", "category", "organization", "scope", "time_type", "cadence", "is_active"]
    list_filter = ["category", "scope", "time_type", "cadence", "field", "jurisdiction"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["category", "organization"]


@admin.register(Item)
class ItemAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.item_list_for)
    list_display = ["title", "organization", "scope", "time_type", "publish_on", "published_on", "display_until", "state"]
    list_filter = ["state", "scope", "time_type", "field", "jurisdiction"]
    search_fields = ["title", "organization__name"]
    date_hierarchy = "publish_on"
    list_select_related = ["organization"]
    actions = ["archive_selected", "run_publish_job", "run_archive_job"]

    @admin.action(description=_("整理归档所选事项（公开满15天）"))
    def archive_selected(self, request, queryset):
        for item in queryset:
            try:
                services.item_archive(actor=request.user, item_id=item.pk,
                                      reason=str(_("管理后台归档")))
            except DomainError as exc:
                self.message_user(request, _("%(title)s：%(message)s") % {"title": item.title, "message": exc.message},
                                  level=messages.ERROR)

    @admin.action(description=_("立即运行“到期发布”任务"))
    def run_publish_job(self, request, queryset):
        result = jobs.publish_due_items()
        self.message_user(request, _("已发布 %(n)d 项。") % {"n": result.count})

    @admin.action(description=_("立即运行“到期归档”任务"))
    def run_archive_job(self, request, queryset):
        result = jobs.archive_ended_items()
        self.message_user(request, _("已归档 %(n)d 项。") % {"n": result.count})


@admin.register(Exemption)
class ExemptionAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """R11: the register of information temporarily unsuitable for disclosure, per jurisdiction."""

    list_for = staticmethod(selectors.exemption_list_for)

    list_display = ["title", "organization", "jurisdiction", "approver", "approved_on", "review_by", "state"]
    list_filter = ["jurisdiction", "state"]
    search_fields = ["title", "organization__name", "approver"]
    list_select_related = ["organization", "jurisdiction"]


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.feedback_list_for)
    list_display = ["code", "organization", "received_on", "state", "answered_on"]
    list_filter = ["state", "jurisdiction"]
    search_fields = ["code", "organization__name", "content"]
    list_select_related = ["organization"]


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "month", "rating", "created_at"]
    list_filter = ["rating", "month", "jurisdiction"]
    exclude = ["voter_hash"]
    list_select_related = ["organization"]


@admin.register(Finding)
class FindingAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.finding_list_for)
    list_display = ["organization", "kind", "period", "state", "by_job"]
    list_filter = ["kind", "state", "by_job", "jurisdiction"]
    search_fields = ["organization__name", "description"]
    list_select_related = ["organization"]


@admin.register(Rectification)
class RectificationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.rectification_list_for)
    list_display = ["organization", "deadline", "state", "closed_on"]
    list_filter = ["state", "jurisdiction"]
    list_select_related = ["organization"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "kind", "period", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["organization"]
