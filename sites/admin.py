"""The browser admin for the municipal office (市党务公开办): places, units, rounds, quotas, applications, sites.

Only the municipal office (and superusers) reach it; `core.access.is_municipal`
decides, not Django's model permissions. Every list starts from a `sites.selectors`
`<entity>_list_for(user)`; every save goes through a `sites.services` function (audited with old
and new values), whose check also runs in the form's `clean()` so a refusal shows on its field.
State is read-only here: it changes through admin actions that call the services, and nothing
is deleted.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.admin_access import (
    MunicipalAdminMixin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ServiceFormMixin,
)
from qujing_disclosure.core.audit import action_label, history_for
from qujing_disclosure.core.clock import today
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.excel import workbook_response

from . import services
from .enums import (
    RECOMMENDED_STATES,
    ApplicationState,
    DesignationStatus,
    JurisdictionKind,
    RoundStatus,
)
from .exports import screening_filename, screening_totals, screening_workbook
from .models import (
    Application,
    ApplicationMaterial,
    Designation,
    Jurisdiction,
    Organization,
    Quota,
    Round,
)
from .selectors import (
    application_list_for,
    designation_list_for,
    jurisdiction_list_for,
    material_list_for,
    organization_list_for,
    quota_list_for,
    round_get_for,
    round_list_for,
    screening_summary,
)

# --- history ("操作记录") -------------------------------------------------------------
# State codes overlap between models ("draft"), so labels are looked up per model.
_STATE_LABELS = {
    Application: dict(ApplicationState.choices),
    Round: dict(RoundStatus.choices),
    Designation: dict(DesignationStatus.choices),
}
def render_history(obj):
    """The audit trail of `obj` as a small read-only table (one query)."""
    if obj is None or obj.pk is None:
        return "-"
    entries = list(history_for(obj))
    if not entries:
        return gettext("暂无记录")
    labels = _STATE_LABELS.get(type(obj), {})
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                str(entry.actor) if entry.actor_id else gettext("系统"),
                action_label(entry.action),
                " → ".join(
                    str(labels.get(state, state)) for state in (entry.from_state, entry.to_state) if state
                ) or "-",
                entry.reason or "-",
            )
            for entry in entries
        ),
    )
    return format_html(
        '<table class="audit-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        gettext("时间（北京时间）"), gettext("操作人"), gettext("操作"), gettext("状态变化"), gettext("理由"), rows,
    )


# --- places and units ----------------------------------------------------------------
@admin.register(Jurisdiction)
class JurisdictionAdmin(ScopedAdminMixin, ServiceFormMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(jurisdiction_list_for)
    service_fields = services.JURISDICTION_FIELDS
    list_display = ("name", "kind", "code", "parent", "sort_order")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)
    ordering = ("sort_order", "id")

    def service_check(self, request, obj, form):
        services.jurisdiction_check(actor=request.user, jurisdiction=obj,
                                    values=self.changed_values(form, self.service_fields))

    def save_model(self, request, obj, form, change):
        self.adopt(obj, services.jurisdiction_save(actor=request.user, jurisdiction_id=obj.pk if change else None,
                                               values=self.changed_values(form, self.service_fields)))


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, ServiceFormMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(organization_list_for)
    service_fields = services.ORGANIZATION_FIELDS
    list_display = ("name", "jurisdiction", "sector", "contact_name", "contact_phone", "is_active")
    list_filter = ("jurisdiction", "sector", "is_active")
    search_fields = ("name",)
    list_select_related = ("jurisdiction",)
    autocomplete_fields = ("parent",)
    fields = ("name", "jurisdiction", "parent", "sector", "address", "contact_name", "contact_phone", "is_active")
    list_per_page = 50

    def service_check(self, request, obj, form):
        services.organization_check(actor=request.user, organization=obj,
                                    values=self.changed_values(form, self.service_fields))

    def save_model(self, request, obj, form, change):
        self.adopt(obj, services.organization_save(actor=request.user, organization_id=obj.pk if change else None,
                                               values=self.changed_values(form, self.service_fields)))


# --- rounds and quotas ---------------------------------------------------------------
class QuotaInlineForm(forms.ModelForm):
    class Meta:
        model = Quota
        fields = ("jurisdiction", "slots")

    def clean(self):
        cleaned = super().clean()
        slots = cleaned.get("slots")
        if self.instance.pk and cleaned.get("jurisdiction") and cleaned["jurisdiction"].pk != self.instance.jurisdiction_id:
            self.add_error("jurisdiction", gettext("已有名额不能改到其他辖区；请为该辖区另加一行。"))
        elif self.instance.pk and slots is not None:
            # The same R2 check the service makes, shown on the field before anything is saved.
            try:
                services.quota_check(round_=self.instance.round, jurisdiction_id=self.instance.jurisdiction_id, slots=slots)
            except DomainError as exc:
                self.add_error("slots", str(exc.message))
        return cleaned


class QuotaInline(ScopedAdminMixin, MunicipalAdminMixin, admin.TabularInline):
    list_for = staticmethod(quota_list_for)
    model = Quota
    form = QuotaInlineForm
    fields = ("jurisdiction", "slots", "recommend_limit_display", "recommended_display")
    readonly_fields = ("recommend_limit_display", "recommended_display")
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("round")
            .annotate(
                recommended_count=Count(
                    "jurisdiction__applications",
                    filter=Q(
                        jurisdiction__applications__round=F("round"),
                        jurisdiction__applications__state__in=RECOMMENDED_STATES,
                    ),
                )
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "jurisdiction" and field is not None:
            # One query for the choices of every row, not one per row (validation still uses the queryset).
            field.choices = list(field.choices)
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jurisdiction":
            kwargs["queryset"] = jurisdiction_list_for(request.user).exclude(kind=JurisdictionKind.CITY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # A new round starts with one row per county and committee, jurisdiction filled in.
        if obj is None or not obj.quotas.exists():
            return len(quota_initial(request.user))
        return 1

    @admin.display(description=_("推荐上限"))
    def recommend_limit_display(self, obj):
        return obj.recommend_limit if obj and obj.pk else "-"

    @admin.display(description=_("已推荐"))
    def recommended_display(self, obj):
        return getattr(obj, "recommended_count", "-") if obj and obj.pk else "-"


def quota_initial(user):
    """Prefilled jurisdictions for a round without quotas; rows left without slots are not saved."""
    return [
        {"jurisdiction": pk}
        for pk in jurisdiction_list_for(user).exclude(kind=JurisdictionKind.CITY)
        .order_by("sort_order", "id").values_list("pk", flat=True)
    ]


def _change_status(modeladmin, request, queryset, status):
    changed = 0
    for round_ in queryset:
        try:
            services.round_set_status(actor=request.user, round_id=round_.pk, status=status)
        except DomainError as error:
            modeladmin.message_user(request, f"{round_.name}：{error.message}", level=messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(
            request,
            ngettext("%(count)d 个轮次已变更为“%(status)s”。", "%(count)d 个轮次已变更为“%(status)s”。", changed)
            % {"count": changed, "status": RoundStatus(status).label},
            level=messages.SUCCESS,
        )


@admin.register(Round)
class RoundAdmin(ScopedAdminMixin, ServiceFormMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(round_list_for)
    service_fields = services.ROUND_FIELDS
    list_display = (
        "name", "year", "level", "status_display", "organizer", "window_display", "quota_total", "application_total",
        "export_link",
    )
    list_filter = ("status", "level", "year")
    search_fields = ("name",)
    list_select_related = ("organizer",)
    readonly_fields = ("status", "screening_overview")

    def get_readonly_fields(self, request, obj=None):
        # R2: the ratio is fixed once applications open; changing it would move every limit
        # under recommendations already made.
        if obj is not None and obj.status != RoundStatus.DRAFT:
            return (*self.readonly_fields, "ratio")
        return self.readonly_fields
    fieldsets = (
        (None, {"fields": ("name", "year", "level", "organizer", "status", "description")}),
        (_("规则"), {"fields": ("ratio", "pass_mark")}),
        (_("时间（北京时间）"), {"fields": ("applications_open_on", "applications_close_on", "screening_close_on")}),
        (_("2:1审核推荐汇总"), {"fields": ("screening_overview",)}),
    )
    inlines = (QuotaInline,)
    actions = ("open_applications", "close_applications", "export_screening")
    change_form_template = "admin/sites/round/change_form.html"

    def get_queryset(self, request):
        quota_total = (
            Quota.objects.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Sum("slots")).values("n")
        )
        application_total = (
            Application.objects.filter(round=OuterRef("pk"))
            .exclude(state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN])
            .order_by().values("round").annotate(n=Count("id")).values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                quota_sum=Coalesce(Subquery(quota_total, output_field=IntegerField()), 0),
                application_sum=Coalesce(Subquery(application_total, output_field=IntegerField()), 0),
            )
        )

    def service_check(self, request, obj, form):
        services.round_check(actor=request.user, round_=obj, values=self.changed_values(form, self.service_fields))

    def save_model(self, request, obj, form, change):
        self.adopt(obj, services.round_save(actor=request.user, round_id=obj.pk if change else None,
                                        values=self.changed_values(form, self.service_fields)))

    def save_formset(self, request, form, formset, change):
        """Quotas are written through the service (R2 check, row locks, audit record); nothing is deleted."""
        if formset.model is not Quota:
            return super().save_formset(request, form, formset, change)
        for quota_form in formset.forms:
            if not quota_form.has_changed() or not quota_form.cleaned_data or quota_form.cleaned_data.get("DELETE"):
                continue
            data = quota_form.cleaned_data
            if data.get("slots") is None or data.get("jurisdiction") is None:
                continue
            services.quota_set(actor=request.user, round_id=form.instance.pk,
                               jurisdiction_id=data["jurisdiction"].pk, slots=data["slots"])
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, QuotaInline) and (obj is None or obj.pk is None or not obj.quotas.exists()):
            kwargs["initial"] = quota_initial(request.user)
        return kwargs

    @admin.display(description=_("状态"), ordering="status")
    def status_display(self, obj):
        return format_html('<span class="badge state-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("申报时间"))
    def window_display(self, obj):
        return gettext("%(start)s 至 %(end)s") % {
            "start": obj.applications_open_on.isoformat(), "end": obj.applications_close_on.isoformat(),
        }

    @admin.display(description=_("名额合计"), ordering="quota_sum")
    def quota_total(self, obj):
        return obj.quota_sum

    @admin.display(description=_("申报数"), ordering="application_sum")
    def application_total(self, obj):
        return obj.application_sum

    @admin.display(description=_("汇总表"))
    def export_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:sites_round_screening", args=[obj.pk]), gettext("导出Excel"))

    @admin.display(description=_("各辖区情况"))
    def screening_overview(self, obj):
        if obj is None or obj.pk is None:
            return gettext("保存后显示。")
        rows = screening_summary(round_=obj)
        if not rows:
            return gettext("尚未设置名额。")
        totals = screening_totals(rows)
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (r["jurisdiction"], r["slots"], r["applications"], r["recommended"], r["limit"], r["awarded"])
                for r in [*rows, {"jurisdiction": gettext("合计"), **totals}]
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("辖区"), gettext("名额"), gettext("申报数"), gettext("已推荐"), gettext("推荐上限"), gettext("已授牌"),
            body,
        )

    # Actions: state changes go through the service (which checks the actor again).
    @admin.action(description=_("开启申报"))
    def open_applications(self, request, queryset):
        _change_status(self, request, queryset, RoundStatus.OPEN)

    @admin.action(description=_("结束申报"))
    def close_applications(self, request, queryset):
        _change_status(self, request, queryset, RoundStatus.CLOSED)

    @admin.action(description=_("导出2:1审核推荐汇总（Excel）"))
    def export_screening(self, request, queryset):
        if not request.user.has_perm("sites.export_screening"):
            raise PermissionDenied
        rounds = list(queryset.select_related("organizer").order_by("-year", "level", "id"))
        return workbook_response(screening_workbook(rounds), screening_filename(rounds))

    def get_urls(self):
        custom = [
            path(
                "<int:round_id>/screening.xlsx",
                self.admin_site.admin_view(self.screening_export_view),
                name="sites_round_screening",
            ),
        ]
        return custom + super().get_urls()

    def screening_export_view(self, request, round_id):
        """GET admin/sites/round/<id>/screening.xlsx — the summary of one round (municipal office only)."""
        if not (self.has_view_permission(request) and request.user.has_perm("sites.export_screening")):
            raise PermissionDenied
        round_ = round_get_for(request.user, round_id)
        return workbook_response(screening_workbook([round_]), screening_filename([round_]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_export_screening": request.user.has_perm("sites.export_screening")}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


# --- applications (watched, not edited) ----------------------------------------------
class ApplicationMaterialInline(ScopedAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    list_for = staticmethod(material_list_for)
    model = ApplicationMaterial
    fields = ("title", "file", "size", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Application)
class ApplicationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(application_list_for)
    list_display = ("organization", "jurisdiction", "round", "state_display", "submitted_at", "decided_at")
    list_filter = ("round", "jurisdiction", "state")
    search_fields = ("organization__name",)
    list_select_related = ("organization", "jurisdiction", "round")
    fields = (
        "round", "organization", "jurisdiction", "state", "summary", "contact_name", "contact_phone",
        "decision_reason", "created_by", "created_at", "submitted_at", "decided_at", "history",
    )
    readonly_fields = fields
    inlines = (ApplicationMaterialInline,)
    list_per_page = 50

    @admin.display(description=_("状态"), ordering="state")
    def state_display(self, obj):
        return format_html('<span class="badge state-{}">{}</span>', obj.state, obj.get_state_display())

    @admin.display(description=_("操作记录"))
    def history(self, obj):
        return render_history(obj)


# --- designations (sites) ------------------------------------------------------------
class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000,
        help_text=_("例如：复评得分72分，低于合格线80分，取消示范点资格，收回牌匾。"),
    )
    revoked_on = forms.DateField(label=_("撤销日期"), help_text=_("格式：YYYY-MM-DD（北京时间）"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(gettext("撤销示范点称号必须填写理由。"))
        return reason


@admin.register(Designation)
class DesignationAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(designation_list_for)
    list_display = (
        "plaque_number", "organization", "jurisdiction", "level", "round", "awarded_on", "subsidy_amount",
        "status_display", "revoked_on",
    )
    list_filter = ("level", "status", "jurisdiction", "round")
    search_fields = ("organization__name", "plaque_number")
    list_select_related = ("organization", "jurisdiction", "round")
    fields = (
        "organization", "jurisdiction", "round", "application", "level", "title", "plaque_number", "subsidy_amount",
        "awarded_on", "status", "revoked_on", "revoke_reason", "history",
    )
    readonly_fields = fields
    actions = ("revoke",)
    date_hierarchy = "awarded_on"
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application")

    @admin.display(description=_("状态"), ordering="status")
    def status_display(self, obj):
        return format_html('<span class="badge state-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("操作记录"))
    def history(self, obj):
        return render_history(obj)

    @admin.action(description=_("撤销称号"))
    def revoke(self, request, queryset):
        """R10: an intermediate page asks for the reason, then each title is revoked through the service."""
        if not request.user.has_perm("sites.manage_designation"):
            raise PermissionDenied
        designations = list(queryset.select_related("organization", "jurisdiction"))
        if "confirm" in request.POST:
            form = RevokeForm(request.POST)
            if form.is_valid():
                revoked = 0
                for designation in designations:
                    try:
                        services.designation_revoke(
                            actor=request.user, designation_id=designation.pk,
                            reason=form.cleaned_data["reason"], revoked_on=form.cleaned_data["revoked_on"],
                        )
                    except DomainError as error:
                        self.message_user(request, f"{designation.organization.name}：{error.message}", level=messages.ERROR)
                    else:
                        revoked += 1
                if revoked:
                    self.message_user(
                        request,
                        ngettext("已撤销 %(count)d 个示范点称号。", "已撤销 %(count)d 个示范点称号。", revoked)
                        % {"count": revoked},
                        level=messages.SUCCESS,
                    )
                return None  # back to the change list
        else:
            form = RevokeForm(initial={"revoked_on": today()})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("撤销示范点称号"),
            "opts": self.model._meta,
            "designations": designations,
            "already_revoked": [d for d in designations if d.status == DesignationStatus.REVOKED],
            "form": form,
            "action_name": "revoke",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/sites/designation/revoke_confirmation.html", context)
