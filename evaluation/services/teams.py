"""Candidates, evaluation teams and assignments (R5, R10): who scores whom.

The municipal office forms the teams and assigns; an evaluator declares before the materials open.
Assignments are never deleted: a withdrawal is a recorded state, a reinstatement declares afresh."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record, audit_record_many
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.models import Role, User
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply
from sites.enums import ApplicationState, DesignationStatus, RoundStatus
from sites.models import Application, Designation, Quota

from ..enums import ASSIGNMENT_ACTIVE_STATES, ASSIGNMENT_TRANSITIONS, AssignmentState, CandidateKind, ScorecardState
from ..models import Assignment, Candidate, Team
from ..selectors import conflict_of_interest
from .common import require_round_status, round_locked

EVALUATING_STAGES = (RoundStatus.CLOSED, RoundStatus.EVALUATING)


@transaction.atomic
def candidates_sync(*, actor: User | None, round_id: int) -> int:
    """Make a candidate of every recommended application and (R10) of every active site of the
    round's level and jurisdictions awarded in an earlier round and not in another running round's queue.

    The municipal office or a job (a round entering evaluation, wiring.py). Safe to run any number of
    times; returns how many candidates it added, each audited `evaluation.candidate.create`."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    require_round_status(round_, *EVALUATING_STAGES)
    have_apps = set(Candidate.objects.filter(round=round_, application__isnull=False).values_list("application_id", flat=True))
    have_sites = set(Candidate.objects.filter(round=round_, designation__isnull=False).values_list("designation_id", flat=True))
    new = [
        Candidate(round=round_, kind=CandidateKind.NEW, application=a, organization_id=a.organization_id, jurisdiction_id=a.jurisdiction_id)
        for a in Application.objects.filter(round=round_, state=ApplicationState.RECOMMENDED).exclude(pk__in=have_apps)
    ]
    # R10: no lifetime titles — every active site of this level in the round's jurisdictions (those it
    # has quotas for) is re-evaluated with the same table; never a site already queued in another round
    # that is still under way (one re-evaluation at a time).
    jurisdictions = Quota.objects.filter(round=round_).values("jurisdiction_id")
    queued_elsewhere = Candidate.objects.filter(designation_id__isnull=False).exclude(round=round_).exclude(
        round__status=RoundStatus.FINISHED).values("designation_id")
    new += [
        Candidate(round=round_, kind=CandidateKind.REEVALUATION, designation=d, organization_id=d.organization_id, jurisdiction_id=d.jurisdiction_id)
        for d in Designation.objects.filter(level=round_.level, status=DesignationStatus.ACTIVE, awarded_on__lt=round_.applications_open_on,
                                            jurisdiction_id__in=jurisdictions)
        .exclude(round=round_).exclude(pk__in=have_sites).exclude(pk__in=queued_elsewhere)
    ]
    created = Candidate.objects.bulk_create(new, batch_size=500)
    if created:
        ids = list(Candidate.objects.filter(round=round_).filter(
            application_id__in=[c.application_id for c in new if c.application_id]
        ).values_list("pk", flat=True)) + list(Candidate.objects.filter(round=round_).filter(
            designation_id__in=[c.designation_id for c in new if c.designation_id]
        ).values_list("pk", flat=True))
        audit_record_many(actor=actor, action="evaluation.candidate.create", model=Candidate, object_ids=ids)
    return len(created)


def team_member_check(user: User) -> None:
    """R5: teams are drawn from commission and committee staff (evaluators and the municipal office).
    A check that writes nothing: the admin form's clean() calls it too."""
    if user.role not in (Role.EVALUATOR, Role.MUNICIPAL) and not user.is_superuser:
        raise DomainError(_("%(user)s 不是考评人员或市党务公开办工作人员，不能加入考评组（R5）。") % {"user": user},
                          field="members", code="not_staff", rule="R5")


