"""The disclosure work of party organisations: catalogues, carriers, items and their procedure,
exemptions, public feedback and satisfaction, inspection findings and rectifications.

Invariants the database can hold live here; every transition lives in services/.
Nothing official is deleted: entries and carriers are deactivated, items withdrawn or archived.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import effective_display_end
from .enums import (
    Cadence,
    CarrierKind,
    EvidenceKind,
    ExemptionState,
    FeedbackState,
    Field,
    FindingKind,
    FindingState,
    Form,
    InspectionResult,
    ItemState,
    RectificationState,
    ReminderKind,
    Satisfaction,
    Scope,
    TimeType,
)
from .texts import render


class Category(models.Model):
    """A standard category of the catalogue (R12), e.g. 三重一大. Staff edit the set in the admin."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("公开类别")
        verbose_name_plural = _("公开类别")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Carrier(models.Model):
    """Where an organisation discloses (R12/R13): a board and its location, a web page and its address…"""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_carriers"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("类型"), max_length=20, choices=CarrierKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=200, blank=True, help_text=_("公开栏、电子显示屏、信息岛所在位置"))
    url = models.URLField(_("网址"), blank=True, help_text=_("网页或公众号的地址"))
    handle = models.CharField(_("账号名称"), max_length=100, blank=True, help_text=_("微信公众号、微博的名称或账号"))
    maintainer = models.CharField(_("维护责任人"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开载体")
        verbose_name_plural = _("公开载体")
        ordering = ["organization_id", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}·{self.name}"

    @property
    def whereabouts(self):
        """Where to find it, besides its address: a board's location or an account's name/handle."""
        return self.location or self.handle


class CatalogueEntry(models.Model):
    """One line of an organisation's disclosure catalogue (公开目录, R12)."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_entries"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("公开内容"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    field = models.CharField(_("公开领域"), max_length=20, choices=Field.choices, default=Field.PARTY)
    scope = models.CharField(_("公开范围"), max_length=10, choices=Scope.choices, default=Scope.EXTERNAL)
    forms = models.JSONField(_("公开形式"), default=list, blank=True)
    carriers = models.ManyToManyField(Carrier, verbose_name=_("公开载体"), blank=True, related_name="entries")
    time_type = models.CharField(_("公开时间类型"), max_length=20, choices=TimeType.choices, default=TimeType.STAGED)
    cadence = models.CharField(_("公开频次"), max_length=20, choices=Cadence.choices, default=Cadence.AS_NEEDED)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开目录条目")
        verbose_name_plural = _("公开目录条目")
        ordering = ["organization_id", "category__sort_order", "id"]
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self):
        return f"{self.category.name}·{self.title}"

    def get_forms_display(self):
        return gettext("、").join(str(_form_label(code)) for code in self.forms or [])


def _form_label(code):
    try:
        return Form(code).label
    except ValueError:
        return code


class Item(models.Model):
    """A disclosure item (公开事项) going through the four steps (R14). State changes only in services."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_items"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    entry = models.ForeignKey(
        CatalogueEntry, verbose_name=_("目录条目"), on_delete=models.PROTECT, related_name="items"
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("前一期"), null=True, blank=True, on_delete=models.PROTECT, related_name="followers",
        help_text=_("多次公开的上一期，或被本事项替换的长期公开事项"),
    )
    series = models.ForeignKey(
        "self", verbose_name=_("系列"), null=True, blank=True, on_delete=models.PROTECT, related_name="series_items",
        editable=False,
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("公开内容"))
    field = models.CharField(_("公开领域"), max_length=20, choices=Field.choices, default=Field.PARTY)
    scope = models.CharField(_("公开范围"), max_length=10, choices=Scope.choices)
    forms = models.JSONField(_("公开形式"), default=list, blank=True)
    carriers = models.ManyToManyField(Carrier, verbose_name=_("公开载体"), blank=True, related_name="items")
    time_type = models.CharField(_("公开时间类型"), max_length=20, choices=TimeType.choices)
    publish_on = models.DateField(_("拟公开日期"))
    display_until = models.DateField(_("公开截止日期"), null=True, blank=True, help_text=_("长期公开事项可不填，直至被替换"))
    # The last day publishing counts as on time (R16 window end, or publish_on for prompt items).
    due_by = models.DateField(_("按时公开截止"), editable=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=ItemState.choices, default=ItemState.DRAFT, editable=False, db_index=True
    )
    # R14 initial review: the four checks.
    check_content = models.BooleanField(_("内容审核"), default=False, editable=False)
    check_scope = models.BooleanField(_("范围审核"), default=False, editable=False)
    check_form = models.BooleanField(_("形式审核"), default=False, editable=False)
    check_timing = models.BooleanField(_("时限审核"), default=False, editable=False)
    initial_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("初审人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    initial_reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("退回理由"), blank=True, editable=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True, editable=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    superseded = models.BooleanField(_("已被替换"), default=False, editable=False)
    inspection_result = models.CharField(
        _("监督检查结果"), max_length=10, choices=InspectionResult.choices, blank=True, editable=False
    )
    inspection_note = models.TextField(_("检查意见"), blank=True, editable=False)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    inspected_at = models.DateTimeField(_("检查时间"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("撤下日期"), null=True, blank=True, editable=False)
    end_reason = models.TextField(_("撤下/归档说明"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["-publish_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="item_returned_has_reason", condition=~Q(state="returned") | ~Q(return_reason="")
            ),
            models.CheckConstraint(
                name="item_published_has_date",
                condition=~Q(state__in=["published", "archived"]) | Q(published_on__isnull=False),
            ),
            models.CheckConstraint(
                name="item_display_end_after_publish",
                condition=Q(display_until__isnull=True) | Q(display_until__gt=models.F("publish_on")),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "publish_on"], name="disc_item_state_publish"),
            models.Index(fields=["organization", "state"], name="disc_item_org_state"),
            models.Index(fields=["jurisdiction", "state"], name="disc_item_jur_state"),
            models.Index(fields=["entry", "published_on"], name="disc_item_entry_pub"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_prompt(self):
        return self.time_type == TimeType.PROMPT

    @property
    def on_time(self):
        return self.published_on is not None and self.published_on <= self.due_by

    @property
    def display_end(self):
        """The last day on display. Once published: the asked-for end, but never fewer than 15 days after the
        actual publication (R17) — what the archive job uses; before publication, the asked-for end.
        None for long-term items without an end (on display until replaced)."""
        if self.published_on is None:
            return self.display_until
        return effective_display_end(self.published_on, self.display_until)

    @property
    def display_extended(self):
        """Published late: the display runs past the asked-for end to keep the 15 days (R17)."""
        return self.display_until is not None and self.display_end != self.display_until

    def get_forms_display(self):
        return gettext("、").join(str(_form_label(code)) for code in self.forms or [])


def attachment_upload_to(instance, filename):
    return f"disclosure/items/{instance.item_id}/{uuid.uuid4().hex[:8]}-{filename}"


def evidence_upload_to(instance, filename):
    return f"disclosure/evidence/{instance.item_id}/{uuid.uuid4().hex[:8]}-{filename}"


class Attachment(models.Model):
    """A file disclosed with an item. Public when the item is external and on display."""

    item = models.ForeignKey(Item, verbose_name=_("公开事项"), on_delete=models.PROTECT, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class Evidence(models.Model):
    """Proof of publication on one carrier (a board photo, a page screenshot, an SMS count). Never public."""

    item = models.ForeignKey(Item, verbose_name=_("公开事项"), on_delete=models.PROTECT, related_name="evidence")
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("公开载体"), null=True, blank=True, on_delete=models.PROTECT, related_name="evidence",
        help_text=_("对内公开（会议、文件）可不选载体"),
    )
    kind = models.CharField(_("佐证类型"), max_length=20, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255, blank=True)
    sms_count = models.PositiveIntegerField(_("短信条数"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开佐证")
        verbose_name_plural = _("公开佐证")
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.carrier or ''} · {self.get_kind_display()}"


class Exemption(models.Model):
    """R11: information temporarily unsuitable for disclosure (暂不宜公开信息备案)."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_exemptions"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    title = models.CharField(_("事项名称"), max_length=200)
    reason = models.TextField(_("暂缓公开理由"))
    basis = models.CharField(_("依据"), max_length=200)
    approver = models.CharField(_("批准人"), max_length=60)
    approved_on = models.DateField(_("批准日期"))
    review_by = models.DateField(_("复核期限"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ExemptionState.choices, default=ExemptionState.ACTIVE, editable=False
    )
    review_note = models.TextField(_("复核意见"), blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("暂不宜公开信息备案")
        verbose_name_plural = _("暂不宜公开信息备案")
        ordering = ["review_by", "id"]
        constraints = [
            models.CheckConstraint(name="exemption_review_after_approval", condition=Q(review_by__gte=models.F("approved_on"))),
        ]

    def __str__(self):
        return self.title


class Feedback(models.Model):
    """R18: an opinion or suggestion from the public; the writer reads the answer by receipt code.

    The answer deadline is computed when read from `received_on` and the working-day calendar
    (never stored), so correcting the calendar moves open deadlines.
    """

    code = models.CharField(_("回执码"), max_length=16, unique=True, editable=False)
    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_feedback"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    item = models.ForeignKey(
        Item, verbose_name=_("公开事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    name = models.CharField(_("称呼"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    content = models.TextField(_("意见建议"), max_length=2000)
    state = models.CharField(
        _("状态"), max_length=20, choices=FeedbackState.choices, default=FeedbackState.RECEIVED, editable=False
    )
    received_on = models.DateField(_("受理日期"), editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True, editable=False)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="feedback_answered_has_answer",
                condition=~Q(state="answered") | (~Q(answer="") & Q(answered_on__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"], name="disc_feedback_org_state")]

    def __str__(self):
        return self.code


class SatisfactionRating(models.Model):
    """R19: one rating per person (hashed phone) per organisation per month."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_ratings"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    rating = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices)
    voter_hash = models.CharField(_("评价人标识"), max_length=64, editable=False)
    comment = models.CharField(_("留言"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month", "voter_hash"], name="one_rating_per_person_month"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.month:%Y-%m} · {self.get_rating_display()}"


class Finding(models.Model):
    """R20: an inspection finding recorded for the supervising office (by a job or an inspector)."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_findings"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("问题类型"), max_length=20, choices=FindingKind.choices)
    period = models.DateField(_("所属月份"), help_text=_("该月第一天"))
    entry = models.ForeignKey(
        CatalogueEntry, verbose_name=_("目录条目"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("公开事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    # R18/R20: the feedback answered late or not at all (findings recorded by the overdue-feedback job).
    feedback = models.ForeignKey(
        Feedback, verbose_name=_("意见建议"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings",
        editable=False,
    )
    description = models.TextField(_("问题描述"))
    # Written by a job: the message code and its parameters, rendered in the reader's language (texts.py).
    text_code = models.CharField(_("文本代码"), max_length=40, blank=True, editable=False)
    text_params = models.JSONField(_("文本参数"), default=dict, blank=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=FindingState.choices, default=FindingState.OPEN, editable=False
    )
    by_job = models.BooleanField(_("系统自动发现"), default=False, editable=False)
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["-period", "-id"]
        constraints = [
            # The 11th check records a missed entry once per month, however often it runs.
            models.UniqueConstraint(
                fields=["kind", "entry", "period"], condition=Q(by_job=True), name="one_job_finding_per_entry_month"
            ),
            # The overdue-feedback job records one finding per feedback, however often it runs.
            models.UniqueConstraint(
                fields=["kind", "feedback"], condition=Q(by_job=True), name="one_job_finding_per_feedback"
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "state"], name="disc_finding_jur_state")]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} · {self.period:%Y-%m}"

    @property
    def text(self):
        """The description in the reader's language (job findings); as written otherwise."""
        return render(self.text_code, self.text_params, self.description) if self.text_code else self.description


class Rectification(models.Model):
    """R20: a rectification notice (整改通知) with a deadline, issued from a finding."""

    finding = models.OneToOneField(Finding, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="rectification")
    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_rectifications"
    )
    jurisdiction = models.ForeignKey(
        "sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    requirement = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(
        _("状态"), max_length=20, choices=RectificationState.choices, default=RectificationState.ISSUED, editable=False
    )
    report = models.TextField(_("整改情况报告"), blank=True, editable=False)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True, editable=False)
    check_note = models.TextField(_("复查意见"), blank=True, editable=False)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["jurisdiction", "state"], name="disc_rect_jur_state")]

    def __str__(self):
        return f"{self.organization} · {self.deadline}"


class Reminder(models.Model):
    """A reminder shown on the organisation's dashboard (window opening/closing, exemption review)."""

    organization = models.ForeignKey(
        "sites.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosure_reminders"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReminderKind.choices)
    period = models.DateField(_("针对日期"))
    ref_id = models.PositiveBigIntegerField(_("关联编号"), default=0)
    message = models.TextField(_("内容"))
    text_code = models.CharField(_("文本代码"), max_length=40, blank=True, editable=False)
    text_params = models.JSONField(_("文本参数"), default=dict, blank=True, editable=False)
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "period", "ref_id"], name="one_reminder_per_subject"),
        ]

    def __str__(self):
        return self.message[:40]

    @property
    def text(self):
        """The message in the reader's language (texts.py), or as stored."""
        return render(self.text_code, self.text_params, self.message) if self.text_code else self.message
