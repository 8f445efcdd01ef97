"""Portal forms of the designation workflow.

Every form lists its fields explicitly: what a user may change is exactly what
is named here. State, jurisdiction and the applying unit of an existing
application are never form fields, so posting them changes nothing. Forms only
collect input; the changes themselves go through sites.services, and the views
put a service's DomainError on the field it names.
"""
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.errors import DomainError

from .enums import ApplicationState
from .services import ALLOWED_UPLOAD_EXTENSIONS, validate_upload


def add_domain_error(form, error):
    """Show a service's DomainError on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def upload_limit_text():
    """The size limit in words, e.g. "20 MB" (settings.UPLOAD_MAX_BYTES)."""
    limit = settings.UPLOAD_MAX_BYTES
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} B"


def allowed_types_text():
    """The accepted file name endings, e.g. ".pdf .jpg …" (sites.services.ALLOWED_UPLOAD_EXTENSIONS)."""
    return " ".join(ALLOWED_UPLOAD_EXTENSIONS)


class _RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(name)s（%(level)s）") % {"name": obj.name, "level": obj.get_level_display()}


class ApplicationEditForm(forms.Form):
    """The text of a draft. Nothing else of an application is editable here."""

    summary = forms.CharField(
        label=_("创建工作情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("简要说明本单位党务公开工作的做法和成效，5000字以内。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"}))


class ApplicationCreateForm(ApplicationEditForm):
    """A new draft application (R3). The unit is chosen from the user's own units;
    an organisation user has exactly one, so the field is fixed for them."""

    round = _RoundChoiceField(
        label=_("创建轮次"), queryset=None, empty_label=_("请选择轮次"),
        error_messages={"invalid_choice": _("请选择正在申报、且本辖区有名额的轮次。")},
    )
    organization = forms.ModelChoiceField(
        label=_("申报单位"), queryset=None, empty_label=_("请选择本辖区的党组织"),
        error_messages={"invalid_choice": _("请从本辖区的党组织中选择。")},
    )

    field_order = ("round", "organization", "summary", "contact_name", "contact_phone")

    def __init__(self, *args, rounds, organizations, fixed_organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["organization"].queryset = organizations
        if fixed_organization is not None:
            # An organisation user applies only for itself: whatever is posted, its own unit is used.
            self.fields["organization"].disabled = True
            self.fields["organization"].initial = fixed_organization.pk
            self.fields["organization"].empty_label = None


class MaterialForm(forms.Form):
    """One uploaded file with its title. Type and size are checked by sites.services.validate_upload."""

    title = forms.CharField(label=_("材料名称"), max_length=120, required=False,
                            help_text=_("不填写时使用文件名。"))
    file = forms.FileField(
        label=_("文件"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_UPLOAD_EXTENSIONS)}),
    )

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded:
            try:
                validate_upload(uploaded)
            except DomainError as error:
                add_domain_error(self, error)
        elif cleaned.get("title"):
            self.add_error("file", _("请选择要上传的文件。"))
        return cleaned


class _BaseMaterialFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("file") for form in self.forms):
            raise forms.ValidationError(_("请至少选择一个文件。"))

    def uploads(self):
        """(title, file) of every filled row, in order."""
        return [
            (form.cleaned_data.get("title", ""), form.cleaned_data["file"])
            for form in self.forms
            if form.cleaned_data.get("file")
        ]


MaterialFormSet = forms.formset_factory(MaterialForm, formset=_BaseMaterialFormSet, extra=3, max_num=10, absolute_max=10)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因（可选）"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RecommendForm(forms.Form):
    reason = forms.CharField(label=_("推荐意见（可选）"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    # The service insists on a reason (R3) and says so in its own words; the form leaves it to it.
    reason = forms.CharField(label=_("不推荐理由（必填）"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationFilterForm(forms.Form):
    round = forms.ModelChoiceField(label=_("轮次"), queryset=None, required=False, empty_label=_("全部轮次"))
    state = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["state"].choices = [("", _("全部状态")), *ApplicationState.choices]
