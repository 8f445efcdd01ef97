"""States and choices of the disclosure work, with the allowed transitions beside them."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """R13: internal items are for party members only and never appear on a public page."""

    INTERNAL = "internal", _("对内公开")
    EXTERNAL = "external", _("对外公开")


class Field(models.TextChoices):
    """R12 (统筹兼顾): one catalogue covers party, government, judicial and service disclosure."""

    PARTY = "party", _("党务公开")
    GOVERNMENT = "government", _("政务公开")
    JUDICIAL = "judicial", _("司法公开")
    SERVICE = "service", _("办事公开")


class Form(models.TextChoices):
    """R13: forms of disclosure. The first four are internal forms, the rest external."""

    MEETING = "meeting", _("党内会议")
    DOCUMENT = "document", _("印发文件")
    BRIEFING = "briefing", _("定期通报")
    ORG_LIFE = "org_life", _("组织生活会")
    BOARD = "board", _("公开栏")
    WEBSITE = "website", _("网站/网页")
    SCREEN = "screen", _("电子显示屏")
    KIOSK = "kiosk", _("信息岛")
    SOCIAL = "social", _("微博/微信")
    BROADCAST = "broadcast", _("广播")
    BULLETIN = "bulletin", _("简报")
    HANDBOOK = "handbook", _("便民手册")
    CARD = "card", _("明白卡")
    SMS = "sms", _("手机短信")
    REPRESENTATIVES = "representatives", _("群众代表会议")


INTERNAL_FORMS = {Form.MEETING, Form.DOCUMENT, Form.BRIEFING, Form.ORG_LIFE}


class TimeType(models.TextChoices):
    """R15: when an item is disclosed."""

    LONG_TERM = "long_term", _("长期公开")
    STAGED = "staged", _("分段公开")
    PROMPT = "prompt", _("及时公开")
    REPEATED = "repeated", _("多次公开")


class Cadence(models.TextChoices):
    """How often a catalogue entry is due (staged/periodic entries are checked on the 11th)."""

    AS_NEEDED = "as_needed", _("不定期")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


# Months (1–12) in which an entry of each cadence is due.
CADENCE_MONTHS = {
    Cadence.AS_NEEDED: frozenset(),
    Cadence.MONTHLY: frozenset(range(1, 13)),
    Cadence.QUARTERLY: frozenset({1, 4, 7, 10}),
    Cadence.HALF_YEARLY: frozenset({1, 7}),
    Cadence.YEARLY: frozenset({1}),
}


class CarrierKind(models.TextChoices):
    BOARD = "board", _("公开栏")
    WEB_PAGE = "web_page", _("网页")
    SCREEN = "screen", _("电子显示屏")
    KIOSK = "kiosk", _("信息岛")
    ACCOUNT = "account", _("微博/微信公众号")
    SMS = "sms", _("短信平台")
    OTHER = "other", _("其他")


# R12: what an inspector needs to find each kind of carrier (the model field that must be filled in).
CARRIER_LOCATING_FIELD = {
    CarrierKind.BOARD: "location",
    CarrierKind.SCREEN: "location",
    CarrierKind.KIOSK: "location",
    CarrierKind.WEB_PAGE: "url",
    CarrierKind.ACCOUNT: "handle",
}


class ItemState(models.TextChoices):
    """R14: propose and review → publish → supervise and inspect → organise and archive."""

    DRAFT = "draft", _("拟稿")
    SUBMITTED = "submitted", _("待初审")
    INITIAL_APPROVED = "initial_approved", _("待审查")
    APPROVED = "approved", _("待发布")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("公开中")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤回")


ITEM_TRANSITIONS = {
    ItemState.DRAFT: {ItemState.SUBMITTED, ItemState.WITHDRAWN},
    ItemState.RETURNED: {ItemState.SUBMITTED, ItemState.WITHDRAWN},
    ItemState.SUBMITTED: {ItemState.INITIAL_APPROVED, ItemState.RETURNED},
    ItemState.INITIAL_APPROVED: {ItemState.APPROVED, ItemState.RETURNED},
    ItemState.APPROVED: {ItemState.PUBLISHED, ItemState.RETURNED},
    # R17: leaving display is checked against the 15 days in the service.
    ItemState.PUBLISHED: {ItemState.ARCHIVED, ItemState.WITHDRAWN},
    ItemState.ARCHIVED: set(),
    ItemState.WITHDRAWN: set(),
}
# R14: each review sends back only what it reviews (the organisation's initial review a submitted item,
# the leading group's review an item it has, or has approved and not yet published).
INITIAL_RETURN_TRANSITIONS = {ItemState.SUBMITTED: {ItemState.RETURNED}}
REVIEW_RETURN_TRANSITIONS = {
    ItemState.INITIAL_APPROVED: {ItemState.RETURNED},
    ItemState.APPROVED: {ItemState.RETURNED},
}
EDITABLE_STATES = (ItemState.DRAFT, ItemState.RETURNED)
# States in which an item counts as "scheduled" for its month (reminders).
SCHEDULED_STATES = (
    ItemState.DRAFT, ItemState.RETURNED, ItemState.SUBMITTED, ItemState.INITIAL_APPROVED,
    ItemState.APPROVED, ItemState.PUBLISHED, ItemState.ARCHIVED,
)
ON_DISPLAY_OR_DONE = (ItemState.PUBLISHED, ItemState.ARCHIVED)


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("合格")
    PROBLEM = "problem", _("存在问题")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("现场照片")  # of a board, screen or kiosk
    SCREENSHOT = "screenshot", _("网页截图")
    SMS_COUNT = "sms_count", _("短信发送条数")
    MINUTES = "minutes", _("会议记录")
    OTHER = "other", _("其他")


class ExemptionState(models.TextChoices):
    ACTIVE = "active", _("暂缓公开")
    RELEASED = "released", _("已转为公开")
    CLOSED = "closed", _("已撤销备案")


# R11: a review keeps the exemption (a new review date, same state), releases it or closes it.
EXEMPTION_TRANSITIONS = {
    ExemptionState.ACTIVE: {ExemptionState.RELEASED, ExemptionState.CLOSED},
    ExemptionState.RELEASED: set(),
    ExemptionState.CLOSED: set(),
}


class FeedbackState(models.TextChoices):
    RECEIVED = "received", _("已受理")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已答复")


FEEDBACK_TRANSITIONS = {
    FeedbackState.RECEIVED: {FeedbackState.HANDLING, FeedbackState.ANSWERED},
    FeedbackState.HANDLING: {FeedbackState.ANSWERED},
    FeedbackState.ANSWERED: set(),
}
FEEDBACK_OPEN_STATES = (FeedbackState.RECEIVED, FeedbackState.HANDLING)


class Satisfaction(models.TextChoices):
    """R19: public satisfaction."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class FindingKind(models.TextChoices):
    MISSED = "missed", _("应公开未公开")
    LATE = "late", _("未按时公开")
    DISPLAY_BREACH = "display_breach", _("公开时间不足15天")
    EVIDENCE = "evidence", _("公开载体或佐证不符")
    FEEDBACK_OVERDUE = "feedback_overdue", _("意见建议逾期未答复")
    OTHER = "other", _("其他问题")


