"""Forms of evaluation, publicity and award. Fields are listed explicitly; services do the checking."""
import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DeliberationDecision, Method


def add_domain_error(form, error):
    """Show a service's DomainError on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


class DeclarationForm(forms.Form):
    """R5: the evaluator declares before the materials open."""

    conflict = forms.TypedChoiceField(
        label=_("利益冲突声明"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("no", _("本人与该单位不存在利益冲突（非本辖区、非本单位及上下级单位，无亲属关系等）")),
                 ("yes", _("本人与该单位存在利益冲突，申请回避"))],
    )
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ScorecardForm(forms.Form):
    """One row per criterion: points (0..max), methods (R4), notes. Built from the round's table."""

    def __init__(self, *args, criteria, scores=None, suggestions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores, suggestions = scores or {}, suggestions or {}
        for c in self.criteria:
            current = scores.get(c.pk)
            initial_points = current.points if current else suggestions.get(c.pk)
            # Two decimals, as the service accepts (a 民主测评 suggestion is e.g. 14.56): step 0.01, not 0.5;
            # min and max come from the criterion (the field's min_value and max_value).
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=c.name, required=False, min_value=0, max_value=c.max_points, decimal_places=2, max_digits=5,
                initial=initial_points, widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"methods_{c.pk}"] = forms.MultipleChoiceField(
                label=_("考评方式"), required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(m, Method(m).label) for m in c.methods if m in Method.values],
                initial=current.methods if current else [],
            )
            self.fields[f"notes_{c.pk}"] = forms.CharField(
                label=_("评分说明"), required=False, max_length=1000, initial=current.notes if current else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [(c, self[f"points_{c.pk}"], self[f"methods_{c.pk}"], self[f"notes_{c.pk}"]) for c in self.criteria]

    def score_map(self):
        data = self.cleaned_data
        return {
            c.pk: {"points": data.get(f"points_{c.pk}"), "methods": data.get(f"methods_{c.pk}") or [], "notes": data.get(f"notes_{c.pk}") or ""}
            for c in self.criteria
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=120, required=False)
    file = forms.FileField(label=_("佐证材料"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class DemocraticForm(forms.Form):
    held_on = forms.DateField(label=_("测评日期"), widget=forms.DateInput(attrs={"type": "date"}))
    satisfied = forms.IntegerField(label=_("满意（票）"), min_value=0)
    basically_satisfied = forms.IntegerField(label=_("基本满意（票）"), min_value=0)
    dissatisfied = forms.IntegerField(label=_("不满意（票）"), min_value=0)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeliberationForm(forms.Form):
    """R7: the leading group's meeting."""

    meeting_date = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    decision = forms.ChoiceField(label=_("审议结论"), choices=DeliberationDecision.choices)
    notes = forms.CharField(label=_("会议纪要摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.FileField(label=_("会议纪要文件"), required=False)


class PublicityForm(forms.Form):
    """R8: the publicity period (the minimum length is a setting)."""

    starts_on = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("公示结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=settings.PUBLICITY_MIN_DAYS - 1)
        self.fields["ends_on"].help_text = _("公示期不少于%(n)d天（含首尾两天）。") % {"n": settings.PUBLICITY_MIN_DAYS}


class ObjectionForm(forms.Form):
    """The public objection form (R8). `website` is a honeypot that people never see."""

    entry = forms.TypedChoiceField(label=_("异议对象"), coerce=int, required=False, empty_value=None)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}), min_length=10, max_length=3000,
                              help_text=_("请写明具体事实和线索，至少10个字。"))
    objector_name = forms.CharField(label=_("姓名（选填）"), required=False, max_length=40)
    objector_contact = forms.CharField(label=_("联系方式（选填，仅工作人员可见）"), required=False, max_length=100,
                                       help_text=_("填写电子邮箱可在答复时收到通知。"))
    website = forms.CharField(label=_("请勿填写此项"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("（整体名单）"))] + [
            (e.pk, f"{e.application.jurisdiction.name} · {e.application.organization.name}") for e in entries
        ]


class ObjectionLookupForm(forms.Form):
    code = forms.CharField(label=_("受理编号"), max_length=12)


class ObjectionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结论"), choices=[("dismissed", _("异议不成立")), ("upheld", _("异议成立（移出名单）"))],
                                widget=forms.RadioSelect)
    investigation = forms.CharField(label=_("调查核实情况（内部）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reply = forms.CharField(label=_("答复（公开）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)


class InvestigateForm(forms.Form):
    note = forms.CharField(label=_("调查安排"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AwardForm(forms.Form):
    awarded_on = forms.DateField(label=_("授牌日期"), widget=forms.DateInput(attrs={"type": "date"}))


class RevokeForm(forms.Form):
    """R10."""

    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    decision_ref = forms.CharField(label=_("决定文号"), max_length=80)
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    plaque_recalled_on = forms.DateField(label=_("牌匾收回日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SubsidyForm(forms.Form):
    state = forms.ChoiceField(label=_("步骤"), choices=[("approved", _("审批")), ("paid", _("拨付"))])
    voucher = forms.CharField(label=_("拨付凭证号"), required=False, max_length=60)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("填好的评分表（.xlsx）"))


class InspectionForm(forms.Form):
    """R20: a daily inspection or special check; the organisation list is scoped by the view."""

    organization = forms.ModelChoiceField(label=_("单位"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=[("daily", _("日常检查")), ("special", _("专项督查"))])
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = forms.CharField(label=_("检查人员"), required=False, max_length=120)
    findings = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    rating = forms.ChoiceField(label=_("评定等次"), choices=[("excellent", _("好")), ("good", _("较好")), ("fair", _("一般")), ("poor", _("差"))])
    rectification_due = forms.DateField(label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
