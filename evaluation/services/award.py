"""Award (R9), the subsidy's steps, and the re-evaluation's outcome: keep the title or revoke it (R10).

Designations are created and revoked only through sites' doors (`sites.services.designation_award`,
`designation_revoke`); application and round states only through sites' services."""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import lock, transition_apply, transition_check
from sites import services as site_services
from sites.enums import ApplicationState, Level, RoundStatus
from sites.models import Application, Designation, Round

from ..enums import (
    OBJECTION_OPEN_STATES,
    REEVALUATION_TRANSITIONS,
    SUBSIDY_TRANSITIONS,
    CandidateKind,
    PublicityStatus,
    ReevaluationOutcome,
    SubsidyState,
)
from ..models import Candidate, Objection, Revocation, SubsidyPayment
from ..selectors import candidate_aggregate, county_office_emails, fmt, publicity_of_round
from .common import mail_on_commit, require_round_status, round_locked
from .publicity import publicity_close


def _next_plaque_numbers(round_: Round, count: int) -> list[str]:
    """Plaque numbers QJ-S-<year>-001 (city level) / QJ-X-<year>-001 (county level), the first free ones."""
    prefix = f"QJ-{'S' if round_.level == Level.CITY else 'X'}-{round_.year}-"
    taken = set(Designation.objects.filter(plaque_number__startswith=prefix).values_list("plaque_number", flat=True))
    numbers, seq = [], 1
    while len(numbers) < count:
        number = f"{prefix}{seq:03d}"
        if number not in taken:
            numbers.append(number)
        seq += 1
    return numbers


@transaction.atomic
def round_award(*, actor: User | None, round_id: int, awarded_on: datetime.date | None = None) -> list[Designation]:
    """R9: make every listed unit a designation with title, plaque number and subsidy; the others are
    not awarded; the round finishes. Refused while the publicity runs or any objection is unanswered (R8);
    the award date falls after the publicity and no later than today (China time).

    The municipal office. Closes its own round's publicity if the sweeper has not yet (no other round's);
    the county offices are notified after the commit. A finished round answers with its designations."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    if round_.status == RoundStatus.FINISHED:
        return list(Designation.objects.filter(round=round_))
    require_round_status(round_, RoundStatus.PUBLICITY)
    publicity = publicity_of_round(round_.pk)
    today = china_today()
    if publicity is None or publicity.ends_on >= today:
        raise DomainError(_("公示期未结束（至 %(end)s），不能授牌（R8）。") % {"end": publicity.ends_on if publicity else "—"},
                          field="round", code="publicity_running", rule="R8")
    if publicity.status == PublicityStatus.OPEN:
        publicity_close(actor=actor, publicity_id=publicity.pk, today=today)
    open_objections = Objection.objects.filter(publicity__round=round_, state__in=OBJECTION_OPEN_STATES).count()
    if open_objections:
        raise DomainError(_("还有%(n)d件公示异议未答复，不能授牌（R8）。") % {"n": open_objections},
                          field="round", code="objections_open", rule="R8")
    awarded_on = awarded_on or today
    # R9: the title is granted after the publicity has ended and never ahead of time (China dates).
    if not publicity.ends_on < awarded_on <= today:
        raise DomainError(_("授牌日期应在公示期结束（%(end)s）之后、今天（%(today)s）及以前。") % {
            "end": publicity.ends_on.isoformat(), "today": today.isoformat()}, field="awarded_on", code="award_date", rule="R9")
    listed = list(Application.objects.filter(round=round_, state=ApplicationState.SHORTLISTED).select_related("organization")
                  .order_by("jurisdiction__sort_order", "pk"))
    amount = Decimal(settings.SUBSIDY_BY_LEVEL.get(round_.level, 0))
    designations = []
    for application, number in zip(listed, _next_plaque_numbers(round_, len(listed))):
        site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.AWARDED,
                                            action="evaluation.application.award")
        designation = site_services.designation_award(actor=actor, application_id=application.pk, plaque_number=number,
                                                      awarded_on=awarded_on, subsidy_amount=amount)
        if amount > 0:
            SubsidyPayment.objects.create(designation=designation, amount=amount)
        designations.append(designation)
        mail_on_commit(_("【党务公开示范点】授牌通知"),
                       _("%(org)s被授予“%(title)s”称号，牌匾编号 %(number)s。") % {
                           "org": application.organization.name, "title": designation.title, "number": number},
                       county_office_emails(application.jurisdiction_id))
    for application in Application.objects.filter(round=round_, state=ApplicationState.RECOMMENDED):
        site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.NOT_AWARDED,
                                            action="evaluation.application.not_award")
    site_services.round_set_status(actor=actor, round_id=round_.pk, status=RoundStatus.FINISHED, reason=_("授牌"))
    return designations


@transaction.atomic
def subsidy_advance(*, actor: User | None, payment_id: int, state: str, voucher: str = "") -> SubsidyPayment:
    """R9: the subsidy's steps, pending → approved → paid (with the payment voucher).

    The municipal office. Each step records who took it and when."""
    payment = lock(SubsidyPayment, pk=payment_id)
    require(actor, "evaluation.manage", payment)
    now = timezone.now()
    if state == SubsidyState.PAID and payment.state != SubsidyState.PAID:
        voucher = (voucher or "").strip()
        if payment.state == SubsidyState.APPROVED and not voucher:
            raise DomainError(_("拨付时请填写凭证号。"), field="voucher", code="voucher_required")
        fields = {"paid_by": actor, "paid_at": now, "voucher": voucher}
    else:
        fields = {"approved_by": actor, "approved_at": now}
    return transition_apply(payment, state, transitions=SUBSIDY_TRANSITIONS, actor=actor, action=f"evaluation.subsidy.{state}",
                            fields=fields, data={"voucher": voucher})


def _reevaluation_score(candidate: Candidate) -> Decimal:
    """The re-evaluation's panel score, refused while an evaluator has not submitted (R10)."""
    agg = candidate_aggregate(candidate)
    if agg is None or agg["pending"]:
        raise DomainError(_("复评评分尚未全部提交。"), field="candidate", code="scores_pending", rule="R10")
    return agg["score"]


