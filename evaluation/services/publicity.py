"""The online publicity of the deliberated list (R8) and the objections the public raises during it.

The municipal office opens, withdraws and closes a publicity and answers the objections; anyone objects
while it runs and gets a receipt code. The sweeper closing publicities after their last day is in jobs.py."""
from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.receipts import create_with_receipt_code
from qujing_disclosure.core.transitions import lock, transition_apply
from sites import services as site_services
from sites.enums import ApplicationState, RoundStatus
from sites.models import Application

from ..enums import OBJECTION_TRANSITIONS, PUBLICITY_TRANSITIONS, DeliberationDecision, ObjectionState, PublicityStatus
from ..models import Candidate, Deliberation, Objection, Publicity, PublicityEntry
from ..selectors import candidate_aggregates, county_office_emails, current_list_ids, publicity_is_running
from .common import mail_on_commit, require_round_status, round_locked

RECEIPT_CODE_LENGTH = 10
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+$")


@transaction.atomic
def publicity_open(*, actor: User | None, round_id: int, starts_on: datetime.date, ends_on: datetime.date) -> Publicity:
    """R8: publish the deliberated list online for at least PUBLICITY_MIN_DAYS days, from today or later.

    The municipal office, once the leading group approved exactly the current list (R7). The round enters
    publicity (sites' door); the county offices of the listed units are notified after the commit."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    existing = Publicity.objects.filter(round=round_, status=PublicityStatus.OPEN).first()
    if existing:
        return existing
    require_round_status(round_, RoundStatus.EVALUATING)
    deliberation = Deliberation.objects.filter(round=round_).order_by("-recorded_at", "-id").first()
    ids = current_list_ids(round_.pk)
    if deliberation is None or deliberation.decision != DeliberationDecision.APPROVED or sorted(deliberation.application_ids) != ids:
        raise DomainError(_("初选名单须经领导小组会议审议同意后才能公示（R7）。"), field="round", code="not_deliberated", rule="R7")
    days = (ends_on - starts_on).days + 1
    if starts_on < china_today():
        raise DomainError(_("公示开始日期不能早于今天（北京时间）。"), field="starts_on", code="starts_in_the_past")
    if days < settings.PUBLICITY_MIN_DAYS:
        raise DomainError(_("公示期不少于%(min)d天，当前为%(days)d天（R8）。") % {"min": settings.PUBLICITY_MIN_DAYS, "days": days},
                          field="ends_on", code="too_short", rule="R8")
    publicity = Publicity.objects.create(round=round_, deliberation=deliberation, starts_on=starts_on, ends_on=ends_on, opened_by=actor)
    applications = list(Application.objects.filter(pk__in=ids).select_related("organization", "jurisdiction"))
    candidates = dict(Candidate.objects.filter(application_id__in=ids).values_list("application_id", "pk"))
    aggregates = candidate_aggregates(candidates.values())
    rows = []
    for application in applications:
        agg = aggregates.get(candidates.get(application.pk))
        rows.append((agg["score"] if agg else None, application))
    rows.sort(key=lambda r: (r[1].jurisdiction.sort_order, -(r[0] or 0), r[1].organization.name))
    PublicityEntry.objects.bulk_create(
        PublicityEntry(publicity=publicity, application=a, score=score, position=i) for i, (score, a) in enumerate(rows, start=1)
    )
    site_services.round_set_status(actor=actor, round_id=round_.pk, status=RoundStatus.PUBLICITY, reason=_("发布公示"))
    audit_record(actor=actor, action="evaluation.publicity.open", target=publicity, to_state=PublicityStatus.OPEN,
                 data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "applications": ids})
    for jurisdiction_id in {a.jurisdiction_id for a in applications}:
        names = _("、").join(a.organization.name for a in applications if a.jurisdiction_id == jurisdiction_id)
        mail_on_commit(_("【党务公开示范点】初选名单公示"),
                       _("贵辖区%(names)s已列入“%(round)s”初选名单，公示期 %(start)s 至 %(end)s。") % {
                           "names": names, "round": round_.name, "start": starts_on, "end": ends_on},
                       county_office_emails(jurisdiction_id))
    return publicity


@transaction.atomic
def publicity_withdraw(*, actor: User | None, round_id: int, reason: str) -> Publicity | None:
    """Take a running publicity down and send the round back to evaluation (e.g. to re-deliberate
    after upheld objections). Its objections stay on record and must still be answered.

    The municipal office, with a reason. None when no publicity is open."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤回公示必须填写理由。"), field="reason", code="reason_required")
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    publicity = Publicity.objects.select_for_update().filter(round=round_, status=PublicityStatus.OPEN).first()
    if publicity is None:
        return None
    transition_apply(publicity, PublicityStatus.WITHDRAWN, transitions=PUBLICITY_TRANSITIONS, actor=actor, state_field="status",
                     action="evaluation.publicity.withdraw", reason=reason, fields={"closed_at": timezone.now()})
    site_services.round_set_status(actor=actor, round_id=round_.pk, status=RoundStatus.EVALUATING, reason=reason)
    return publicity