@transaction.atomic
def team_save(*, actor: User | None, round_id: int, name: str, member_ids: Iterable[int], leader_id: int | None = None,
              team_id: int | None = None) -> Team:
    """Create or change an evaluation team (R5): members are evaluators or office staff, the leader one of them.

    The municipal office. A change records old and new name, leader and members; nothing when unchanged."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    members = list(User.objects.filter(pk__in=member_ids))
    for member in members:
        team_member_check(member)
    if leader_id and leader_id not in {m.pk for m in members}:
        raise DomainError(_("组长必须是考评组成员。"), field="leader", code="leader_not_member")
    if team_id:
        team = lock(Team.objects.filter(round=round_), pk=team_id)
        fields_update(team, {"name": name, "leader_id": leader_id}, m2m={"members": members}, actor=actor,
                      action="evaluation.team.save", data={"round": round_.pk})
        return team
    if Team.objects.filter(round=round_, name=name).exists():
        raise DomainError(_("本轮已有名为“%(name)s”的考评组。") % {"name": name}, field="name", code="team_exists")
    team = Team.objects.create(round=round_, name=name, leader_id=leader_id)
    team.members.set(members)
    audit_record(actor=actor, action="evaluation.team.save", target=team, data={"members": sorted(m.pk for m in members)})
    return team


def _submitted(assignment: Assignment) -> bool:
    card = getattr(assignment, "scorecard", None) if hasattr(assignment, "scorecard") else None
    return card is not None and card.state == ScorecardState.SUBMITTED


@transaction.atomic
def assignment_create(*, actor: User | None, candidate_id: int, evaluator_id: int) -> Assignment:
    """Assign one evaluator to one candidate, never across a conflict of interest (R5).

    The municipal office or a job. Idempotent for a standing assignment; a withdrawn one is reinstated
    (the evaluator declares afresh before the materials open)."""
    candidate = lock(Candidate.objects.select_related("round", "organization__parent", "jurisdiction"), pk=candidate_id)
    require(actor, "evaluation.manage", candidate)
    require_round_status(candidate.round, *EVALUATING_STAGES)
    evaluator = User.objects.get(pk=evaluator_id)
    team_member_check(evaluator)
    existing = Assignment.objects.select_for_update().filter(candidate=candidate, evaluator=evaluator).first()
    if existing and existing.state != AssignmentState.WITHDRAWN:
        return existing
    reason = conflict_of_interest(evaluator, candidate)
    if reason:
        raise DomainError(reason, field="evaluator", code="conflict_of_interest", rule="R5")
    data = {"candidate": candidate.pk, "evaluator": evaluator.pk}
    if existing:
        # Assigned again after a withdrawal (e.g. the candidate came back to the team): the record is reused.
        return transition_apply(existing, AssignmentState.PENDING, transitions=ASSIGNMENT_TRANSITIONS, actor=actor,
                                action="evaluation.assignment.reinstate", fields={"declared_at": None, "withdrawn_at": None}, data=data)
    assignment = Assignment.objects.create(candidate=candidate, evaluator=evaluator)
    audit_record(actor=actor, action="evaluation.assignment.create", target=assignment, to_state=assignment.state, data=data)
    return assignment


@transaction.atomic
def assignment_withdraw(*, actor: User | None, assignment_id: int, reason: str) -> Assignment:
    """Staff take an evaluator off a candidate. Recorded, never deleted: the assignment becomes
    `withdrawn` with the reason, its draft stays on file and no longer counts. A submitted scorecard
    is never withdrawn silently: staff reopen it first (scorecard_reopen, with its own reason).

    The municipal office."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤回考评分工必须填写理由。"), field="reason", code="reason_required")
    assignment = lock(Assignment.objects.select_related("candidate__round", "evaluator"), pk=assignment_id)
    require(actor, "evaluation.manage", assignment)
    if assignment.state == AssignmentState.WITHDRAWN:
        return assignment
    if assignment.state == AssignmentState.CONFLICTED:
        raise InvalidTransition(_("该考评人员已声明回避，无需撤回。"), field="assignment")
    require_round_status(assignment.candidate.round, *EVALUATING_STAGES)
    if _submitted(assignment):
        raise DomainError(_("%(user)s 对该单位的评分已提交，不能撤回分工；如确需撤回，请先退回该评分表。") % {"user": assignment.evaluator},
                          field="assignment", code="scorecard_submitted")
    return transition_apply(assignment, AssignmentState.WITHDRAWN, transitions=ASSIGNMENT_TRANSITIONS, actor=actor,
                            action="evaluation.assignment.withdraw", reason=reason,
                            fields={"withdrawn_at": timezone.now(), "withdraw_reason": reason},
                            data={"candidate": assignment.candidate_id, "evaluator": assignment.evaluator_id})


