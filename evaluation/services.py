"""Every write of evaluation, publicity and award: the only door through which their state changes.

Each write locks its row, returns quietly when already in the target state, refuses an illegal
source, checks the actor (actor=None means a scheduled job), saves with update_fields, writes the
audit record in the same transaction and sends side effects (e-mail) on commit.
Application transitions go through sites.services.application_set_state.
"""
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qujing_disclosure.core.audit import audit_record, audit_record_many
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import Role, User
from sites import services as site_services
from sites.enums import ApplicationState, DesignationStatus, Level, RoundStatus
from sites.models import Application, Designation, Organization, Quota, Round

from .enums import (
    ASSIGNMENT_ACTIVE_STATES,
    DEFAULT_TABLE,
    OBJECTION_OPEN_STATES,
    OBJECTION_TRANSITIONS,
    SUBSIDY_TRANSITIONS,
    AssignmentState,
    CandidateKind,
    DeliberationDecision,
    Method,
    ObjectionState,
    PublicityStatus,
    ReevaluationOutcome,
    ScorecardState,
    StoryStatus,
    SubsidyState,
)
from .models import (
    Assignment,
    Candidate,
    CaseStory,
    Criterion,
    Deliberation,
    DemocraticEvaluation,
    EvaluationTable,
    Evidence,
    Inspection,
    Objection,
    Publicity,
    PublicityEntry,
    Revocation,
    Score,
    Scorecard,
    SubsidyPayment,
    Team,
)


# The language the data is written in (gettext source strings are Simplified Chinese).
SOURCE_LANGUAGE = "zh-hans"


def _require(actor, perm, obj=None):
    if actor is not None and not actor.has_perm(perm, obj):
        raise NotPermitted()


def fmt(value):
    """A Decimal without trailing zeros: 20.00 → "20", 20.50 → "20.5"."""
    return format(Decimal(value).normalize(), "f")


def _today():
    return timezone.localdate()  # Asia/Shanghai


def _round_locked(round_id):
    return Round.objects.select_for_update().get(pk=round_id)


def _require_round_status(round_, *statuses, field="round"):
    if round_.status not in statuses:
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不能进行此操作。") % {"round": round_.name, "status": round_.get_status_display()},
            field=field, code="round_status",
        )


def _on_commit_mail(subject, body, recipients):
    recipients = sorted({r for r in recipients if r})
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))


def _county_office_emails(jurisdiction_id):
    return list(
        User.objects.filter(role=Role.COUNTY, jurisdiction_id=jurisdiction_id, is_active=True).exclude(email="").values_list("email", flat=True)
    )


# --- the evaluation table -------------------------------------------------------------
@transaction.atomic
def table_create_default(*, actor, round_id):
    """Give a round the default quantitative evaluation table (DOMAIN.md), totalling 100. Idempotent."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    existing = EvaluationTable.objects.filter(round=round_).first()
    if existing:
        return existing
    table = default_table_create(round_)
    audit_record(actor=actor, action="evaluation.table.create", target=table, data={"round": round_.pk, "total": 100})
    return table


def default_table_create(round_):
    """Create the default table's rows. Criteria are data, stored in Chinese (the source language)
    whatever the language of the person who clicked; the interface translates labels, not data."""
    with translation.override(SOURCE_LANGUAGE):
        table = EvaluationTable.objects.create(round=round_, title=str(EvaluationTable._meta.get_field("title").default))
        Criterion.objects.bulk_create(
            Criterion(table=table, group=str(group), name=str(name), max_points=Decimal(points), guidance=str(guidance),
                      methods=list(methods), rules=rule_ids, fed_by_democratic=fed, order=index * 10)
            for index, (group, name, points, guidance, methods, rule_ids, fed) in enumerate(DEFAULT_TABLE, start=1)
        )
    return table


def table_is_locked(table):
    """A table whose scores have been submitted can no longer change (every card must use the same table)."""
    return Scorecard.objects.filter(assignment__candidate__round_id=table.round_id, state=ScorecardState.SUBMITTED).exists()


def validate_methods(methods, *, field="methods"):
    """R4: only the five evaluation methods."""
    methods = list(dict.fromkeys(methods or []))
    unknown = [m for m in methods if m not in Method.values]
    if unknown:
        raise DomainError(_("未知的考评方式：%(names)s（R4 只有听汇报、查资料、实地察看、走访座谈、民主测评）。") % {"names": _("、").join(unknown)},
                          field=field, rule="R4")
    return methods


def criterion_check(*, table, criterion=None, max_points, methods):
    """The checks of a criterion change, without writing: (max_points, methods) cleaned, or a DomainError.
    The admin form's clean() calls it so the input is kept with the message on its field.

    R4: at least one of the five methods. A maximum may not fall below a draft score already given
    for the criterion (the evaluator would hold a score above the maximum)."""
    if table_is_locked(table):
        raise DomainError(_("本轮已有提交的评分，考评表不能再修改。"), field="table", code="table_locked")
    methods = validate_methods(methods)
    if not methods:
        raise DomainError(_("每个考评项目至少选择一种考评方式（R4）。"), field="methods", rule="R4")
    try:
        max_points = Decimal(str(max_points))
    except (InvalidOperation, ValueError):
        raise DomainError(_("分值必须是数字。"), field="max_points") from None
    if not max_points.is_finite() or max_points <= 0:
        raise DomainError(_("分值必须大于0。"), field="max_points")
    if criterion is not None and criterion.pk:
        highest = Score.objects.filter(criterion_id=criterion.pk).aggregate(highest=Max("points"))["highest"]
        if highest is not None and max_points < highest:
            raise DomainError(
                _("“%(name)s”已有考评人员评了%(points)s分，分值不能低于%(points)s分；如需降低，请先请考评人员修改评分。") % {
                    "name": criterion.name, "points": fmt(highest)},
                field="max_points", code="below_existing_score", rule="R4")
    return max_points, methods


@transaction.atomic
def table_save(*, actor, round_id, title, note="", table_id=None):
    """Create a round's evaluation table (empty; add criteria with criterion_save) or change its title and note."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    if table_id:
        table = EvaluationTable.objects.select_for_update().get(pk=table_id, round=round_)
        if (table.title, table.note) == (title, note):
            return table
        table.title, table.note = title, note
        table.save(update_fields=["title", "note"])
    else:
        if EvaluationTable.objects.filter(round=round_).exists():
            raise DomainError(_("轮次“%(round)s”已有量化考评表。") % {"round": round_.name}, field="round")
        table = EvaluationTable.objects.create(round=round_, title=title, note=note)
    audit_record(actor=actor, action="evaluation.table.save", target=table, data={"round": round_.pk, "title": title})
    return table


