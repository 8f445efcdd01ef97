"""Evaluation, publicity and award (R4–R10, R20).

Invariants the database can hold live here as constraints; the workflow lives in services/.
A candidate (考评对象) is either a recommended application of the round or, for R10, an
existing site re-evaluated in the round; both are scored with the round's one table.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.receipts import receipt_code_new

from .enums import (
    AssignmentState,
    CandidateKind,
    DeliberationDecision,
    InspectionKind,
    InspectionRating,
    Method,
    ObjectionState,
    PublicityStatus,
    ReevaluationOutcome,
    ScorecardState,
    StoryStatus,
    SubsidyState,
)

USER = settings.AUTH_USER_MODEL


class EvaluationTable(models.Model):
    """The quantitative evaluation table (量化考评表) of one round; the pass mark is the round's."""

    round = models.OneToOneField("sites.Round", verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="evaluation_table")
    title = models.CharField(_("名称"), max_length=120, default=_("党务公开工作示范点量化考评表"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("量化考评表")
        verbose_name_plural = _("量化考评表")

    def __str__(self):
        return f"{self.round} · {self.title}"

    @property
    def total_points(self):
        return sum((c.max_points for c in self.criteria.all()), Decimal("0"))


class Criterion(models.Model):
    table = models.ForeignKey(EvaluationTable, verbose_name=_("考评表"), on_delete=models.PROTECT, related_name="criteria")
    group = models.CharField(_("分组"), max_length=40)
    name = models.CharField(_("考评项目"), max_length=60)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    guidance = models.TextField(_("考评要点"), blank=True)
    methods = models.JSONField(_("考评方式"), default=list, help_text=_("R4：听汇报、查资料、实地察看、走访座谈、民主测评"))
    rules = models.CharField(_("对应规则"), max_length=40, blank=True)
    fed_by_democratic = models.BooleanField(_("由民主测评满意率折算"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考评项目")
        verbose_name_plural = _("考评项目")
        ordering = ["table", "order", "id"]
        constraints = [
            models.CheckConstraint(name="criterion_points_positive", condition=Q(max_points__gt=0)),
            models.UniqueConstraint(fields=["table", "name"], name="unique_criterion_name"),
        ]

    def __str__(self):
        return _("%(name)s（%(points)s分）") % {"name": self.name, "points": format(self.max_points.normalize(), "f")}

    def method_labels(self):
        return [str(Method(m).label) for m in self.methods if m in Method.values]


class Team(models.Model):
    """An evaluation team (考评组), R5: drawn from commission and committee staff."""

    round = models.ForeignKey("sites.Round", verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="evaluation_teams")
    name = models.CharField(_("名称"), max_length=60)
    leader = models.ForeignKey(USER, verbose_name=_("组长"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(USER, verbose_name=_("成员"), related_name="evaluation_teams", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考评组")
        verbose_name_plural = _("考评组")
        ordering = ["round", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="unique_team_name_per_round")]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    """One unit scored in a round: a recommended application, or an existing site (R10)."""

    round = models.ForeignKey("sites.Round", verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="candidates")
    kind = models.CharField(_("类型"), max_length=20, choices=CandidateKind.choices, default=CandidateKind.NEW)
    application = models.OneToOneField(
        "sites.Application", verbose_name=_("申报"), null=True, blank=True, on_delete=models.PROTECT, related_name="candidate"
    )
    designation = models.ForeignKey(
        "sites.Designation", verbose_name=_("复评示范点"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reevaluations",
    )
    organization = models.ForeignKey("sites.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey("sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, verbose_name=_("考评组"), null=True, blank=True, on_delete=models.PROTECT, related_name="candidates")
    outcome = models.CharField(
        _("复评结果"), max_length=20, choices=ReevaluationOutcome.choices, default=ReevaluationOutcome.PENDING, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考评对象")
        verbose_name_plural = _("考评对象")
        ordering = ["round", "jurisdiction__sort_order", "organization__name", "id"]
        constraints = [
            models.CheckConstraint(
                name="candidate_has_one_subject",
                condition=Q(kind="new", application__isnull=False, designation__isnull=True)
                | Q(kind="reevaluation", application__isnull=True, designation__isnull=False),
            ),
            models.UniqueConstraint(fields=["round", "designation"], name="one_reevaluation_per_round"),
        ]
        indexes = [models.Index(fields=["round", "jurisdiction"])]

    def __str__(self):
        return f"{self.organization} · {self.round}"


class Assignment(models.Model):
    """An evaluator assigned to a candidate (R5: never of their own jurisdiction or organisation)."""

    candidate = models.ForeignKey(Candidate, verbose_name=_("考评对象"), on_delete=models.PROTECT, related_name="assignments")
    evaluator = models.ForeignKey(USER, verbose_name=_("考评人员"), on_delete=models.PROTECT, related_name="evaluation_assignments")
    state = models.CharField(_("状态"), max_length=20, choices=AssignmentState.choices, default=AssignmentState.PENDING, editable=False)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True, editable=False)
    conflict_note = models.TextField(_("利益冲突说明"), blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True, editable=False)
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考评分工")
        verbose_name_plural = _("考评分工")
        ordering = ["candidate", "evaluator__username"]
        constraints = [models.UniqueConstraint(fields=["candidate", "evaluator"], name="unique_assignment")]

    def __str__(self):
        return f"{self.evaluator} → {self.candidate}"


class Scorecard(models.Model):
    """One evaluator's scores for one candidate. Locked once submitted unless staff reopen it."""

    assignment = models.OneToOneField(Assignment, verbose_name=_("考评分工"), on_delete=models.PROTECT, related_name="scorecard")
    state = models.CharField(_("状态"), max_length=20, choices=ScorecardState.choices, default=ScorecardState.DRAFT, editable=False)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=Decimal("0"), editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    reopen_reason = models.TextField(_("退回理由"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.CheckConstraint(name="scorecard_total_non_negative", condition=Q(total__gte=0)),
            models.CheckConstraint(
                name="submitted_scorecard_has_time", condition=~Q(state="submitted") | Q(submitted_at__isnull=False)
            ),
        ]

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    """One criterion's points with the methods behind them (R4)."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("考评项目"), on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    methods = models.JSONField(_("考评方式"), default=list)
    notes = models.TextField(_("评分说明"), blank=True)

    class Meta:
        verbose_name = _("得分")
        verbose_name_plural = _("得分")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(name="score_points_non_negative", condition=Q(points__gte=0)),
        ]

    def method_labels(self):
        return [str(Method(m).label) for m in self.methods if m in Method.values]


def evidence_upload_to(instance, filename):
    return f"evaluation/evidence/{instance.scorecard_id}/{filename}"


class Evidence(models.Model):
    scorecard = models.ForeignKey(Scorecard, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, verbose_name=_("考评项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=120)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分佐证材料")
        verbose_name_plural = _("评分佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title


class DemocraticEvaluation(models.Model):
    """民主测评 ballots for one candidate (R4, R19); the satisfaction rate feeds the table."""

    candidate = models.OneToOneField(Candidate, verbose_name=_("考评对象"), on_delete=models.PROTECT, related_name="democratic")
    held_on = models.DateField(_("测评日期"))
    satisfied = models.PositiveIntegerField(_("满意"))
    basically_satisfied = models.PositiveIntegerField(_("基本满意"))
    dissatisfied = models.PositiveIntegerField(_("不满意"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("民主测评")
        verbose_name_plural = _("民主测评")

    def __str__(self):
        return str(self.candidate)

    @property
    def ballots(self):
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def satisfaction_rate(self):
        """(satisfied + basically satisfied) / ballots, as a Decimal percentage with one decimal."""
        if not self.ballots:
            return None
        rate = Decimal(self.satisfied + self.basically_satisfied) * 100 / Decimal(self.ballots)
        return rate.quantize(Decimal("0.1"))


class Inspection(models.Model):
    """A daily inspection or special check of a unit (R20); an important basis of the list (R6)."""

    organization = models.ForeignKey("sites.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="inspections")
    jurisdiction = models.ForeignKey("sites.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=120, blank=True)
    findings = models.TextField(_("发现问题"))
    rating = models.CharField(_("评定等次"), max_length=20, choices=InspectionRating.choices)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日常检查与专项督查")
        verbose_name_plural = _("日常检查与专项督查")
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["organization", "inspected_on"])]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} {self.inspected_on}"


def minutes_upload_to(instance, filename):
    return f"evaluation/minutes/{instance.round_id}/{filename}"


class Deliberation(models.Model):
    """R7: the leading group's meeting on the preliminary list, with the list it decided on."""

    round = models.ForeignKey("sites.Round", verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="deliberations")
    meeting_date = models.DateField(_("会议日期"))
    attendees = models.TextField(_("参会人员"))
    decision = models.CharField(_("审议结论"), max_length=20, choices=DeliberationDecision.choices)
    notes = models.TextField(_("会议纪要摘要"), blank=True)
    minutes = models.FileField(_("会议纪要文件"), upload_to=minutes_upload_to, max_length=255, blank=True)
    application_ids = models.JSONField(_("审议名单"), default=list, editable=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领导小组审议")
        verbose_name_plural = _("领导小组审议")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.round} · {self.meeting_date}"


class Publicity(models.Model):
    """R8: the online publicity of a round's list; closed at its end (China time) by a job."""

    round = models.ForeignKey("sites.Round", verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="publicities")
    deliberation = models.ForeignKey(Deliberation, verbose_name=_("依据的审议"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"))
    status = models.CharField(_("状态"), max_length=20, choices=PublicityStatus.choices, default=PublicityStatus.OPEN, editable=False)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(name="publicity_dates_ordered", condition=Q(starts_on__lte=models.F("ends_on"))),
            models.UniqueConstraint(fields=["round"], condition=Q(status="open"), name="one_open_publicity_per_round"),
        ]

    def __str__(self):
        return f"{self.round} · {self.starts_on}—{self.ends_on}"


class PublicityEntry(models.Model):
    """A unit on a published list, with the score shown to the public (frozen at opening)."""

    publicity = models.ForeignKey(Publicity, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey("sites.Application", verbose_name=_("申报"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    position = models.PositiveSmallIntegerField(_("序号"))
    withdrawn = models.BooleanField(_("已撤出名单"), default=False, editable=False)

    class Meta:
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        ordering = ["publicity", "position"]
        constraints = [models.UniqueConstraint(fields=["publicity", "application"], name="unique_publicity_entry")]


def new_receipt_code():
    """A fresh receipt code from core.receipts' one alphabet (named by migration 0001; objection_create
    passes its own code through core.receipts.create_with_receipt_code, which retries on a collision)."""
    return receipt_code_new(10)


class Objection(models.Model):
    """A member of the public objects during the publicity (R8). Contact details are staff-only."""

    code = models.CharField(_("受理编号"), max_length=12, unique=True, default=new_receipt_code, editable=False)
    publicity = models.ForeignKey(Publicity, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(
        PublicityEntry, verbose_name=_("异议对象"), null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    content = models.TextField(_("异议内容"), max_length=3000)
    objector_name = models.CharField(_("姓名"), max_length=40, blank=True)
    objector_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.RECEIVED, editable=False)
    received_at = models.DateTimeField(_("受理时间"), auto_now_add=True)
    received_on = models.DateField(_("受理日期"), editable=False)  # China date; deadlines count from it
    investigation = models.TextField(_("调查核实情况"), blank=True, editable=False)
    reply = models.TextField(_("答复"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="answered_objection_has_reply",
                condition=Q(state__in=["received", "investigating"]) | (~Q(reply="") & Q(answered_at__isnull=False)),
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_answered(self):
        return self.state in (ObjectionState.UPHELD, ObjectionState.DISMISSED)


class SubsidyPayment(models.Model):
    """R9: the one-off subsidy of a designation and its recorded payment steps."""

    designation = models.OneToOneField("sites.Designation", verbose_name=_("示范点"), on_delete=models.PROTECT, related_name="subsidy")
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    state = models.CharField(_("状态"), max_length=20, choices=SubsidyState.choices, default=SubsidyState.PENDING, editable=False)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True, editable=False)
    voucher = models.CharField(_("拨付凭证号"), max_length=60, blank=True, editable=False)

    class Meta:
        verbose_name = _("补助经费")
        verbose_name_plural = _("补助经费")
        ordering = ["designation"]
        constraints = [
            models.CheckConstraint(name="subsidy_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="paid_subsidy_has_voucher", condition=~Q(state="paid") | ~Q(voucher="")),
        ]

    def __str__(self):
        return f"{self.designation} · {self.amount}"


def revocation_upload_to(instance, filename):
    return f"evaluation/revocations/{instance.designation_id}/{filename}"


class Revocation(models.Model):
    """R10: the decision withdrawing a title, with the plaque recall."""

    designation = models.OneToOneField("sites.Designation", verbose_name=_("示范点"), on_delete=models.PROTECT, related_name="revocation")
    candidate = models.OneToOneField(Candidate, verbose_name=_("复评"), null=True, blank=True, on_delete=models.PROTECT, related_name="revocation")
    score = models.DecimalField(_("复评得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("撤销理由"))
    decision_ref = models.CharField(_("决定文号"), max_length=80)
    decided_on = models.DateField(_("决定日期"))
    plaque_recalled_on = models.DateField(_("牌匾收回日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("撤销决定")
        verbose_name_plural = _("撤销决定")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.designation} · {self.decision_ref}"


def story_upload_to(instance, filename):
    return f"evaluation/stories/{filename}"


class CaseStory(models.Model):
    """R8a: a short case story of a site's good practice, shown on its page and the home page."""

    designation = models.ForeignKey("sites.Designation", verbose_name=_("示范点"), on_delete=models.PROTECT, related_name="stories")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), max_length=5000)
    photo = models.FileField(_("照片"), upload_to=story_upload_to, max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=StoryStatus.choices, default=StoryStatus.DRAFT, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("典型经验")
        verbose_name_plural = _("典型经验")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title
