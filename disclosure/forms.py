"""Forms of the disclosure portal and public pages. Fields are listed explicitly; the services
enforce the rules and their DomainError is shown on the field it names."""
from django import forms as djforms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .enums import (
    Cadence,
    CarrierKind,
    EvidenceKind,
    Field,
    FindingKind,
    Form,
    InspectionResult,
    Satisfaction,
    Scope,
    TimeType,
)
from .models import Carrier, CatalogueEntry, Category, Item


def add_domain_error(form, error):
    """Show a service's DomainError on the field it names, or above the form — also when the field is
    hidden, where nobody would see it."""
    field = error.field if error.field in form.fields else None
    if field is not None and form.fields[field].widget.is_hidden:
        field = None
    form.add_error(field, str(error.message))


class ChinaDateInput(djforms.DateInput):
    """A date picker that says it is China time (every date rule is judged in Asia/Shanghai)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"aria-describedby": "tz-note", **(attrs or {})}, format="%Y-%m-%d")


def china_date(label, *, required=True, help_text=""):
    return djforms.DateField(
        # Lazy: the label is built per request, in the reader's language (forms are defined at import).
        label=format_lazy(_("{label}（北京时间）"), label=label), required=required, widget=ChinaDateInput(),
        help_text=help_text,
    )


class CarrierForm(djforms.Form):
    kind = djforms.ChoiceField(label=_("类型"), choices=CarrierKind.choices)
    name = djforms.CharField(label=_("名称"), max_length=100)
    location = djforms.CharField(label=_("位置"), max_length=200, required=False,
                                 help_text=_("公开栏、电子显示屏、信息岛所在位置"))
    url = djforms.URLField(label=_("网址"), required=False, assume_scheme="https", help_text=_("网页或公众号的地址"))
    handle = djforms.CharField(label=_("账号名称"), max_length=100, required=False,
                               help_text=_("微信公众号、微博的名称或账号"))
    maintainer = djforms.CharField(label=_("维护责任人"), max_length=40, required=False)
    note = djforms.CharField(label=_("备注"), max_length=200, required=False)


class EntryForm(djforms.Form):
    category = djforms.ModelChoiceField(label=_("类别"), queryset=Category.objects.filter(is_active=True))
    title = djforms.CharField(label=_("公开内容"), max_length=120)
    description = djforms.CharField(label=_("说明"), required=False, widget=djforms.Textarea(attrs={"rows": 3}))
    field = djforms.ChoiceField(label=_("公开领域"), choices=Field.choices, initial=Field.PARTY)
    scope = djforms.ChoiceField(label=_("公开范围"), choices=Scope.choices, initial=Scope.EXTERNAL)
    forms = djforms.MultipleChoiceField(label=_("公开形式"), choices=Form.choices, required=False,
                                      widget=djforms.CheckboxSelectMultiple)
    carriers = djforms.ModelMultipleChoiceField(label=_("公开载体"), queryset=Carrier.objects.none(), required=False,
                                              widget=djforms.CheckboxSelectMultiple)
    time_type = djforms.ChoiceField(label=_("公开时间类型"), choices=TimeType.choices, initial=TimeType.STAGED)
    cadence = djforms.ChoiceField(label=_("公开频次"), choices=Cadence.choices, initial=Cadence.MONTHLY,
                                help_text=_("定期公开的条目，每月11日检查窗口期内是否已公开"))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carriers"].queryset = Carrier.objects.filter(organization=organization, is_active=True)


class ItemForm(djforms.Form):
    entry = djforms.ModelChoiceField(label=_("目录条目"), queryset=CatalogueEntry.objects.none())
    previous = djforms.ModelChoiceField(label=_("前一期（多次公开/替换长期公开）"), queryset=Item.objects.none(), required=False)
    title = djforms.CharField(label=_("标题"), max_length=200)
    content = djforms.CharField(label=_("公开内容"), widget=djforms.Textarea(attrs={"rows": 8}))
    field = djforms.ChoiceField(label=_("公开领域"), choices=Field.choices)
    scope = djforms.ChoiceField(label=_("公开范围"), choices=Scope.choices,
                              help_text=_("对内公开的事项不会出现在任何公开页面"))
    forms = djforms.MultipleChoiceField(label=_("公开形式"), choices=Form.choices, required=False,
                                      widget=djforms.CheckboxSelectMultiple)
    carriers = djforms.ModelMultipleChoiceField(label=_("公开载体"), queryset=Carrier.objects.none(), required=False,
                                              widget=djforms.CheckboxSelectMultiple)
    time_type = djforms.ChoiceField(label=_("公开时间类型"), choices=TimeType.choices)
    publish_on = china_date(_("拟公开日期"), help_text=_("每月1—10日；及时公开事项除外（R16）"))
    display_until = china_date(_("公开截止日期"), required=False,
                               help_text=_("不少于公开日期后15天；长期公开事项可不填（R17）"))

    def __init__(self, *args, organization, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = CatalogueEntry.objects.filter(organization=organization, is_active=True).select_related("category")
        # R15: only items that went into the procedure can start or continue a series (checked in the service).
        # The 200 latest, as a sub-select: a sliced queryset could not validate the chosen value.
        latest = (Item.objects.filter(organization=organization).exclude(state__in=("draft", "withdrawn"))
                  .order_by("-publish_on", "-id").values("pk")[:200])
        self.fields["previous"].queryset = Item.objects.filter(pk__in=latest).order_by("-publish_on", "-id")
        self.fields["carriers"].queryset = Carrier.objects.filter(organization=organization, is_active=True)
        if editing:
            del self.fields["entry"]
            del self.fields["previous"]


class AttachmentForm(djforms.Form):
    title = djforms.CharField(label=_("附件名称"), max_length=120, required=False)
    file = djforms.FileField(label=_("文件"), help_text=_("PDF、图片或 Office 文件"))


DECISIONS = [("approve", _("通过")), ("return", _("退回修改"))]


class InitialReviewForm(djforms.Form):
    decision = djforms.ChoiceField(label=_("初审结论"), choices=DECISIONS, widget=djforms.RadioSelect, initial="approve")
    check_content = djforms.BooleanField(label=_("内容已审核"), required=False)
    check_scope = djforms.BooleanField(label=_("范围已审核"), required=False)
    check_form = djforms.BooleanField(label=_("形式已审核"), required=False)
    check_timing = djforms.BooleanField(label=_("时限已审核"), required=False)
    reason = djforms.CharField(label=_("意见/退回理由"), required=False, widget=djforms.Textarea(attrs={"rows": 2}))


class ReviewForm(djforms.Form):
    decision = djforms.ChoiceField(label=_("审查结论"), choices=DECISIONS, widget=djforms.RadioSelect, initial="approve")
    reason = djforms.CharField(label=_("意见/退回理由"), required=False, widget=djforms.Textarea(attrs={"rows": 2}))


class EndForm(djforms.Form):
    action = djforms.ChoiceField(label=_("操作"), choices=[("archive", _("整理归档")), ("withdraw", _("撤下/作废"))])
    reason = djforms.CharField(label=_("说明"), required=False, widget=djforms.Textarea(attrs={"rows": 2}))


class EvidenceForm(djforms.Form):
    carrier = djforms.ModelChoiceField(label=_("公开载体"), queryset=Carrier.objects.none(), required=False)
    kind = djforms.ChoiceField(label=_("佐证类型"), choices=EvidenceKind.choices)
    file = djforms.FileField(label=_("照片/截图"), required=False)
    sms_count = djforms.IntegerField(label=_("短信条数"), required=False, min_value=0)
    note = djforms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        # Proof is recorded for the carriers the item names (in use), never any other of the unit's.
        self.fields["carrier"].queryset = item.carriers.filter(is_active=True).order_by("id")


class InspectForm(djforms.Form):
    result = djforms.ChoiceField(label=_("检查结果"), choices=InspectionResult.choices, widget=djforms.RadioSelect)
    finding_kind = djforms.ChoiceField(label=_("问题类型"), choices=FindingKind.choices, initial=FindingKind.EVIDENCE)
    note = djforms.CharField(label=_("检查意见"), required=False, widget=djforms.Textarea(attrs={"rows": 2}))


class ExemptionForm(djforms.Form):
    title = djforms.CharField(label=_("事项名称"), max_length=200)
    reason = djforms.CharField(label=_("暂缓公开理由"), widget=djforms.Textarea(attrs={"rows": 3}))
    basis = djforms.CharField(label=_("依据"), max_length=200)
    approver = djforms.CharField(label=_("批准人"), max_length=60)
    approved_on = china_date(_("批准日期"))
    review_by = china_date(_("复核期限"))


class ExemptionReviewForm(djforms.Form):
    decision = djforms.ChoiceField(label=_("复核结论"), choices=[
        ("keep", _("继续暂缓公开")), ("release", _("转为公开")), ("close", _("撤销备案"))])
    review_by = china_date(_("新的复核期限"), required=False)
    note = djforms.CharField(label=_("复核意见"), widget=djforms.Textarea(attrs={"rows": 2}))


class AnswerForm(djforms.Form):
    answer = djforms.CharField(label=_("答复内容"), widget=djforms.Textarea(attrs={"rows": 4}), max_length=2000)


class FindingForm(djforms.Form):
    organization = djforms.ModelChoiceField(label=_("党组织"), queryset=None)
    kind = djforms.ChoiceField(label=_("问题类型"), choices=FindingKind.choices)
    period = china_date(_("所属月份（任一日期）"))
    description = djforms.CharField(label=_("问题描述"), widget=djforms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class NoticeForm(djforms.Form):
    requirement = djforms.CharField(label=_("整改要求"), widget=djforms.Textarea(attrs={"rows": 3}))
    deadline = china_date(_("整改期限"))


class DismissForm(djforms.Form):
    reason = djforms.CharField(label=_("核销理由"), widget=djforms.Textarea(attrs={"rows": 2}))


class ReportForm(djforms.Form):
    report = djforms.CharField(label=_("整改情况"), widget=djforms.Textarea(attrs={"rows": 4}))


class CheckForm(djforms.Form):
    decision = djforms.ChoiceField(label=_("复查结论"), choices=[("close", _("销号")), ("return", _("退回重改"))],
                                 widget=djforms.RadioSelect)
    note = djforms.CharField(label=_("复查意见"), required=False, widget=djforms.Textarea(attrs={"rows": 2}))


# --- public forms: rate-limited, honeypot-protected (the `website` field must stay empty) ---------
class HoneypotMixin(djforms.Form):
    website = djforms.CharField(label=_("请勿填写此项"), required=False,
                              widget=djforms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def is_bot(self):
        return bool(self.data.get("website"))


class PublicFeedbackForm(HoneypotMixin):
    content = djforms.CharField(label=_("意见建议"), max_length=2000, widget=djforms.Textarea(attrs={"rows": 4}))
    name = djforms.CharField(label=_("称呼（可不填）"), max_length=40, required=False)
    contact = djforms.CharField(label=_("联系方式（可不填，不公开）"), max_length=60, required=False)
    item = djforms.IntegerField(required=False, widget=djforms.HiddenInput)


class RatingForm(HoneypotMixin):
    rating = djforms.ChoiceField(label=_("您对本单位党务公开工作的评价"), choices=Satisfaction.choices, widget=djforms.RadioSelect)
    phone = djforms.CharField(label=_("手机号码"), max_length=20,
                            help_text=_("只用于确认每人每月评价一次，系统只保存加密后的标识，不保存号码"))
    comment = djforms.CharField(label=_("留言（可不填）"), max_length=300, required=False)


class FeedbackLookupForm(djforms.Form):
    code = djforms.CharField(label=_("回执码"), max_length=16)