@transaction.atomic
def criterion_save(*, actor, table_id, criterion_id=None, group, name, max_points, guidance="", methods, rules="", fed_by_democratic=False, order=0):
    """Add or change one criterion of a table that has no submitted scores yet (criterion_check)."""
    table = EvaluationTable.objects.select_for_update().get(pk=table_id)
    _require(actor, "evaluation.manage", table)
    criterion = Criterion.objects.select_for_update().get(pk=criterion_id, table=table) if criterion_id else None
    max_points, methods = criterion_check(table=table, criterion=criterion, max_points=max_points, methods=methods)
    values = dict(group=group, name=name, max_points=max_points, guidance=guidance, methods=methods, rules=rules,
                  fed_by_democratic=fed_by_democratic, order=order)
    if criterion is not None:
        before = {key: getattr(criterion, key) for key in values}
        changed = [key for key, value in values.items() if before[key] != value]
        if not changed:
            return criterion
        for key in changed:
            setattr(criterion, key, values[key])
        criterion.save(update_fields=changed)
        data = {"criterion": criterion.pk, "name": name, "changed": {k: [str(before[k]), str(values[k])] for k in changed}}
    else:
        if Criterion.objects.filter(table=table, name=name).exists():
            raise DomainError(_("考评表中已有名为“%(name)s”的项目。") % {"name": name}, field="name")
        criterion = Criterion.objects.create(table=table, **values)
        data = {"criterion": criterion.pk, "name": name, "max_points": str(max_points)}
    audit_record(actor=actor, action="evaluation.criterion.save", target=table, data=data)
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion_id):
    """Take a criterion out of a table still being drawn up: no submitted card in the round, no draft score for it."""
    criterion = Criterion.objects.select_for_update().select_related("table").get(pk=criterion_id)
    table = criterion.table
    _require(actor, "evaluation.manage", table)
    if table_is_locked(table):
        raise DomainError(_("本轮已有提交的评分，考评表不能再修改。"), field="table", code="table_locked")
    if Score.objects.filter(criterion=criterion).exists():
        raise DomainError(_("“%(name)s”已有考评人员评分，不能删除。") % {"name": criterion.name}, field="table", code="criterion_in_use")
    data = {"criterion": criterion.pk, "name": criterion.name, "max_points": str(criterion.max_points)}
    criterion.delete()  # a draft of the table, never scored: not an official record
    audit_record(actor=actor, action="evaluation.criterion.delete", target=table, data=data)


# --- candidates and the re-evaluation queue -----------------------------------------------
@transaction.atomic
def candidates_sync(*, actor, round_id):
    """Make a candidate of every recommended application and (R10) of every active site of the
    round's level and jurisdictions awarded in an earlier round and not in another running round's queue.
    Safe to run any number of times (a job or staff)."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    _require_round_status(round_, RoundStatus.CLOSED, RoundStatus.EVALUATING)
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


# --- teams and assignments -----------------------------------------------------------------
def _check_team_member(user):
    if user.role not in (Role.EVALUATOR, Role.MUNICIPAL) and not user.is_superuser:
        # R5: teams are drawn from commission and committee staff.
        raise DomainError(_("%(user)s 不是考评人员或市党务公开办工作人员，不能加入考评组（R5）。") % {"user": user}, field="members", rule="R5")


@transaction.atomic
def team_save(*, actor, round_id, name, member_ids, leader_id=None, team_id=None):
    """Create or change an evaluation team (R5)."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    members = list(User.objects.filter(pk__in=member_ids))
    for member in members:
        _check_team_member(member)
    if leader_id and leader_id not in {m.pk for m in members}:
        raise DomainError(_("组长必须是考评组成员。"), field="leader")
    if team_id:
        team = Team.objects.select_for_update().get(pk=team_id, round=round_)
        team.name, team.leader_id = name, leader_id
        team.save(update_fields=["name", "leader"])
    else:
        if Team.objects.filter(round=round_, name=name).exists():
            raise DomainError(_("本轮已有名为“%(name)s”的考评组。") % {"name": name}, field="name")
        team = Team.objects.create(round=round_, name=name, leader_id=leader_id)
    team.members.set(members)
    audit_record(actor=actor, action="evaluation.team.save", target=team, data={"members": sorted(m.pk for m in members)})
    return team


def _org_chain(organization):
    """The organisation and all its superiors (ids), guarding against a cycle."""
    chain = []
    while organization is not None and organization.pk not in chain:
        chain.append(organization.pk)
        organization = organization.parent
    return chain


def conflict_of_interest(evaluator, candidate):
    """R5: why `evaluator` may not score `candidate`, or None.

    Kept out by the organisation tree: the evaluator's own jurisdiction, their own unit, a unit above
    theirs and a unit below theirs."""
    if evaluator.jurisdiction_id and evaluator.jurisdiction_id == candidate.jurisdiction_id:
        return _("%(user)s 属于%(jurisdiction)s，不能考评本辖区单位（R5 利益冲突回避）。") % {
            "user": evaluator, "jurisdiction": candidate.jurisdiction.name}
    if evaluator.organization_id:
        own = Organization.objects.filter(pk=evaluator.organization_id).select_related("parent").first()
        if evaluator.organization_id in _org_chain(candidate.organization) or candidate.organization_id in _org_chain(own):
            return _("%(user)s 与%(org)s属同一党组织体系（本单位或上下级），不能考评（R5 利益冲突回避）。") % {
                "user": evaluator, "org": candidate.organization.name}
    return None


