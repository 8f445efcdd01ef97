"""States and choices of the designation workflow, with the allowed transitions beside them."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class JurisdictionKind(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县（市、区）")
    COMMITTEE = "committee", _("派出纪工委")


class Level(models.TextChoices):
    """R1: a site is city-level or county-level."""

    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("申报结束")
    EVALUATING = "evaluating", _("考评中")
    PUBLICITY = "publicity", _("公示中")
    FINISHED = "finished", _("已完成")


ROUND_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.EVALUATING, RoundStatus.FINISHED},
    RoundStatus.EVALUATING: {RoundStatus.PUBLICITY},
    RoundStatus.PUBLICITY: {RoundStatus.FINISHED, RoundStatus.EVALUATING},
    RoundStatus.FINISHED: set(),
}


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOMMENDED = "recommended", _("已推荐")
    REJECTED = "rejected", _("未推荐")
    WITHDRAWN = "withdrawn", _("已撤回")
    # Later states belong to the evaluation workflow (issue "evaluation and award").
    SHORTLISTED = "shortlisted", _("列入初选名单")
    AWARDED = "awarded", _("已授牌")
    NOT_AWARDED = "not_awarded", _("未通过")


APPLICATION_TRANSITIONS = {
    ApplicationState.DRAFT: {ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN},
    ApplicationState.SUBMITTED: {ApplicationState.RECOMMENDED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN},
    ApplicationState.RECOMMENDED: {ApplicationState.SHORTLISTED, ApplicationState.NOT_AWARDED},
    ApplicationState.REJECTED: set(),
    ApplicationState.WITHDRAWN: set(),
    ApplicationState.SHORTLISTED: {ApplicationState.AWARDED, ApplicationState.NOT_AWARDED, ApplicationState.RECOMMENDED},
    ApplicationState.AWARDED: set(),
    ApplicationState.NOT_AWARDED: set(),
}

# R2: every application the jurisdiction recommended counts against ratio × quota,
# whatever happened to it later in the evaluation.
RECOMMENDED_STATES = (
    ApplicationState.RECOMMENDED,
    ApplicationState.SHORTLISTED,
    ApplicationState.AWARDED,
    ApplicationState.NOT_AWARDED,
)
# Applications that still occupy the organisation's place in a round.
LIVE_STATES = tuple(s for s in ApplicationState.values if s not in (ApplicationState.WITHDRAWN,))


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")


# R10: a title is revoked, never restored or deleted (a new round may award a new one).
DESIGNATION_TRANSITIONS = {
    DesignationStatus.ACTIVE: {DesignationStatus.REVOKED},
    DesignationStatus.REVOKED: set(),
}


DESIGNATION_TITLE = "党务公开工作示范点"