@transaction.atomic
def designation_revoke_with_decision(*, actor: User | None, designation_id: int, reason: str, decision_ref: str,
                                     decided_on: datetime.date | None = None, candidate_id: int | None = None,
                                     plaque_recalled_on: datetime.date | None = None) -> Revocation:
    """R10: withdraw a title — decision recorded, plaque recalled — through sites.designation_revoke, which
    writes the one audit row of the change (action `evaluation.designation.revoke`, the decision in its data).
    From a re-evaluation the site must have scored below the pass mark; its outcome becomes revoked.

    The municipal office. The county office is told to recall the plaque after the commit."""
    require(actor, "evaluation.manage")
    if not (decision_ref or "").strip():
        raise DomainError(_("请填写撤销决定文号。"), field="decision_ref", code="decision_ref_required", rule="R10")
    designation = lock(Designation.objects.select_related("organization"), pk=designation_id)
    if hasattr(designation, "revocation"):
        return designation.revocation
    score = None
    candidate = None
    if candidate_id:
        candidate = lock(Candidate.objects.filter(designation=designation).select_related("round"), pk=candidate_id)
        transition_check(candidate, ReevaluationOutcome.REVOKED, REEVALUATION_TRANSITIONS, state_field="outcome")
        score = _reevaluation_score(candidate)
        if score >= candidate.round.pass_mark:
            raise DomainError(_("复评得分%(score)s，达到合格分数线%(mark)s，不能据此撤销（R10）。") % {
                "score": f"{score:.2f}", "mark": fmt(candidate.round.pass_mark)}, field="candidate", code="at_pass_mark", rule="R10")
    decided_on = decided_on or china_today()
    decision_ref = decision_ref.strip()
    site_services.designation_revoke(
        actor=actor, designation_id=designation.pk, reason=reason, revoked_on=decided_on, action="evaluation.designation.revoke",
        data={"decision_ref": decision_ref, "score": str(score) if score is not None else None,
              "candidate": candidate.pk if candidate else None,
              "plaque_recalled_on": plaque_recalled_on.isoformat() if plaque_recalled_on else None})
    revocation = Revocation.objects.create(designation=designation, candidate=candidate, score=score, reason=reason,
                                           decision_ref=decision_ref, decided_on=decided_on,
                                           plaque_recalled_on=plaque_recalled_on, recorded_by=actor)
    if candidate is not None:
        # The title's revocation above is the one audited change (its data names the candidate); the
        # candidate's outcome follows it, checked against the table before anything was written.
        candidate.outcome = ReevaluationOutcome.REVOKED
        candidate.save(update_fields=["outcome"])
    mail_on_commit(_("【党务公开示范点】撤销称号通知"),
                   _("%(org)s的“%(title)s”称号已撤销（%(ref)s），请收回牌匾 %(number)s。理由：%(reason)s") % {
                       "org": designation.organization.name, "title": designation.title, "ref": decision_ref,
                       "number": designation.plaque_number, "reason": reason},
                   county_office_emails(designation.jurisdiction_id))
    return revocation


@transaction.atomic
def reevaluation_retain(*, actor: User | None, candidate_id: int) -> Candidate:
    """R10: a re-evaluated site at or above the pass mark keeps its title. The municipal office."""
    candidate = lock(Candidate.objects.filter(kind=CandidateKind.REEVALUATION).select_related("round"), pk=candidate_id)
    require(actor, "evaluation.manage", candidate)
    if candidate.outcome == ReevaluationOutcome.RETAINED:
        return candidate
    if candidate.outcome != ReevaluationOutcome.PENDING:
        raise InvalidTransition(_("该示范点复评已有结论。"), field="outcome")
    score = _reevaluation_score(candidate)
    if score < candidate.round.pass_mark:
        raise DomainError(_("复评得分%(score)s，低于合格分数线%(mark)s，不能保留称号（R10）。") % {
            "score": f"{score:.2f}", "mark": fmt(candidate.round.pass_mark)}, field="candidate", code="below_pass_mark", rule="R10")
    return transition_apply(candidate, ReevaluationOutcome.RETAINED, transitions=REEVALUATION_TRANSITIONS, actor=actor,
                            state_field="outcome", action="evaluation.reevaluation.retain", data={"score": str(score)})