@transaction.atomic
def assignment_create(*, actor, candidate_id, evaluator_id):
    """Assign one evaluator to one candidate, never across a conflict of interest (R5)."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round", "organization__parent", "jurisdiction").get(pk=candidate_id)
    _require(actor, "evaluation.manage", candidate)
    _require_round_status(candidate.round, RoundStatus.CLOSED, RoundStatus.EVALUATING)
    evaluator = User.objects.get(pk=evaluator_id)
    _check_team_member(evaluator)
    existing = Assignment.objects.select_for_update().filter(candidate=candidate, evaluator=evaluator).first()
    if existing and existing.state != AssignmentState.WITHDRAWN:
        return existing
    reason = conflict_of_interest(evaluator, candidate)
    if reason:
        raise DomainError(reason, field="evaluator", code="conflict_of_interest", rule="R5")
    if existing:
        # Assigned again after a withdrawal (e.g. the candidate came back to the team): the record is
        # reused, and the evaluator declares afresh before the materials open (R5).
        existing.state, existing.declared_at, existing.withdrawn_at = AssignmentState.PENDING, None, None
        existing.save(update_fields=["state", "declared_at", "withdrawn_at"])
        audit_record(actor=actor, action="evaluation.assignment.reinstate", target=existing, from_state=AssignmentState.WITHDRAWN,
                     to_state=AssignmentState.PENDING, data={"candidate": candidate.pk, "evaluator": evaluator.pk})
        return existing
    assignment = Assignment.objects.create(candidate=candidate, evaluator=evaluator)
    audit_record(actor=actor, action="evaluation.assignment.create", target=assignment, to_state=assignment.state,
                 data={"candidate": candidate.pk, "evaluator": evaluator.pk})
    return assignment


def _submitted(assignment):
    card = getattr(assignment, "scorecard", None) if hasattr(assignment, "scorecard") else None
    return card is not None and card.state == ScorecardState.SUBMITTED


@transaction.atomic
def assignment_withdraw(*, actor, assignment_id, reason):
    """Staff take an evaluator off a candidate. Recorded, never deleted: the assignment becomes
    `withdrawn` with the reason, its draft stays on file and no longer counts. A submitted scorecard
    is never withdrawn silently: staff reopen it first (scorecard_reopen, with its own reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤回考评分工必须填写理由。"), field="reason")
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("candidate__round", "evaluator").get(pk=assignment_id)
    _require(actor, "evaluation.manage", assignment)
    if assignment.state == AssignmentState.WITHDRAWN:
        return assignment
    if assignment.state == AssignmentState.CONFLICTED:
        raise InvalidTransition(_("该考评人员已声明回避，无需撤回。"), field="assignment")
    _require_round_status(assignment.candidate.round, RoundStatus.CLOSED, RoundStatus.EVALUATING)
    if _submitted(assignment):
        raise DomainError(_("%(user)s 对该单位的评分已提交，不能撤回分工；如确需撤回，请先退回该评分表。") % {"user": assignment.evaluator},
                          field="assignment", code="scorecard_submitted")
    previous = assignment.state
    assignment.state, assignment.withdrawn_at, assignment.withdraw_reason = AssignmentState.WITHDRAWN, timezone.now(), reason
    assignment.save(update_fields=["state", "withdrawn_at", "withdraw_reason"])
    audit_record(actor=actor, action="evaluation.assignment.withdraw", target=assignment, from_state=previous,
                 to_state=AssignmentState.WITHDRAWN, reason=reason,
                 data={"candidate": assignment.candidate_id, "evaluator": assignment.evaluator_id})
    return assignment


@transaction.atomic
def candidate_assign_team(*, actor, candidate_id, team_id, reason=""):
    """Give a candidate to a team (or to none, team_id=None): every member without a conflict (R5) is
    assigned; returns (assigned, skipped). Moving it away from its team withdraws the assignments of
    evaluators not in the new team; it is refused while any of them has a submitted scorecard (staff
    reopen or withdraw explicitly first), so no submitted score is dropped by a move."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate_id)
    _require(actor, "evaluation.manage", candidate)
    _require_round_status(candidate.round, RoundStatus.CLOSED, RoundStatus.EVALUATING)
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
        previous = candidate.team_id
        candidate.team = team
        candidate.save(update_fields=["team"])
        audit_record(actor=actor, action="evaluation.candidate.assign_team", target=candidate,
                     data={"team": team.pk if team else None, "previous": previous, "withdrawn": [a.pk for a in leaving]})
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
def assignment_declare(*, actor, assignment_id, conflict, note=""):
    """R5: the evaluator declares whether they have a conflict before the materials open.
    A declared conflict takes them off the candidate."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    _require(actor, "evaluation.score", assignment)
    target = AssignmentState.CONFLICTED if conflict else AssignmentState.DECLARED
    if assignment.state == target:
        return assignment
    if assignment.state != AssignmentState.PENDING:
        raise InvalidTransition(_("利益冲突声明已经作出，不能更改；如有变化请联系市党务公开办。"), field="conflict", rule="R5")
    if conflict and not (note or "").strip():
        raise DomainError(_("请说明利益冲突的情况（R5）。"), field="note", rule="R5")
    previous = assignment.state
    assignment.state, assignment.declared_at, assignment.conflict_note = target, timezone.now(), (note or "").strip()
    assignment.save(update_fields=["state", "declared_at", "conflict_note"])
    audit_record(actor=actor, action="evaluation.assignment.declare", target=assignment, from_state=previous, to_state=target, reason=note)
    return assignment


# --- scorecards ----------------------------------------------------------------------------
def parse_points(raw, criterion, *, field):
    """Points as a Decimal within 0..max (two decimals at most), or a DomainError naming the limit."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in (None, ""):
        return None
    try:
        points = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": criterion.name, "value": raw}, field=field) from None
    if not points.is_finite():
        raise DomainError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": criterion.name, "value": raw}, field=field)
    if points < 0:
        raise DomainError(_("“%(name)s”的得分不能为负数。") % {"name": criterion.name}, field=field, code="score_bounds")
    if points > criterion.max_points:
        raise DomainError(
            _("“%(name)s”满分%(max)s分，得分%(value)s分超过满分。") % {"name": criterion.name, "max": fmt(criterion.max_points), "value": fmt(points)},
            field=field, code="score_bounds", rule="R4",
        )
    if points != points.quantize(Decimal("0.01")):
        raise DomainError(_("“%(name)s”的得分最多保留两位小数。") % {"name": criterion.name}, field=field)
    return points


def _lock_scorecard_for(actor, assignment_id):
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("candidate__round").get(pk=assignment_id)
    _require(actor, "evaluation.score", assignment)
    if assignment.state != AssignmentState.DECLARED:
        raise DomainError(_("请先声明与该考评对象不存在利益冲突（R5），再评分。"), field="conflict", code="not_declared", rule="R5")
    _require_round_status(assignment.candidate.round, RoundStatus.EVALUATING)
    scorecard, _created = Scorecard.objects.get_or_create(assignment=assignment)
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    return assignment, scorecard


def _criteria_of(round_id):
    table = EvaluationTable.objects.filter(round_id=round_id).first()
    if table is None:
        raise DomainError(_("本轮尚未制定量化考评表。"), field="table")
    return list(table.criteria.all())


def _check_score_methods(criterion, methods):
    """R4: a score names the methods behind it, each one of the criterion's methods."""
    if not methods:
        raise DomainError(_("“%(name)s”请选择得分依据的考评方式（R4）。") % {"name": criterion.name}, field=f"methods_{criterion.pk}", rule="R4")
    outside = [m for m in methods if m not in criterion.methods]
    if outside:
        raise DomainError(
            _("“%(name)s”的考评方式为%(allowed)s，不包括%(given)s（R4）。") % {
                "name": criterion.name, "allowed": _("、").join(criterion.method_labels()),
                "given": _("、").join(str(Method(m).label) if m in Method.values else m for m in outside)},
            field=f"methods_{criterion.pk}", rule="R4")


@transaction.atomic
def scorecard_save(*, actor, assignment_id, scores):
    """Save (part of) a draft scorecard. `scores` maps criterion id → {points, methods, notes}.
    Every score stays within 0..max of its criterion and names its methods (R4)."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id)
    if scorecard.state == ScorecardState.SUBMITTED:
        raise InvalidTransition(_("评分表已提交并锁定；如需修改，请联系市党务公开办退回。"), field="state")
    criteria = {c.pk: c for c in _criteria_of(assignment.candidate.round_id)}
    existing = {s.criterion_id: s for s in scorecard.scores.all()}
    for criterion_id, entry in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            raise DomainError(_("考评项目不属于本轮考评表。"), field="scores")
        field = f"points_{criterion.pk}"
        points = parse_points(entry.get("points"), criterion, field=field)
        methods = validate_methods(entry.get("methods"), field=f"methods_{criterion.pk}")
        notes = (entry.get("notes") or "").strip()
        if points is None:
            continue
        _check_score_methods(criterion, methods)
        score = existing.get(criterion.pk)
        if score is None:
            existing[criterion.pk] = Score.objects.create(scorecard=scorecard, criterion=criterion, points=points, methods=methods, notes=notes)
        elif (score.points, score.methods, score.notes) != (points, methods, notes):
            score.points, score.methods, score.notes = points, methods, notes
            score.save(update_fields=["points", "methods", "notes"])
    scorecard.total = sum((s.points for s in existing.values()), Decimal("0"))
    scorecard.save(update_fields=["total", "updated_at"])
    audit_record(actor=actor, action="evaluation.scorecard.save", target=scorecard, data={"total": str(scorecard.total)})
    return scorecard


@transaction.atomic
def scorecard_submit(*, actor, assignment_id):
    """Submit and lock a complete scorecard."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id)
    if scorecard.state == ScorecardState.SUBMITTED:
        return scorecard
    criteria = _criteria_of(assignment.candidate.round_id)
    scores = {s.criterion_id: s for s in scorecard.scores.all()}
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError(_("以下考评项目尚未评分：%(names)s。") % {"names": _("、").join(missing)}, field="scores", code="incomplete")
    # The table may have changed since a draft was saved (a maximum lowered, a method taken out):
    # every score is checked again against the current criterion before the card is locked (R4).
    for criterion in criteria:
        score = scores[criterion.pk]
        parse_points(score.points, criterion, field=f"points_{criterion.pk}")
        _check_score_methods(criterion, score.methods)
    total = sum((scores[c.pk].points for c in criteria), Decimal("0"))
    if total != scorecard.total:
        scorecard.total = total
        scorecard.save(update_fields=["total", "updated_at"])
    scorecard.state, scorecard.submitted_at = ScorecardState.SUBMITTED, timezone.now()
    scorecard.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="evaluation.scorecard.submit", target=scorecard, from_state=ScorecardState.DRAFT,
                 to_state=ScorecardState.SUBMITTED, data={"total": str(scorecard.total)})
    return scorecard


