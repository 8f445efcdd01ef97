"""States and choices of evaluation, publicity and award, with the allowed transitions beside them."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """R4: the five evaluation methods (考评方式)."""

    HEARING = "hearing", _("听汇报")
    MATERIALS = "materials", _("查资料")
    ON_SITE = "on_site", _("实地察看")
    VISIT = "visit", _("走访座谈")
    DEMOCRATIC = "democratic", _("民主测评")


class CandidateKind(models.TextChoices):
    NEW = "new", _("新申报")
    REEVALUATION = "reevaluation", _("复评")  # R10: an existing site re-evaluated in a new round


class ReevaluationOutcome(models.TextChoices):
    PENDING = "pending", _("待复评")
    RETAINED = "retained", _("保留称号")
    REVOKED = "revoked", _("撤销称号")


# R10: a re-evaluated site keeps its title or loses it, once.
REEVALUATION_TRANSITIONS = {
    ReevaluationOutcome.PENDING: {ReevaluationOutcome.RETAINED, ReevaluationOutcome.REVOKED},
    ReevaluationOutcome.RETAINED: set(),
    ReevaluationOutcome.REVOKED: set(),
}


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待声明")  # R5: materials stay closed until no conflict is declared
    DECLARED = "declared", _("已声明无利益冲突")
    CONFLICTED = "conflicted", _("存在利益冲突，已回避")
    WITHDRAWN = "withdrawn", _("已撤回分工")  # staff took the evaluator off (e.g. the candidate moved team); kept on record


# Assignments that still count: the evaluator is (or may be) on the candidate's panel.
ASSIGNMENT_ACTIVE_STATES = (AssignmentState.PENDING, AssignmentState.DECLARED)

ASSIGNMENT_TRANSITIONS = {
    AssignmentState.PENDING: {AssignmentState.DECLARED, AssignmentState.CONFLICTED, AssignmentState.WITHDRAWN},
    AssignmentState.DECLARED: {AssignmentState.WITHDRAWN},
    AssignmentState.CONFLICTED: set(),
    # Assigned again after a withdrawal: the evaluator declares afresh (R5).
    AssignmentState.WITHDRAWN: {AssignmentState.PENDING},
}


class ScorecardState(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")


# Submitted cards are locked; staff reopen them with a reason.
SCORECARD_TRANSITIONS = {
    ScorecardState.DRAFT: {ScorecardState.SUBMITTED},
    ScorecardState.SUBMITTED: {ScorecardState.DRAFT},
}


class InspectionKind(models.TextChoices):
    """R20: daily inspections and special checks."""

    DAILY = "daily", _("日常检查")
    SPECIAL = "special", _("专项督查")


class InspectionRating(models.TextChoices):
    EXCELLENT = "excellent", _("好")
    GOOD = "good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


RATING_POINTS = {"excellent": 4, "good": 3, "fair": 2, "poor": 1}


class DeliberationDecision(models.TextChoices):
    """R7: what the leading group decided about the preliminary list."""

    APPROVED = "approved", _("同意初选名单")
    RETURNED = "returned", _("退回重新研究")


class PublicityStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    CLOSED = "closed", _("公示结束")
    WITHDRAWN = "withdrawn", _("已撤回")  # an upheld objection sent the list back to evaluation


PUBLICITY_TRANSITIONS = {
    PublicityStatus.OPEN: {PublicityStatus.CLOSED, PublicityStatus.WITHDRAWN},
    PublicityStatus.CLOSED: set(),
    PublicityStatus.WITHDRAWN: set(),
}


class ObjectionState(models.TextChoices):
    RECEIVED = "received", _("已受理")
    INVESTIGATING = "investigating", _("调查核实中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


OBJECTION_TRANSITIONS = {
    ObjectionState.RECEIVED: {ObjectionState.INVESTIGATING, ObjectionState.UPHELD, ObjectionState.DISMISSED},
    ObjectionState.INVESTIGATING: {ObjectionState.UPHELD, ObjectionState.DISMISSED},
    ObjectionState.UPHELD: set(),
    ObjectionState.DISMISSED: set(),
}
OBJECTION_OPEN_STATES = (ObjectionState.RECEIVED, ObjectionState.INVESTIGATING)
OBJECTION_ANSWERED_STATES = (ObjectionState.UPHELD, ObjectionState.DISMISSED)


class SubsidyState(models.TextChoices):
    """R9: the subsidy's own recorded steps."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已拨付")


SUBSIDY_TRANSITIONS = {
    SubsidyState.PENDING: {SubsidyState.APPROVED},
    SubsidyState.APPROVED: {SubsidyState.PAID},
    SubsidyState.PAID: set(),
}


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


# R8a: a story is published, taken down, and may be published again; never back to a draft.
STORY_TRANSITIONS = {
    StoryStatus.DRAFT: {StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN},
    StoryStatus.PUBLISHED: {StoryStatus.WITHDRAWN},
    StoryStatus.WITHDRAWN: {StoryStatus.PUBLISHED},
}


# The default quantitative evaluation table (DOMAIN.md), totalling 100.
# (group, name, points, guidance, methods, rules, fed_by_democratic_evaluation)
DEFAULT_TABLE = (
    (_("基础工作"), _("组织领导"), 10, _("领导小组和办公室健全，分工明确，列入议事日程，人员经费有保障"),
     ("hearing", "materials"), "R20", False),
    (_("基础工作"), _("制度建设"), 15, _("目录、审核、报告、反馈、暂不宜公开备案、考核问责、载体维护等制度健全"),
     ("hearing", "materials"), "R11 R12", False),
    (_("公开实施"), _("公开内容"), 20, _("目录全覆盖；决策、执行、监督、结果全过程公开；“三重一大”事项公开"),
     ("materials", "on_site"), "R12", False),
    (_("公开实施"), _("公开形式"), 10, _("因事制宜运用对内对外公开形式；公开栏、网站等载体维护良好"),
     ("on_site", "visit"), "R13", False),
    (_("公开实施"), _("公开程序"), 15, _("按四个步骤实施，审核记录完整，资料整理归档"),
     ("materials",), "R14", False),
    (_("公开实施"), _("公开时间"), 10, _("每月1—10日集中公开，公开不少于15天，及时公开事项按时公开"),
     ("materials", "on_site"), "R15 R16 R17", False),
    (_("工作成效"), _("群众满意度"), 15, _("民主测评和群众满意度评价结果"),
     ("democratic", "visit"), "R19", True),
    (_("工作成效"), _("特色亮点"), 5, _("有自身特色，有值得推广的新形式新载体"),
     ("hearing", "on_site"), "R8a", False),
)
