"""The preliminary list (初选名单, R2, R6) and the leading group's deliberation of it (R7).

Application states change only through `sites.services.application_set_state` (sites' door)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from sites import services as site_services
from sites.enums import ApplicationState, RoundStatus
from sites.models import Application, Quota

from ..models import Candidate, Deliberation
from ..selectors import candidate_aggregate, current_list_ids, fmt
from .common import require_round_status, round_locked


@transaction.atomic
def shortlist_add(*, actor: User | None, application_id: int, reason: str = "") -> Application:
    """Put a candidate on the preliminary list: never more than the jurisdiction's quota (R2), and only
    with a complete panel score at or above the pass mark (R6).

    The municipal office, while the round is being evaluated. The quota row is locked, so two offices
    listing the last slot at once are serialised."""
    application = Application.objects.select_related("round", "jurisdiction").get(pk=application_id)
    require(actor, "evaluation.manage", application)
    quota = Quota.objects.select_for_update().filter(round_id=application.round_id, jurisdiction_id=application.jurisdiction_id).first()
    round_ = application.round
    require_round_status(round_, RoundStatus.EVALUATING)
    if application.state == ApplicationState.SHORTLISTED:
        return application
    candidate = Candidate.objects.filter(application=application).first()
    agg = candidate_aggregate(candidate) if candidate else None
    if agg is None or agg["pending"]:
        raise DomainError(_("该单位还有考评人员未提交评分，不能列入初选名单。"), field="application", code="scores_pending", rule="R6")
    if agg["score"] < round_.pass_mark:
        raise DomainError(_("该单位得分%(score)s，低于合格分数线%(mark)s，不能列入初选名单。") % {
            "score": f"{agg['score']:.2f}", "mark": fmt(round_.pass_mark)}, field="application", code="below_pass_mark")
    slots = quota.slots if quota else 0
    listed = Application.objects.filter(round=round_, jurisdiction_id=application.jurisdiction_id, state=ApplicationState.SHORTLISTED).count()
    if listed >= slots:
        # R2: at most N of the 2N recommended can be awarded.
        raise DomainError(_("%(jurisdiction)s本轮名额%(slots)d个，初选名单已有%(count)d个，不能再列入（R2）。") % {
            "jurisdiction": application.jurisdiction.name, "slots": slots, "count": listed},
            field="application", code="quota_exceeded", rule="R2")
    return site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.SHORTLISTED,
                                               action="evaluation.shortlist.add", reason=reason, data={"score": str(agg["score"])})


@transaction.atomic
def shortlist_remove(*, actor: User | None, application_id: int, reason: str) -> Application:
    """Take a unit off the preliminary list before publicity, with a reason. The municipal office."""
    if not (reason or "").strip():
        raise DomainError(_("移出初选名单必须填写理由。"), field="reason", code="reason_required")
    application = Application.objects.select_related("round").get(pk=application_id)
    require(actor, "evaluation.manage", application)
    require_round_status(application.round, RoundStatus.EVALUATING)
    return site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.RECOMMENDED,
                                               action="evaluation.shortlist.remove", reason=reason)


@transaction.atomic
def deliberation_record(*, actor: User | None, round_id: int, meeting_date: datetime.date, attendees: str, decision: str,
                        notes: str = "", minutes=None) -> Deliberation:
    """R7: record the leading group's deliberation of the current preliminary list (the list's ids are frozen in it).

    The municipal office or a member of the leading group (`evaluation.record_deliberation`)."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.record_deliberation", round_)
    require_round_status(round_, RoundStatus.EVALUATING)
    ids = current_list_ids(round_.pk)
    if not ids:
        raise DomainError(_("初选名单为空，无需审议。"), field="decision", code="empty_list", rule="R7")
    if meeting_date > china_today():
        raise DomainError(_("会议日期不能晚于今天。"), field="meeting_date", code="future_date")
    if minutes is not None:
        site_services.validate_upload(minutes)
    deliberation = Deliberation.objects.create(round=round_, meeting_date=meeting_date, attendees=attendees, decision=decision,
                                               notes=notes, minutes=minutes or "", application_ids=ids, recorded_by=actor)
    audit_record(actor=actor, action="evaluation.deliberation.record", target=deliberation, to_state=decision,
                 data={"round": round_.pk, "applications": ids})
    return deliberation