@transaction.atomic
def scorecard_reopen(*, actor, scorecard_id, reason):
    """Staff unlock a submitted scorecard, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退回评分表必须填写理由。"), field="reason")
    scorecard = Scorecard.objects.select_for_update(of=("self",)).select_related("assignment__candidate__round").get(pk=scorecard_id)
    _require(actor, "evaluation.manage", scorecard)
    if scorecard.state == ScorecardState.DRAFT:
        return scorecard
    _require_round_status(scorecard.assignment.candidate.round, RoundStatus.EVALUATING)
    scorecard.state, scorecard.submitted_at, scorecard.reopen_reason = ScorecardState.DRAFT, None, reason
    scorecard.save(update_fields=["state", "submitted_at", "reopen_reason", "updated_at"])
    audit_record(actor=actor, action="evaluation.scorecard.reopen", target=scorecard, from_state=ScorecardState.SUBMITTED,
                 to_state=ScorecardState.DRAFT, reason=reason)
    return scorecard


@transaction.atomic
def evidence_add(*, actor, assignment_id, uploaded_file, title="", criterion_id=None):
    """Attach an evidence file to one's own draft scorecard."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id)
    if scorecard.state == ScorecardState.SUBMITTED:
        raise InvalidTransition(_("评分表已提交并锁定，不能再上传佐证材料。"), field="file")
    if criterion_id is not None and not Criterion.objects.filter(pk=criterion_id, table__round_id=assignment.candidate.round_id).exists():
        raise DomainError(_("考评项目不属于本轮考评表。"), field="criterion")
    site_services.validate_upload(uploaded_file)
    evidence = Evidence.objects.create(scorecard=scorecard, criterion_id=criterion_id, title=title or uploaded_file.name,
                                       file=uploaded_file, size=uploaded_file.size, uploaded_by=actor)
    audit_record(actor=actor, action="evaluation.evidence.add", target=scorecard, data={"evidence": evidence.pk, "title": evidence.title})
    return evidence