class FindingState(models.TextChoices):
    OPEN = "open", _("待处理")
    NOTICE_ISSUED = "notice_issued", _("已下发整改通知")
    DISMISSED = "dismissed", _("已核销")


# R20: an open finding becomes a rectification notice or is dismissed with a reason.
FINDING_TRANSITIONS = {
    FindingState.OPEN: {FindingState.NOTICE_ISSUED, FindingState.DISMISSED},
    FindingState.NOTICE_ISSUED: set(),
    FindingState.DISMISSED: set(),
}


class RectificationState(models.TextChoices):
    """R20: a finding leads to a rectification with a deadline (workflow: our addition)."""

    ISSUED = "issued", _("待整改")
    REPORTED = "reported", _("已报告整改")
    RETURNED = "returned", _("退回重改")
    CLOSED = "closed", _("已销号")


RECTIFICATION_TRANSITIONS = {
    RectificationState.ISSUED: {RectificationState.REPORTED},
    RectificationState.RETURNED: {RectificationState.REPORTED},
    RectificationState.REPORTED: {RectificationState.CLOSED, RectificationState.RETURNED},
    RectificationState.CLOSED: set(),
}
RECTIFICATION_OPEN_STATES = (RectificationState.ISSUED, RectificationState.RETURNED, RectificationState.REPORTED)


class ReminderKind(models.TextChoices):
    WINDOW_OPENING = "window_opening", _("公开窗口即将开始")
    WINDOW_CLOSING = "window_closing", _("公开窗口即将结束")
    EXEMPTION_REVIEW = "exemption_review", _("暂缓公开事项复核到期")


class ComplianceMark(models.TextChoices):
    """One month of one organisation on the compliance calendar."""

    ON_TIME = "on_time", _("按时")
    LATE = "late", _("逾期")
    MISSED = "missed", _("未公开")
    NONE_DUE = "none_due", _("无应公开事项")


# drf-spectacular ENUM_NAME_OVERRIDES for the choices above whose field names (`state`, `kind`,
# `result`) collide with other choice sets in the API schema; merged into SPECTACULAR_SETTINGS.
OPENAPI_ENUM_NAMES = {
    "FeedbackStateEnum": "disclosure.enums.FeedbackState",
    "CarrierKindEnum": "disclosure.enums.CarrierKind",
    "FindingKindEnum": "disclosure.enums.FindingKind",
    "EvidenceKindEnum": "disclosure.enums.EvidenceKind",
    "InspectionResultEnum": "disclosure.enums.InspectionResult",
    "ReminderKindEnum": "disclosure.enums.ReminderKind",
}