def publicity_close(*, actor: User | None, publicity_id: int, today: datetime.date | None = None) -> Publicity:
    """R8: close one publicity whose last day (China time) has passed — the same change the sweeper
    (jobs.close_due_publicities) makes in bulk, for one row.

    The municipal office (the award closes its own round's publicity first) or a job. Call inside the
    caller's transaction. Refused while the publicity runs; nothing when it is no longer open."""
    publicity = lock(Publicity, pk=publicity_id)
    require(actor, "evaluation.manage", publicity)
    if publicity.status != PublicityStatus.OPEN:
        return publicity
    today = today or china_today()
    if publicity.ends_on >= today:
        raise DomainError(_("公示期未结束（至 %(end)s），不能授牌（R8）。") % {"end": publicity.ends_on},
                          field="round", code="publicity_running", rule="R8")
    return transition_apply(publicity, PublicityStatus.CLOSED, transitions=PUBLICITY_TRANSITIONS, actor=actor, state_field="status",
                            action="evaluation.publicity.close", fields={"closed_at": timezone.now()})


@transaction.atomic
def objection_create(*, publicity_id: int, content: str, entry_id: int | None = None, objector_name: str = "",
                     objector_contact: str = "") -> Objection:
    """Anyone objects while the publicity runs (R8), about the whole list or one unit on it.

    Returns the objection with its receipt code (unique: a collision draws again; after too many a
    DomainError asks to try later, never a crash). Audited without an actor (a member of the public)."""
    publicity = Publicity.objects.get(pk=publicity_id)
    if not publicity_is_running(publicity):
        raise DomainError(_("公示期为 %(start)s 至 %(end)s，当前不在公示期内，不能提出异议。") % {
            "start": publicity.starts_on, "end": publicity.ends_on}, field="content", code="not_running", rule="R8")
    content = (content or "").strip()
    if len(content) < 10:
        raise DomainError(_("异议内容请至少写10个字，说明具体事实。"), field="content", code="too_short")
    entry = None
    if entry_id:
        entry = PublicityEntry.objects.filter(pk=entry_id, publicity=publicity, withdrawn=False).first()
        if entry is None:
            raise DomainError(_("所选单位不在本次公示名单中。"), field="entry", code="not_listed")
    received_on = china_today()
    objection = create_with_receipt_code(
        lambda code: Objection.objects.create(
            code=code, publicity=publicity, entry=entry, content=content, objector_name=(objector_name or "").strip(),
            objector_contact=(objector_contact or "").strip(), received_on=received_on),
        length=RECEIPT_CODE_LENGTH, field="content",
    )
    audit_record(actor=None, action="evaluation.objection.create", target=objection, to_state=objection.state)
    return objection


def _lock_objection(objection_id: int) -> Objection:
    return lock(Objection.objects.select_related("publicity__round", "entry__application"), pk=objection_id)


@transaction.atomic
def objection_investigate(*, actor: User | None, objection_id: int, note: str) -> Objection:
    """Move an objection into investigation (R8), with the arrangement made. The municipal office."""
    objection = _lock_objection(objection_id)
    require(actor, "evaluation.manage", objection)
    return transition_apply(objection, ObjectionState.INVESTIGATING, transitions=OBJECTION_TRANSITIONS, actor=actor,
                            action="evaluation.objection.investigate", reason=note,
                            fields={"investigation": note, "handled_by": actor})


@transaction.atomic
def objection_answer(*, actor: User | None, objection_id: int, upheld: bool, reply: str, investigation: str = "") -> Objection:
    """Uphold or dismiss with a public reply (R8). An upheld objection takes the unit off the list
    (its application back to recommended, through sites' door).

    The municipal office. An objector who left an e-mail address is told after the commit."""
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(_("请填写答复意见。"), field="reply", code="reply_required", rule="R8")
    objection = _lock_objection(objection_id)
    require(actor, "evaluation.manage", objection)
    target = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    if objection.state == target:
        return objection
    fields = {"reply": reply, "answered_at": timezone.now(), "handled_by": actor}
    if investigation:
        fields["investigation"] = investigation
    transition_apply(objection, target, transitions=OBJECTION_TRANSITIONS, actor=actor, action="evaluation.objection.answer",
                     reason=reply, fields=fields)
    if upheld and objection.entry_id:
        entry = lock(PublicityEntry, pk=objection.entry_id)
        if not entry.withdrawn:
            entry.withdrawn = True
            entry.save(update_fields=["withdrawn"])
            # R8: an upheld objection takes the candidate off the list.
            site_services.application_set_state(actor=actor, application_id=entry.application_id, state=ApplicationState.RECOMMENDED,
                                                action="evaluation.shortlist.remove", reason=_("公示异议成立：%(code)s") % {"code": objection.code})
    if _EMAIL.match(objection.objector_contact):
        mail_on_commit(_("【党务公开示范点】您的公示异议已答复"),
                       _("您提交的异议（受理编号 %(code)s）已答复，请凭编号查看答复内容。") % {"code": objection.code},
                       [objection.objector_contact])
    return objection