# --- democratic evaluation and inspections ------------------------------------------------
@transaction.atomic
def democratic_record(*, actor, candidate_id, held_on, satisfied, basically_satisfied, dissatisfied, note=""):
    """Record (or correct) the 民主测评 ballots of a candidate (R4, R19)."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate_id)
    _require(actor, "evaluation.manage", candidate)
    _require_round_status(candidate.round, RoundStatus.CLOSED, RoundStatus.EVALUATING)
    counts = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
    for key, value in counts.items():
        if value is None or int(value) < 0:
            raise DomainError(_("票数不能为负数。"), field=key)
    if sum(int(v) for v in counts.values()) == 0:
        raise DomainError(_("民主测评至少要有一张有效票。"), field="satisfied")
    record, created = DemocraticEvaluation.objects.select_for_update().get_or_create(
        candidate=candidate, defaults={"held_on": held_on, "recorded_by": actor, "note": note, **counts}
    )
    if not created:
        record.held_on, record.note, record.recorded_by = held_on, note, actor
        for key, value in counts.items():
            setattr(record, key, value)
        record.save()
    audit_record(actor=actor, action="evaluation.democratic.record", target=candidate,
                 data={**{k: int(v) for k, v in counts.items()}, "rate": str(record.satisfaction_rate)})
    return record


def inspection_check(*, inspected_on, rectification_due=None, rectified_on=None):
    """The date checks of an inspection (China time), without writing; the admin form's clean() calls them."""
    today = _today()
    if inspected_on > today:
        raise DomainError(_("检查日期不能晚于今天。"), field="inspected_on")
    if rectification_due and rectification_due < inspected_on:
        raise DomainError(_("整改期限不能早于检查日期。"), field="rectification_due")
    if rectified_on and not inspected_on <= rectified_on <= today:
        raise DomainError(_("整改完成日期应在检查日期之后、今天及以前。"), field="rectified_on")


@transaction.atomic
def inspection_record(*, actor, organization_id, kind, inspected_on, findings, rating, inspectors="", rectification_due=None):
    """R20: record a daily inspection or special check; a finding may set a rectification deadline."""
    organization = Organization.objects.get(pk=organization_id)
    _require(actor, "evaluation.record_inspection", organization)
    inspection_check(inspected_on=inspected_on, rectification_due=rectification_due)
    inspection = Inspection.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, kind=kind, inspected_on=inspected_on,
        findings=findings, rating=rating, inspectors=inspectors, rectification_due=rectification_due, recorded_by=actor,
    )
    audit_record(actor=actor, action="evaluation.inspection.record", target=inspection, data={"kind": kind, "rating": rating})
    return inspection


INSPECTION_EDITABLE = ("kind", "inspected_on", "inspectors", "findings", "rating", "rectification_due", "rectified_on")


@transaction.atomic
def inspection_update(*, actor, inspection_id, **changes):
    """R20: correct an inspection record or note its rectification; the unit stays. Audited with old and new values."""
    unknown = set(changes) - set(INSPECTION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
    _require(actor, "evaluation.record_inspection", inspection)
    after = {key: changes.get(key, getattr(inspection, key)) for key in INSPECTION_EDITABLE}
    inspection_check(inspected_on=after["inspected_on"], rectification_due=after["rectification_due"], rectified_on=after["rectified_on"])
    changed = [key for key in INSPECTION_EDITABLE if getattr(inspection, key) != after[key]]
    if not changed:
        return inspection
    before = {key: getattr(inspection, key) for key in changed}
    for key in changed:
        setattr(inspection, key, after[key])
    inspection.save(update_fields=changed)
    audit_record(actor=actor, action="evaluation.inspection.update", target=inspection,
                 data={key: [str(before[key]) if before[key] is not None else None, str(after[key]) if after[key] is not None else None]
                       for key in changed})
    return inspection


# --- the preliminary list (R2, R6) ------------------------------------------------------
@transaction.atomic
def shortlist_add(*, actor, application_id, reason=""):
    """Put a candidate on the preliminary list: never more than the jurisdiction's quota (R2), and only
    with a complete panel score at or above the pass mark."""
    from .selectors import candidate_aggregate

    application = Application.objects.select_related("round", "jurisdiction").get(pk=application_id)
    _require(actor, "evaluation.manage", application)
    quota = Quota.objects.select_for_update().filter(round_id=application.round_id, jurisdiction_id=application.jurisdiction_id).first()
    round_ = application.round
    _require_round_status(round_, RoundStatus.EVALUATING)
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
def shortlist_remove(*, actor, application_id, reason):
    """Take a unit off the preliminary list before publicity (with a reason)."""
    if not (reason or "").strip():
        raise DomainError(_("移出初选名单必须填写理由。"), field="reason")
    application = Application.objects.select_related("round").get(pk=application_id)
    _require(actor, "evaluation.manage", application)
    _require_round_status(application.round, RoundStatus.EVALUATING)
    return site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.RECOMMENDED,
                                               action="evaluation.shortlist.remove", reason=reason)


def current_list_ids(round_id):
    return sorted(Application.objects.filter(round_id=round_id, state=ApplicationState.SHORTLISTED).values_list("pk", flat=True))