@transaction.atomic
def candidate_assign_team(*, actor: User | None, candidate_id: int, team_id: int | None, reason: str = "") -> tuple[list, list]:
    """Give a candidate to a team (or to none, team_id=None): every member without a conflict (R5) is
    assigned; returns (assigned, skipped). Moving it away from its team withdraws the assignments of
    evaluators not in the new team; it is refused while any of them has a submitted scorecard (staff
    reopen or withdraw explicitly first), so no submitted score is dropped by a move.

    The municipal office. The move is audited with the old and new team."""
    candidate = lock(Candidate.objects.select_related("round", "team"), pk=candidate_id)
    require(actor, "evaluation.manage", candidate)
    require_round_status(candidate.round, *EVALUATING_STAGES)
    team = Team.objects.get(pk=team_id, round_id=candidate.round_id) if team_id else None
    new_members = set(team.members.values_list("pk", flat=True)) if team else set()
    leaving = [a for a in Assignment.objects.select_for_update(of=("self",)).select_related("evaluator", "scorecard").filter(
        candidate=candidate, state__in=ASSIGNMENT_ACTIVE_STATES).order_by("evaluator__username") if a.evaluator_id not in new_members]
    if candidate.team_id != (team.pk if team else None):
        locked = [a for a in leaving if _submitted(a)]
        if locked:
            raise DomainError(
                _("%(names)s 已提交对该单位的评分，不能调整考评组；请先退回或撤回这些评分。") % {"names": _("、").join(str(a.evaluator) for a in locked)},
                field="team", code="scorecard_submitted")
        why = (reason or "").strip() or (_("考评对象调整到%(team)s") % {"team": team.name} if team else _("考评对象取消分配考评组"))
        for assignment in leaving:
            assignment_withdraw(actor=actor, assignment_id=assignment.pk, reason=why)
        fields_update(candidate, {"team": team}, actor=actor, action="evaluation.candidate.assign_team",
                      data={"withdrawn": [a.pk for a in leaving]})
    assigned, skipped = [], []
    if team is None:
        return assigned, skipped
    for member in team.members.all().order_by("username"):
        try:
            assigned.append(assignment_create(actor=actor, candidate_id=candidate.pk, evaluator_id=member.pk))
        except DomainError as exc:
            if exc.code != "conflict_of_interest":
                raise
            skipped.append((member, str(exc)))
    return assigned, skipped


@transaction.atomic
def assignment_declare(*, actor: User | None, assignment_id: int, conflict: bool, note: str = "", on_paper: bool = False) -> Assignment:
    """R5: the evaluator declares whether they have a conflict before the materials open.
    A declared conflict takes them off the candidate. Once made, the declaration stands.

    The assigned evaluator (`evaluation.score`). `on_paper=True`: the handler of the team's paper score
    sheet (`evaluation.enter_paper_scores`, the office or the team leader) records the declaration the
    evaluator signed on paper; the audit row names the handler as actor."""
    assignment = lock(Assignment.objects.select_related("candidate__team"), pk=assignment_id)
    require(actor, "evaluation.enter_paper_scores" if on_paper else "evaluation.score", assignment)
    target = AssignmentState.CONFLICTED if conflict else AssignmentState.DECLARED
    if assignment.state == target:
        return assignment
    if assignment.state != AssignmentState.PENDING:
        raise InvalidTransition(_("利益冲突声明已经作出，不能更改；如有变化请联系市党务公开办。"), field="conflict", rule="R5")
    note = (note or "").strip()
    if conflict and not note:
        raise DomainError(_("请说明利益冲突的情况（R5）。"), field="note", code="note_required", rule="R5")
    reason = note or (_("纸质评分表随附利益冲突声明") if on_paper else "")
    return transition_apply(assignment, target, transitions=ASSIGNMENT_TRANSITIONS, actor=actor, action="evaluation.assignment.declare",
                            reason=reason, fields={"declared_at": timezone.now(), "conflict_note": note},
                            data={"on_paper": True} if on_paper else None)
