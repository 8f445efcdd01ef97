"""The world of the designation programme: places, units, rounds, quotas, applications, sites.

Invariants the database can hold live here as constraints; the workflow lives in services.py.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import (
    DESIGNATION_TITLE,
    ApplicationState,
    DesignationStatus,
    JurisdictionKind,
    Level,
    RoundStatus,
)


class Jurisdiction(models.Model):
    """The city, one of its 9 county-level divisions, or a dispatched discipline work committee."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=JurisdictionKind.choices)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A party organisation / unit. It belongs to exactly one jurisdiction.

    `parent` builds the organisation tree (a branch under its party committee),
    which the conflict-of-interest rule (R5) walks.
    """

    name = models.CharField(_("名称"), max_length=120)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="organizations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sector = models.CharField(_("类别"), max_length=40, blank=True, help_text=_("如：机关、学校、医院、企业、村（社区）"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["jurisdiction__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="unique_org_name_per_jurisdiction")]

    def __str__(self):
        return self.name


class Round(models.Model):
    """A round of designation (创建轮次), R1: level, organiser, dates and quotas."""

    name = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    organizer = models.ForeignKey(
        Jurisdiction, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="organized_rounds"
    )
    ratio = models.PositiveSmallIntegerField(
        _("推荐比例"), default=2, help_text=_("按 N:1 比例推荐：每个名额最多推荐 N 个（R2，默认 2）")
    )
    applications_open_on = models.DateField(_("申报开始日期"))
    applications_close_on = models.DateField(_("申报截止日期"))
    screening_close_on = models.DateField(_("审核推荐截止日期"))
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2, default=Decimal("80"))
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("创建轮次")
        verbose_name_plural = _("创建轮次")
        ordering = ["-year", "level", "id"]
        constraints = [
            models.CheckConstraint(name="round_ratio_positive", condition=Q(ratio__gte=1)),
            models.CheckConstraint(
                name="round_window_ordered",
                condition=Q(applications_open_on__lte=models.F("applications_close_on"))
                & Q(applications_close_on__lte=models.F("screening_close_on")),
                violation_error_message=_("日期顺序有误：申报开始日期 ≤ 申报截止日期 ≤ 审核推荐截止日期。"),
            ),
        ]

    def __str__(self):
        return self.name


class Quota(models.Model):
    """R2: N slots for one jurisdiction in one round; it may recommend at most ratio × N."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="quotas")
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="quotas")
    slots = models.PositiveSmallIntegerField(_("名额"))

    class Meta:
        verbose_name = _("名额")
        verbose_name_plural = _("名额")
        ordering = ["round", "jurisdiction__sort_order"]
        constraints = [models.UniqueConstraint(fields=["round", "jurisdiction"], name="unique_quota_per_round")]

    def __str__(self):
        return f"{self.round} · {self.jurisdiction}: {self.slots}"

    @property
    def recommend_limit(self):
        return self.slots * self.round.ratio


class Application(models.Model):
    """A unit's application (申报) in a round. State changes only through sites.services."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        Organization, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="applications"
    )
    # Copied from the organisation when created, so scoping and the quota lock never need a join.
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="applications", editable=False
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, editable=False
    )
    summary = models.TextField(_("创建工作情况"), max_length=5000)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    decision_reason = models.TextField(_("审核意见"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live application per unit per round; a withdrawn one may be replaced.
            models.UniqueConstraint(
                fields=["round", "organization"],
                condition=~Q(state="withdrawn"),
                name="one_live_application_per_round",
            ),
            models.CheckConstraint(
                name="rejection_has_reason", condition=~Q(state="rejected") | ~Q(decision_reason="")
            ),
        ]
        indexes = [models.Index(fields=["round", "jurisdiction", "state"])]

    def __str__(self):
        return f"{self.organization} · {self.round}"


def material_upload_to(instance, filename):
    return f"applications/{instance.application_id}/{filename}"


class ApplicationMaterial(models.Model):
    """A file attached to an application. Never deleted; a replaced file is marked superseded."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="materials"
    )
    title = models.CharField(_("材料名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class Designation(models.Model):
    """An organisation holding the title 党务公开工作示范点 (R9); revoked, never deleted (R10)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="designations"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="designations", editable=False
    )
    round = models.ForeignKey(Round, verbose_name=_("授牌轮次"), on_delete=models.PROTECT, related_name="designations")
    application = models.OneToOneField(
        Application, verbose_name=_("申报"), null=True, blank=True, on_delete=models.PROTECT, related_name="designation"
    )
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    title = models.CharField(_("称号"), max_length=40, default=DESIGNATION_TITLE)
    plaque_number = models.CharField(_("牌匾编号"), max_length=40, unique=True)
    subsidy_amount = models.DecimalField(_("补助经费（元）"), max_digits=10, decimal_places=2, default=Decimal("0"))
    awarded_on = models.DateField(_("授牌日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE, editable=False
    )
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False)
    revoke_reason = models.TextField(_("撤销理由"), blank=True, editable=False)

    class Meta:
        verbose_name = _("示范点")
        verbose_name_plural = _("示范点")
        ordering = ["-awarded_on", "id"]
        constraints = [
            # R10: a revoked title carries its date and reason.
            models.CheckConstraint(
                name="revocation_has_date_and_reason",
                condition=Q(status="active", revoked_on__isnull=True)
                | (Q(status="revoked", revoked_on__isnull=False) & ~Q(revoke_reason="")),
            ),
            # One active title per unit and level at a time.
            models.UniqueConstraint(
                fields=["organization", "level"], condition=Q(status="active"), name="one_active_title_per_level"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"]),
            models.Index(fields=["jurisdiction", "status"]),
            # The public directory's order (active first, newest first) and its year bounds.
            models.Index(fields=["status", "-awarded_on"], name="designation_directory_idx"),
            models.Index(fields=["awarded_on"], name="designation_awarded_on_idx"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.full_title}"

    @property
    def display_title(self):
        """The title in the reader's language when it is the standard one (stored data stays Chinese)."""
        from django.utils.translation import gettext

        if self.title == DESIGNATION_TITLE:
            return gettext("党务公开工作示范点")
        return self.title

    @property
    def full_title(self):
        """Level and title as one phrase: “市级党务公开工作示范点” / “City-level Party-Affairs Disclosure
        Demonstration Site”. A non-standard stored title is shown as stored, after the level."""
        from django.utils.translation import gettext

        level = self.get_level_display()
        if self.title == DESIGNATION_TITLE:
            return gettext("%(level)s党务公开工作示范点") % {"level": level}
        return gettext("%(level)s%(title)s") % {"level": level, "title": self.title}