@transaction.atomic
def deliberation_record(*, actor, round_id, meeting_date, attendees, decision, notes="", minutes=None):
    """R7: record the leading group's deliberation of the current preliminary list."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.record_deliberation", round_)
    _require_round_status(round_, RoundStatus.EVALUATING)
    ids = current_list_ids(round_.pk)
    if not ids:
        raise DomainError(_("初选名单为空，无需审议。"), field="decision", rule="R7")
    if meeting_date > _today():
        raise DomainError(_("会议日期不能晚于今天。"), field="meeting_date")
    if minutes is not None:
        site_services.validate_upload(minutes)
    deliberation = Deliberation.objects.create(round=round_, meeting_date=meeting_date, attendees=attendees, decision=decision,
                                               notes=notes, minutes=minutes or "", application_ids=ids, recorded_by=actor)
    audit_record(actor=actor, action="evaluation.deliberation.record", target=deliberation, to_state=decision,
                 data={"round": round_.pk, "applications": ids})
    return deliberation


# --- publicity (R8) -------------------------------------------------------------------------
@transaction.atomic
def publicity_open(*, actor, round_id, starts_on, ends_on):
    """R8: publish the deliberated list online for at least PUBLICITY_MIN_DAYS days."""
    from .selectors import candidate_aggregate

    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    existing = Publicity.objects.filter(round=round_, status=PublicityStatus.OPEN).first()
    if existing:
        return existing
    _require_round_status(round_, RoundStatus.EVALUATING)
    deliberation = Deliberation.objects.filter(round=round_).order_by("-recorded_at", "-id").first()
    ids = current_list_ids(round_.pk)
    if deliberation is None or deliberation.decision != DeliberationDecision.APPROVED or sorted(deliberation.application_ids) != ids:
        raise DomainError(_("初选名单须经领导小组会议审议同意后才能公示（R7）。"), field="round", code="not_deliberated", rule="R7")
    days = (ends_on - starts_on).days + 1
    if starts_on < _today():
        raise DomainError(_("公示开始日期不能早于今天（北京时间）。"), field="starts_on")
    if days < settings.PUBLICITY_MIN_DAYS:
        raise DomainError(_("公示期不少于%(min)d天，当前为%(days)d天（R8）。") % {"min": settings.PUBLICITY_MIN_DAYS, "days": days},
                          field="ends_on", code="too_short", rule="R8")
    publicity = Publicity.objects.create(round=round_, deliberation=deliberation, starts_on=starts_on, ends_on=ends_on, opened_by=actor)
    applications = Application.objects.filter(pk__in=ids).select_related("organization", "jurisdiction")
    candidates = {c.application_id: c for c in Candidate.objects.filter(application_id__in=ids)}
    rows = []
    for application in applications:
        agg = candidate_aggregate(candidates[application.pk]) if application.pk in candidates else None
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
        _on_commit_mail(_("【党务公开示范点】初选名单公示"),
                        _("贵辖区%(names)s已列入“%(round)s”初选名单，公示期 %(start)s 至 %(end)s。") % {
                            "names": names, "round": round_.name, "start": starts_on, "end": ends_on},
                        _county_office_emails(jurisdiction_id))
    return publicity


@transaction.atomic
def publicity_withdraw(*, actor, round_id, reason):
    """Take a running publicity down and send the round back to evaluation (e.g. to re-deliberate
    after upheld objections). Its objections stay on record and must still be answered."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤回公示必须填写理由。"), field="reason")
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    publicity = Publicity.objects.select_for_update().filter(round=round_, status=PublicityStatus.OPEN).first()
    if publicity is None:
        return None
    publicity.status, publicity.closed_at = PublicityStatus.WITHDRAWN, timezone.now()
    publicity.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="evaluation.publicity.withdraw", target=publicity, from_state=PublicityStatus.OPEN,
                 to_state=PublicityStatus.WITHDRAWN, reason=reason)
    site_services.round_set_status(actor=actor, round_id=round_.pk, status=RoundStatus.EVALUATING, reason=reason)
    return publicity


def publicities_close_due(*, today=None):
    """The job: close every open publicity whose last day has passed in China time.
    One conditional update (idempotent, safe with two workers), then the audit rows."""
    today = today or _today()
    with transaction.atomic():
        due = list(Publicity.objects.select_for_update(skip_locked=True).filter(status=PublicityStatus.OPEN, ends_on__lt=today).values_list("pk", flat=True))
        if not due:
            return []
        changed = Publicity.objects.filter(pk__in=due, status=PublicityStatus.OPEN, ends_on__lt=today).update(
            status=PublicityStatus.CLOSED, closed_at=timezone.now())
        if changed:
            audit_record_many(actor=None, action="evaluation.publicity.close", model=Publicity, object_ids=due,
                              from_state=PublicityStatus.OPEN, to_state=PublicityStatus.CLOSED)
            from .hooks import _public_pages_changed

            transaction.on_commit(_public_pages_changed)  # a bulk update sends no post_save
    return due


def publicity_is_running(publicity, today=None):
    today = today or _today()
    return publicity.status == PublicityStatus.OPEN and publicity.starts_on <= today <= publicity.ends_on


# --- objections ---------------------------------------------------------------------------
@transaction.atomic
def objection_create(*, publicity_id, content, entry_id=None, objector_name="", objector_contact=""):
    """Anyone objects while the publicity runs (R8). Returns the objection with its receipt code."""
    publicity = Publicity.objects.get(pk=publicity_id)
    if not publicity_is_running(publicity):
        raise DomainError(_("公示期为 %(start)s 至 %(end)s，当前不在公示期内，不能提出异议。") % {
            "start": publicity.starts_on, "end": publicity.ends_on}, field="content", code="not_running", rule="R8")
    content = (content or "").strip()
    if len(content) < 10:
        raise DomainError(_("异议内容请至少写10个字，说明具体事实。"), field="content")
    entry = None
    if entry_id:
        entry = PublicityEntry.objects.filter(pk=entry_id, publicity=publicity, withdrawn=False).first()
        if entry is None:
            raise DomainError(_("所选单位不在本次公示名单中。"), field="entry")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                objection = Objection.objects.create(
                    publicity=publicity, entry=entry, content=content, objector_name=(objector_name or "").strip(),
                    objector_contact=(objector_contact or "").strip(), received_on=_today())
            break
        except IntegrityError:  # receipt code collision: draw again
            continue
    audit_record(actor=None, action="evaluation.objection.create", target=objection, to_state=objection.state)
    return objection


def _lock_objection(objection_id):
    return Objection.objects.select_for_update(of=("self",)).select_related("publicity__round", "entry__application").get(pk=objection_id)


def _objection_transition(objection, target):
    if target not in OBJECTION_TRANSITIONS[ObjectionState(objection.state)]:
        raise InvalidTransition(_("异议当前状态为“%(current)s”，不能变更为“%(target)s”。") % {
            "current": objection.get_state_display(), "target": ObjectionState(target).label}, field="state")


@transaction.atomic
def objection_investigate(*, actor, objection_id, note):
    objection = _lock_objection(objection_id)
    _require(actor, "evaluation.manage", objection)
    if objection.state == ObjectionState.INVESTIGATING:
        return objection
    _objection_transition(objection, ObjectionState.INVESTIGATING)
    objection.state, objection.investigation, objection.handled_by = ObjectionState.INVESTIGATING, note, actor
    objection.save(update_fields=["state", "investigation", "handled_by"])
    audit_record(actor=actor, action="evaluation.objection.investigate", target=objection, from_state=ObjectionState.RECEIVED,
                 to_state=ObjectionState.INVESTIGATING, reason=note)
    return objection


