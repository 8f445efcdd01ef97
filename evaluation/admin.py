"""Admin for commission staff: the table, teams, inspections and case stories are edited here;
workflow state is read-only and changes only through the services (actions call them)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin, ScopedAdminMixin
from qujing_disclosure.core.errors import DomainError

from . import selectors, services
from .enums import Method, StoryStatus
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
    Score,
    Scorecard,
    SubsidyPayment,
    Team,
)


class ReadOnlyAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Watched by the municipal office, never edited here: state changes only through the services.
    Lists start from the app's selector (`list_for`)."""


def _raise_as_validation_error(error, fields):
    """A service's DomainError on the admin form: on its field when the form has it, else above the form."""
    if error.field in fields:
        raise ValidationError({error.field: str(error.message)})
    raise ValidationError(str(error.message))


class CriterionForm(forms.ModelForm):
    """One criterion; its checks are the service's (criterion_check), run in clean() so a refused
    change keeps the input and shows the message on the field."""

    methods = forms.MultipleChoiceField(label=_("考评方式"), choices=Method.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Criterion
        fields = ["order", "group", "name", "max_points", "methods", "guidance", "rules", "fed_by_democratic"]

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or self.errors:
            return data
        table = EvaluationTable.objects.filter(pk=self.instance.table_id).first() if self.instance.table_id else None
        try:
            if table is None:  # a new table: only the criterion's own checks
                services.criterion_methods_check(data.get("methods"))
            else:
                services.criterion_check(table=table, criterion=self.instance if self.instance.pk else None,
                                         max_points=data.get("max_points"), methods=data.get("methods"))
        except DomainError as error:
            _raise_as_validation_error(error, self.fields)
        return data


class CriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Errors of forms marked for deletion are ignored by Django: refuse a deletion here, in words
        # (before the base clean, whose uniqueness pass would raise the admin's generic "protected" text).
        for form in self.forms:
            if getattr(form, "cleaned_data", {}).get("DELETE") and form.instance.pk and Score.objects.filter(criterion_id=form.instance.pk).exists():
                raise ValidationError(_("“%(name)s”已有考评人员评分，不能删除。") % {"name": form.instance.name})
        super().clean()


class CriterionInline(MunicipalAdminMixin, admin.StackedInline):
    """The criteria of a table; `obj` is the table. Locked once a scorecard is submitted.
    Saved through the services (EvaluationTableAdmin.save_formset), each change audited."""

    model = Criterion
    form = CriterionForm
    formset = CriterionFormSet
    extra = 0

    def _editable(self, request, obj):
        return request.user.has_perm("evaluation.manage") and (obj is None or not selectors.table_is_locked(obj))

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A criterion of a table not yet in use may be taken out while the table is drawn up.
        return obj is not None and self._editable(request, obj)


class EvaluationTableForm(forms.ModelForm):
    class Meta:
        model = EvaluationTable
        fields = ["round", "title", "note"]


@admin.register(EvaluationTable)
class EvaluationTableAdmin(ScopedAdminMixin, MunicipalAdminMixin, admin.ModelAdmin):
    """The quantitative evaluation table; locked once a scorecard of the round is submitted.
    The table and its criteria are written by the services (audited), not by the admin's own save."""

    list_for = staticmethod(selectors.table_list_for)
    form = EvaluationTableForm
    list_display = ("round", "title", "total")
    fields = ("round", "title", "note")
    inlines = [CriterionInline]

    @admin.display(description=_("满分"))
    def total(self, obj):
        return obj.total_points

    def get_readonly_fields(self, request, obj=None):
        return ("round",) if obj else ()

    def save_model(self, request, obj, form, change):
        table = services.table_save(actor=request.user, round_id=obj.round_id, title=obj.title, note=obj.note,
                                    table_id=obj.pk if change else None)
        obj.pk = table.pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not Criterion:
            return super().save_formset(request, form, formset, change)
        table = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item in formset.deleted_forms:
            if item.instance.pk:
                services.criterion_delete(actor=request.user, criterion_id=item.instance.pk)
                formset.deleted_objects.append(item.instance)
        for item in formset.forms:
            if item in formset.deleted_forms or not item.has_changed():
                continue
            data = item.cleaned_data
            criterion = services.criterion_save(
                actor=request.user, table_id=table.pk, criterion_id=item.instance.pk, group=data["group"], name=data["name"],
                max_points=data["max_points"], guidance=data.get("guidance", ""), methods=data["methods"], rules=data.get("rules", ""),
                fed_by_democratic=data.get("fed_by_democratic", False), order=data.get("order") or 0)
            if item.instance.pk:
                formset.changed_objects.append((criterion, item.changed_data))
            else:
                formset.new_objects.append(criterion)
        total = EvaluationTable.objects.get(pk=table.pk).total_points
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
                services.team_member_check(member)
            except DomainError as error:
                raise ValidationError({"members": str(error.message)}) from None
        if data.get("leader") and data["leader"] not in (data.get("members") or []):
            self.add_error("leader", _("组长必须是考评组成员。"))
        return data


@admin.register(Team)
class TeamAdmin(ScopedAdminMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_for = staticmethod(selectors.team_list_for)
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
    """R20: the service's date checks run in clean(), so a refused date keeps the input and no success appears."""

    class Meta:
        model = Inspection
        fields = ["organization", "kind", "inspected_on", "inspectors", "findings", "rating", "rectification_due", "rectified_on"]

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("inspected_on"):
            return data
        try:
            services.inspection_check(inspected_on=data["inspected_on"], rectification_due=data.get("rectification_due"),
                                      rectified_on=data.get("rectified_on"))
        except DomainError as error:
            _raise_as_validation_error(error, self.fields)
        return data


@admin.register(Inspection)
class InspectionAdmin(ScopedAdminMixin, MunicipalAdminMixin, admin.ModelAdmin):
    """R20: daily inspections and special checks, recorded and corrected through the services (audited)."""

    list_for = staticmethod(selectors.inspection_list_for)
    form = InspectionForm
    list_display = ("organization", "jurisdiction", "kind", "inspected_on", "rating", "rectification_due", "rectified_on")
    list_filter = ("kind", "rating", "jurisdiction")
    search_fields = ("organization__name", "findings")
    raw_id_fields = ("organization",)
    date_hierarchy = "inspected_on"

    def get_readonly_fields(self, request, obj=None):
        return ("organization",) if obj else ()

    def get_fields(self, request, obj=None):
        fields = list(InspectionForm.Meta.fields)
        return fields if obj else [f for f in fields if f != "rectified_on"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.inspection_update(actor=request.user, inspection_id=obj.pk,
                                       **{k: data[k] for k in services.INSPECTION_EDITABLE if k in data})
            return
        created = services.inspection_record(
            actor=request.user, organization_id=data["organization"].pk, kind=data["kind"], inspected_on=data["inspected_on"],
            findings=data["findings"], rating=data["rating"], inspectors=data.get("inspectors", ""),
            rectification_due=data.get("rectification_due"))
        obj.pk = created.pk


class CaseStoryForm(forms.ModelForm):
    """R8a: the service's checks (title, body, photo type) run in clean()."""

    class Meta:
        model = CaseStory
        fields = ["designation", "title", "body", "photo"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        photo = data.get("photo") if "photo" in self.changed_data and isinstance(data.get("photo"), UploadedFile) else None
        try:
            services.story_check(title=data.get("title"), body=data.get("body"), photo=photo)
        except DomainError as error:
            _raise_as_validation_error(error, self.fields)
        return data


@admin.register(CaseStory)
class CaseStoryAdmin(ScopedAdminMixin, MunicipalAdminMixin, admin.ModelAdmin):
    """R8a: good-practice case stories, published on the site page and the home page."""

    list_for = staticmethod(selectors.story_list_for)
    form = CaseStoryForm
    list_display = ("title", "designation", "status", "published_at")
    list_filter = ("status",)
    raw_id_fields = ("designation",)
    actions = ["publish", "withdraw"]

    def get_readonly_fields(self, request, obj=None):
        return ("designation",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        photo = data.get("photo") if "photo" in form.changed_data and isinstance(data.get("photo"), UploadedFile) else None
        story = services.story_save(actor=request.user, designation_id=obj.designation_id, title=data["title"], body=data["body"],
                                    photo=photo, story_id=obj.pk if change else None)
        obj.pk = story.pk

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
    list_for = staticmethod(selectors.objection_list_for)
    list_display = ("code", "publicity", "state", "received_on", "objector_name", "objector_contact")
    list_filter = ("state",)
    search_fields = ("code", "content")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.assignment_list_for)
    list_display = ("candidate", "evaluator", "state", "declared_at")
    list_filter = ("state", "candidate__round")


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.scorecard_list_for)
    list_display = ("assignment", "state", "total", "submitted_at")
    list_filter = ("state",)


@admin.register(Deliberation)
class DeliberationAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.deliberation_list_for)
    list_display = ("round", "meeting_date", "decision", "recorded_by")


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.publicity_list_for)
    list_display = ("round", "starts_on", "ends_on", "status")


@admin.register(SubsidyPayment)
class SubsidyPaymentAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.subsidy_list_for)
    list_display = ("designation", "amount", "state", "voucher")
    list_filter = ("state",)


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_for = staticmethod(selectors.revocation_list_for)
    list_display = ("designation", "decision_ref", "decided_on", "score", "plaque_recalled_on")
