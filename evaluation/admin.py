"""Admin for commission staff: the table, teams, inspections and case stories are edited here;
workflow state is read-only and changes only through the services (actions call them)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.access import is_municipal
from qujing_disclosure.core.admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin
from qujing_disclosure.core.errors import DomainError

from . import services
from .enums import StoryStatus
from .models import (
    Assignment,
    CaseStory,
    Criterion,
    Deliberation,
    EvaluationTable,
    Inspection,
    Objection,
    Publicity,
    Revocation,
    Scorecard,
    SubsidyPayment,
    Team,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Watched by the municipal office, never edited here: state changes only through the services."""


class CriterionForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(label=_("考评方式"), choices=services.Method.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Criterion
        fields = ["order", "group", "name", "max_points", "methods", "guidance", "rules", "fed_by_democratic"]


class CriterionInline(MunicipalAdminMixin, admin.StackedInline):
    """The criteria of a table; `obj` is the table. Locked once a scorecard is submitted."""

    model = Criterion
    form = CriterionForm
    extra = 0

    def _editable(self, request, obj):
        return is_municipal(request.user) and (obj is None or not services.table_is_locked(obj))

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A criterion of a table not yet in use may be taken out while the table is drawn up.
        return obj is not None and self._editable(request, obj)


@admin.register(EvaluationTable)
class EvaluationTableAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """The quantitative evaluation table; locked once a scorecard of the round is submitted."""

    list_display = ("round", "title", "total")
    fields = ("round", "title", "note")
    inlines = [CriterionInline]

    @admin.display(description=_("满分"))
    def total(self, obj):
        return obj.total_points

    def get_readonly_fields(self, request, obj=None):
        return ("round",) if obj else ()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        total = form.instance.total_points
        if total != 100:
            messages.warning(request, _("考评表满分为 %(total)s 分（默认模板为 100 分），请确认。") % {"total": total})


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["round", "name", "leader", "members"]

    def clean(self):
        data = super().clean()
        for member in data.get("members") or []:
            try:
                services._check_team_member(member)
            except DomainError as error:
                raise ValidationError({"members": str(error.message)}) from None
        if data.get("leader") and data["leader"] not in (data.get("members") or []):
            self.add_error("leader", _("组长必须是考评组成员。"))
        return data


@admin.register(Team)
class TeamAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    form = TeamForm
    list_display = ("name", "round", "leader")
    list_filter = ("round",)
    filter_horizontal = ("members",)

    def save_model(self, request, obj, form, change):
        team = services.team_save(actor=request.user, round_id=form.cleaned_data["round"].pk, name=obj.name,
                                  member_ids=[m.pk for m in form.cleaned_data["members"]],
                                  leader_id=obj.leader_id, team_id=obj.pk if change else None)
        obj.pk = team.pk

    def save_related(self, request, form, formsets, change):
        pass  # members were set by the service


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["organization", "kind", "inspected_on", "inspectors", "findings", "rating", "rectification_due"]


@admin.register(Inspection)
class InspectionAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """R20: daily inspections and special checks."""

    form = InspectionForm
    list_display = ("organization", "jurisdiction", "kind", "inspected_on", "rating", "rectification_due", "rectified_on")
    list_filter = ("kind", "rating", "jurisdiction")
    search_fields = ("organization__name", "findings")
    raw_id_fields = ("organization",)
    date_hierarchy = "inspected_on"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            created = services.inspection_record(actor=request.user, **{k: form.cleaned_data[k] for k in InspectionForm.Meta.fields if k != "organization"},
                                                 organization_id=form.cleaned_data["organization"].pk)
            obj.pk = created.pk
        except DomainError as error:
            messages.error(request, str(error.message))


class CaseStoryForm(forms.ModelForm):
    class Meta:
        model = CaseStory
        fields = ["designation", "title", "body", "photo"]


@admin.register(CaseStory)
class CaseStoryAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """R8a: good-practice case stories, published on the site page and the home page."""

    form = CaseStoryForm
    list_display = ("title", "designation", "status", "published_at")
    list_filter = ("status",)
    raw_id_fields = ("designation",)
    actions = ["publish", "withdraw"]

    def save_model(self, request, obj, form, change):
        try:
            photo = form.cleaned_data.get("photo") if "photo" in form.changed_data else None
            story = services.story_save(actor=request.user, designation_id=form.cleaned_data["designation"].pk, title=obj.title, body=obj.body,
                                        photo=photo or None, story_id=obj.pk if change else None)
            obj.pk = story.pk
        except DomainError as error:
            messages.error(request, str(error.message))

    def _set(self, request, queryset, status):
        for story in queryset:
            services.story_set_status(actor=request.user, story_id=story.pk, status=status)
        messages.success(request, _("已更新 %(n)d 篇。") % {"n": queryset.count()})

    @admin.action(description=_("发布所选典型经验"))
    def publish(self, request, queryset):
        self._set(request, queryset, StoryStatus.PUBLISHED)

    @admin.action(description=_("撤下所选典型经验"))
    def withdraw(self, request, queryset):
        self._set(request, queryset, StoryStatus.WITHDRAWN)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("code", "publicity", "state", "received_on", "objector_name", "objector_contact")
    list_filter = ("state",)
    search_fields = ("code", "content")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "evaluator", "state", "declared_at")
    list_filter = ("state", "candidate__round")


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "state", "total", "submitted_at")
    list_filter = ("state",)


@admin.register(Deliberation)
class DeliberationAdmin(ReadOnlyAdmin):
    list_display = ("round", "meeting_date", "decision", "recorded_by")


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ("round", "starts_on", "ends_on", "status")


@admin.register(SubsidyPayment)
class SubsidyPaymentAdmin(ReadOnlyAdmin):
    list_display = ("designation", "amount", "state", "voucher")
    list_filter = ("state",)


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = ("designation", "decision_ref", "decided_on", "score", "plaque_recalled_on")