@transaction.atomic
def objection_answer(*, actor, objection_id, upheld, reply, investigation=""):
    """Uphold or dismiss with a public reply (R8). An upheld objection takes the unit off the list."""
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(_("请填写答复意见。"), field="reply", rule="R8")
    objection = _lock_objection(objection_id)
    _require(actor, "evaluation.manage", objection)
    target = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    if objection.state == target:
        return objection
    _objection_transition(objection, target)
    previous = objection.state
    objection.state, objection.reply, objection.answered_at, objection.handled_by = target, reply, timezone.now(), actor
    if investigation:
        objection.investigation = investigation
    objection.save(update_fields=["state", "reply", "answered_at", "handled_by", "investigation"])
    audit_record(actor=actor, action="evaluation.objection.answer", target=objection, from_state=previous, to_state=target, reason=reply)
    if upheld and objection.entry_id:
        entry = PublicityEntry.objects.select_for_update().get(pk=objection.entry_id)
        if not entry.withdrawn:
            entry.withdrawn = True
            entry.save(update_fields=["withdrawn"])
            # R8: an upheld objection takes the candidate off the list.
            site_services.application_set_state(actor=actor, application_id=entry.application_id, state=ApplicationState.RECOMMENDED,
                                                action="evaluation.shortlist.remove", reason=_("公示异议成立：%(code)s") % {"code": objection.code})
    if "@" in objection.objector_contact and re.match(r"[^@\s]+@[^@\s]+\.[^@\s]+$", objection.objector_contact):
        _on_commit_mail(_("【党务公开示范点】您的公示异议已答复"),
                        _("您提交的异议（受理编号 %(code)s）已答复，请凭编号查看答复内容。") % {"code": objection.code},
                        [objection.objector_contact])
    return objection


def objection_deadline(objection, calendar):
    """R8 (our addition): the answer is due OBJECTION_ANSWER_WORKING_DAYS working days after receipt.
    Computed when read, so correcting the calendar moves open deadlines."""
    return calendar.add_working_days(objection.received_on, settings.OBJECTION_ANSWER_WORKING_DAYS)


# --- award (R9) -------------------------------------------------------------------------------
def _next_plaque_numbers(round_, count):
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
def round_award(*, actor, round_id, awarded_on=None):
    """R9: make every listed unit a designation with title, plaque number and subsidy; the others are
    not awarded; the round finishes. Refused while the publicity runs or any objection is unanswered (R8)."""
    round_ = _round_locked(round_id)
    _require(actor, "evaluation.manage", round_)
    if round_.status == RoundStatus.FINISHED:
        return list(Designation.objects.filter(round=round_))
    _require_round_status(round_, RoundStatus.PUBLICITY)
    publicity = Publicity.objects.filter(round=round_).exclude(status=PublicityStatus.WITHDRAWN).order_by("-id").first()
    today = _today()
    if publicity is None or publicity.ends_on >= today:
        raise DomainError(_("公示期未结束（至 %(end)s），不能授牌（R8）。") % {"end": publicity.ends_on if publicity else "—"},
                          field="round", code="publicity_running", rule="R8")
    if publicity.status == PublicityStatus.OPEN:
        publicities_close_due(today=today)
    open_objections = Objection.objects.filter(publicity__round=round_, state__in=OBJECTION_OPEN_STATES).count()
    if open_objections:
        raise DomainError(_("还有%(n)d件公示异议未答复，不能授牌（R8）。") % {"n": open_objections},
                          field="round", code="objections_open", rule="R8")
    awarded_on = awarded_on or today
    # R9: the title is granted after the publicity has ended and never ahead of time (China dates).
    if not publicity.ends_on < awarded_on <= today:
        raise DomainError(_("授牌日期应在公示期结束（%(end)s）之后、今天（%(today)s）及以前。") % {
            "end": publicity.ends_on.isoformat(), "today": today.isoformat()}, field="awarded_on", code="award_date", rule="R9")
    listed = list(Application.objects.filter(round=round_, state=ApplicationState.SHORTLISTED).select_related("organization").order_by("jurisdiction__sort_order", "pk"))
    amount = Decimal(settings.SUBSIDY_BY_LEVEL.get(round_.level, 0))
    designations = []
    for application, number in zip(listed, _next_plaque_numbers(round_, len(listed))):
        site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.AWARDED, action="evaluation.application.award")
        designation = Designation.objects.create(
            organization=application.organization, jurisdiction_id=application.jurisdiction_id, round=round_, application=application,
            level=round_.level, plaque_number=number, subsidy_amount=amount, awarded_on=awarded_on)
        if amount > 0:
            SubsidyPayment.objects.create(designation=designation, amount=amount)
        audit_record(actor=actor, action="evaluation.designation.award", target=designation, to_state=DesignationStatus.ACTIVE,
                     data={"plaque_number": number, "subsidy": str(amount)})
        designations.append(designation)
        _on_commit_mail(_("【党务公开示范点】授牌通知"),
                        _("%(org)s被授予“%(title)s”称号，牌匾编号 %(number)s。") % {"org": application.organization.name, "title": designation.title, "number": number},
                        _county_office_emails(application.jurisdiction_id))
    for application in Application.objects.filter(round=round_, state=ApplicationState.RECOMMENDED):
        site_services.application_set_state(actor=actor, application_id=application.pk, state=ApplicationState.NOT_AWARDED, action="evaluation.application.not_award")
    site_services.round_set_status(actor=actor, round_id=round_.pk, status=RoundStatus.FINISHED, reason=_("授牌"))
    return designations


@transaction.atomic
def subsidy_advance(*, actor, payment_id, state, voucher=""):
    """R9: the subsidy's steps, pending → approved → paid (with the payment voucher)."""
    payment = SubsidyPayment.objects.select_for_update().get(pk=payment_id)
    _require(actor, "evaluation.manage", payment)
    if payment.state == state:
        return payment
    if state not in SUBSIDY_TRANSITIONS[SubsidyState(payment.state)]:
        raise InvalidTransition(_("补助经费当前为“%(current)s”，不能变更为“%(target)s”。") % {
            "current": payment.get_state_display(), "target": SubsidyState(state).label}, field="state")
    previous, now = payment.state, timezone.now()
    if state == SubsidyState.APPROVED:
        payment.approved_by, payment.approved_at = actor, now
        fields = ["state", "approved_by", "approved_at"]
    else:
        voucher = (voucher or "").strip()
        if not voucher:
            raise DomainError(_("拨付时请填写凭证号。"), field="voucher")
        payment.paid_by, payment.paid_at, payment.voucher = actor, now, voucher
        fields = ["state", "paid_by", "paid_at", "voucher"]
    payment.state = state
    payment.save(update_fields=fields)
    audit_record(actor=actor, action=f"evaluation.subsidy.{state}", target=payment, from_state=previous, to_state=state, data={"voucher": voucher})
    return payment


# --- re-evaluation and revocation (R10) ------------------------------------------------------
@transaction.atomic
def designation_revoke_with_decision(*, actor, designation_id, reason, decision_ref, decided_on=None, candidate_id=None, plaque_recalled_on=None):
    """R10: withdraw a title — decision recorded, plaque recalled — through sites.designation_revoke.
    From a re-evaluation the site must have scored below the pass mark."""
    from .selectors import candidate_aggregate

    _require(actor, "evaluation.manage")
    if not (decision_ref or "").strip():
        raise DomainError(_("请填写撤销决定文号。"), field="decision_ref", rule="R10")
    designation = Designation.objects.select_for_update().get(pk=designation_id)
    if hasattr(designation, "revocation"):
        return designation.revocation
    score = None
    candidate = None
    if candidate_id:
        candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate_id, designation=designation)
        agg = candidate_aggregate(candidate)
        if agg is None or agg["pending"]:
            raise DomainError(_("复评评分尚未全部提交。"), field="candidate", code="scores_pending", rule="R10")
        score = agg["score"]
        if score >= candidate.round.pass_mark:
            raise DomainError(_("复评得分%(score)s，达到合格分数线%(mark)s，不能据此撤销（R10）。") % {
                "score": f"{score:.2f}", "mark": fmt(candidate.round.pass_mark)}, field="candidate", rule="R10")
    decided_on = decided_on or _today()
    site_services.designation_revoke(actor=actor, designation_id=designation.pk, reason=reason, revoked_on=decided_on)
    revocation = Revocation.objects.create(designation=designation, candidate=candidate, score=score, reason=reason,
                                           decision_ref=decision_ref.strip(), decided_on=decided_on,
                                           plaque_recalled_on=plaque_recalled_on, recorded_by=actor)
    if candidate is not None:
        candidate.outcome = ReevaluationOutcome.REVOKED
        candidate.save(update_fields=["outcome"])
    audit_record(actor=actor, action="evaluation.designation.revoke", target=designation, from_state=DesignationStatus.ACTIVE,
                 to_state=DesignationStatus.REVOKED, reason=reason, data={"decision_ref": decision_ref, "score": str(score) if score is not None else None})
    _on_commit_mail(_("【党务公开示范点】撤销称号通知"),
                    _("%(org)s的“%(title)s”称号已撤销（%(ref)s），请收回牌匾 %(number)s。理由：%(reason)s") % {
                        "org": designation.organization.name, "title": designation.title, "ref": decision_ref,
                        "number": designation.plaque_number, "reason": reason},
                    _county_office_emails(designation.jurisdiction_id))
    return revocation


@transaction.atomic
def reevaluation_retain(*, actor, candidate_id):
    """R10: a re-evaluated site at or above the pass mark keeps its title."""
    from .selectors import candidate_aggregate

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate_id, kind=CandidateKind.REEVALUATION)
    _require(actor, "evaluation.manage", candidate)
    if candidate.outcome == ReevaluationOutcome.RETAINED:
        return candidate
    if candidate.outcome != ReevaluationOutcome.PENDING:
        raise InvalidTransition(_("该示范点复评已有结论。"), field="outcome")
    agg = candidate_aggregate(candidate)
    if agg is None or agg["pending"]:
        raise DomainError(_("复评评分尚未全部提交。"), field="candidate", code="scores_pending", rule="R10")
    if agg["score"] < candidate.round.pass_mark:
        raise DomainError(_("复评得分%(score)s，低于合格分数线%(mark)s，不能保留称号（R10）。") % {
            "score": f"{agg['score']:.2f}", "mark": fmt(candidate.round.pass_mark)}, field="candidate", rule="R10")
    candidate.outcome = ReevaluationOutcome.RETAINED
    candidate.save(update_fields=["outcome"])
    audit_record(actor=actor, action="evaluation.reevaluation.retain", target=candidate, from_state=ReevaluationOutcome.PENDING,
                 to_state=ReevaluationOutcome.RETAINED, data={"score": str(agg["score"])})
    return candidate


# --- case stories (R8a) ----------------------------------------------------------------------
def story_check(*, title, body, photo=None):
    """The checks of a case story, without writing; the admin form's clean() calls them."""
    if not (title or "").strip():
        raise DomainError(_("请填写标题。"), field="title")
    if not (body or "").strip():
        raise DomainError(_("请填写正文。"), field="body")
    if photo is not None:
        try:
            family = site_services.validate_upload(photo)
        except DomainError as error:
            raise DomainError(error.message, field="photo") from None
        if family not in ("JPEG", "PNG", "GIF", "WEBP"):
            raise DomainError(_("照片只接受 JPG、PNG、GIF、WEBP 图片。"), field="photo")


@transaction.atomic
def story_save(*, actor, designation_id, title, body, photo=None, story_id=None):
    """R8a: write or correct a case story (a draft until published with story_set_status)."""
    _require(actor, "evaluation.manage")
    story_check(title=title, body=body, photo=photo)
    if story_id:
        story = CaseStory.objects.select_for_update().get(pk=story_id)
        story.title, story.body = title, body
        fields = ["title", "body"]
        if photo is not None:
            story.photo = photo
            fields.append("photo")
        story.save(update_fields=fields)
    else:
        story = CaseStory.objects.create(designation_id=designation_id, title=title, body=body, photo=photo or "", created_by=actor)
    audit_record(actor=actor, action="evaluation.story.save", target=story)
    return story


@transaction.atomic
def story_set_status(*, actor, story_id, status):
    """R8a: publish or take down a case story."""
    story = CaseStory.objects.select_for_update().get(pk=story_id)
    _require(actor, "evaluation.manage", story)
    if story.status == status:
        return story
    previous = story.status
    story.status = status
    fields = ["status"]
    if status == StoryStatus.PUBLISHED and story.published_at is None:
        story.published_at = timezone.now()
        fields.append("published_at")
    story.save(update_fields=fields)
    audit_record(actor=actor, action=f"evaluation.story.{status}", target=story, from_state=previous, to_state=status)
    return story
