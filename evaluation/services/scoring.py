"""Scorecards (R4), their evidence, and the democratic evaluation (民主测评, R4, R19).

An evaluator scores only their own assignment, after declaring no conflict (R5), while the round is
being evaluated; a submitted card is locked until the municipal office reopens it with a reason.
The paper score sheet (imports.py) goes through these same doors as its handler (`on_paper=True`)."""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record, changes_data
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply
from sites import services as site_services
from sites.enums import RoundStatus

from ..enums import SCORECARD_TRANSITIONS, AssignmentState, Method, ScorecardState
from ..models import Assignment, Candidate, Criterion, DemocraticEvaluation, EvaluationTable, Evidence, Score, Scorecard
from ..selectors import fmt
from .common import require_round_status
from .tables import validate_methods


def parse_points(raw, criterion: Criterion, *, field: str) -> Decimal | None:
    """Points as a Decimal within 0..max (two decimals at most), or a DomainError naming the limit (R4).
    Blank is None. A check that writes nothing: the paper import calls it for every row."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in (None, ""):
        return None
    try:
        points = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise DomainError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": criterion.name, "value": raw},
                          field=field, code="not_a_number") from None
    if not points.is_finite():
        raise DomainError(_("“%(name)s”的得分“%(value)s”不是数字。") % {"name": criterion.name, "value": raw}, field=field, code="not_a_number")
    if points < 0:
        raise DomainError(_("“%(name)s”的得分不能为负数。") % {"name": criterion.name}, field=field, code="score_bounds")
    if points > criterion.max_points:
        raise DomainError(
            _("“%(name)s”满分%(max)s分，得分%(value)s分超过满分。") % {"name": criterion.name, "max": fmt(criterion.max_points), "value": fmt(points)},
            field=field, code="score_bounds", rule="R4",
        )
    if points != points.quantize(Decimal("0.01")):
        raise DomainError(_("“%(name)s”的得分最多保留两位小数。") % {"name": criterion.name}, field=field, code="too_many_decimals")
    return points


def _lock_scorecard_for(actor: User | None, assignment_id: int, *, on_paper: bool) -> tuple[Assignment, Scorecard]:
    """The assignment and its scorecard (created on first use), locked, for a writer allowed to score it."""
    assignment = lock(Assignment.objects.select_related("candidate__round", "candidate__team"), pk=assignment_id)
    require(actor, "evaluation.enter_paper_scores" if on_paper else "evaluation.score", assignment)
    if assignment.state != AssignmentState.DECLARED:
        raise DomainError(_("请先声明与该考评对象不存在利益冲突（R5），再评分。"), field="conflict", code="not_declared", rule="R5")
    require_round_status(assignment.candidate.round, RoundStatus.EVALUATING)
    scorecard, _created = Scorecard.objects.get_or_create(assignment=assignment)
    return assignment, lock(Scorecard, pk=scorecard.pk)


def _criteria_of(round_id: int) -> list[Criterion]:
    table = EvaluationTable.objects.filter(round_id=round_id).first()
    if table is None:
        raise DomainError(_("本轮尚未制定量化考评表。"), field="table", code="no_table")
    return list(table.criteria.all())


def _check_score_methods(criterion: Criterion, methods: list[str]) -> None:
    """R4: a score names the methods behind it, each one of the criterion's methods."""
    if not methods:
        raise DomainError(_("“%(name)s”请选择得分依据的考评方式（R4）。") % {"name": criterion.name}, field=f"methods_{criterion.pk}",
                          code="methods_required", rule="R4")
    outside = [m for m in methods if m not in criterion.methods]
    if outside:
        raise DomainError(
            _("“%(name)s”的考评方式为%(allowed)s，不包括%(given)s（R4）。") % {
                "name": criterion.name, "allowed": _("、").join(criterion.method_labels()),
                "given": _("、").join(str(Method(m).label) if m in Method.values else m for m in outside)},
            field=f"methods_{criterion.pk}", code="method_not_allowed", rule="R4")


def _paper(on_paper: bool, assignment: Assignment) -> dict:
    return {"on_paper": True, "evaluator": assignment.evaluator_id} if on_paper else {}


@transaction.atomic
def scorecard_save(*, actor: User | None, assignment_id: int, scores: dict, on_paper: bool = False) -> Scorecard:
    """Save (part of) a draft scorecard. `scores` maps criterion id → {points, methods, notes}.
    Every score stays within 0..max of its criterion and names its methods (R4).

    The assigned evaluator, or with `on_paper=True` the handler of the team's paper sheet. Records the
    old and new points, methods and notes of what changed and the new total; nothing when unchanged."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id, on_paper=on_paper)
    if scorecard.state == ScorecardState.SUBMITTED:
        raise InvalidTransition(_("评分表已提交并锁定；如需修改，请联系市党务公开办退回。"), field="state")
    criteria = {c.pk: c for c in _criteria_of(assignment.candidate.round_id)}
    existing = {s.criterion_id: s for s in scorecard.scores.all()}
    changes = {}
    for criterion_id, entry in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            raise DomainError(_("考评项目不属于本轮考评表。"), field="scores", code="foreign_criterion")
        points = parse_points(entry.get("points"), criterion, field=f"points_{criterion.pk}")
        methods = validate_methods(entry.get("methods"), field=f"methods_{criterion.pk}")
        notes = (entry.get("notes") or "").strip()
        if points is None:
            continue
        _check_score_methods(criterion, methods)
        score = existing.get(criterion.pk)
        before = (None, [], "") if score is None else (score.points, score.methods, score.notes)
        if before == (points, methods, notes):
            continue
        for name, old, new in zip(("points", "methods", "notes"), before, (points, methods, notes)):
            if old != new:
                changes[f"{name}_{criterion.pk}"] = (old, new)
        if score is None:
            existing[criterion.pk] = Score.objects.create(scorecard=scorecard, criterion=criterion, points=points, methods=methods, notes=notes)
        else:
            score.points, score.methods, score.notes = points, methods, notes
            score.save(update_fields=["points", "methods", "notes"])
    total = sum((s.points for s in existing.values()), Decimal("0"))
    if total != scorecard.total:
        changes["total"] = (scorecard.total, total)
        scorecard.total = total
    if changes:
        scorecard.save(update_fields=["total", "updated_at"])
        audit_record(actor=actor, action="evaluation.scorecard.save", target=scorecard,
                     data={"total": str(scorecard.total), **_paper(on_paper, assignment), **changes_data(changes)})
    return scorecard


@transaction.atomic
def scorecard_submit(*, actor: User | None, assignment_id: int, on_paper: bool = False) -> Scorecard:
    """Submit and lock a complete scorecard, every score checked again against the current table (R4).

    The assigned evaluator, or with `on_paper=True` the handler of the team's paper sheet. Repeated: nothing."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id, on_paper=on_paper)
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
    return transition_apply(scorecard, ScorecardState.SUBMITTED, transitions=SCORECARD_TRANSITIONS, actor=actor,
                            action="evaluation.scorecard.submit", fields={"total": total, "submitted_at": timezone.now()},
                            data={"total": str(total), **_paper(on_paper, assignment)})


@transaction.atomic
def scorecard_reopen(*, actor: User | None, scorecard_id: int, reason: str) -> Scorecard:
    """Staff unlock a submitted scorecard, with a reason, while the round is being evaluated.

    The municipal office. A draft stays as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退回评分表必须填写理由。"), field="reason", code="reason_required")
    scorecard = lock(Scorecard.objects.select_related("assignment__candidate__round"), pk=scorecard_id)
    require(actor, "evaluation.manage", scorecard)
    if scorecard.state == ScorecardState.DRAFT:
        return scorecard
    require_round_status(scorecard.assignment.candidate.round, RoundStatus.EVALUATING)
    return transition_apply(scorecard, ScorecardState.DRAFT, transitions=SCORECARD_TRANSITIONS, actor=actor,
                            action="evaluation.scorecard.reopen", reason=reason,
                            fields={"submitted_at": None, "reopen_reason": reason})


@transaction.atomic
def evidence_add(*, actor: User | None, assignment_id: int, uploaded_file, title: str = "", criterion_id: int | None = None) -> Evidence:
    """Attach an evidence file (PDF, image, Office) to one's own draft scorecard, optionally for one criterion.

    The assigned evaluator. Audited in the scorecard's history."""
    assignment, scorecard = _lock_scorecard_for(actor, assignment_id, on_paper=False)
    if scorecard.state == ScorecardState.SUBMITTED:
        raise InvalidTransition(_("评分表已提交并锁定，不能再上传佐证材料。"), field="file")
    if criterion_id is not None and not Criterion.objects.filter(pk=criterion_id, table__round_id=assignment.candidate.round_id).exists():
        raise DomainError(_("考评项目不属于本轮考评表。"), field="criterion", code="foreign_criterion")
    site_services.validate_upload(uploaded_file)
    evidence = Evidence.objects.create(scorecard=scorecard, criterion_id=criterion_id, title=title or uploaded_file.name,
                                       file=uploaded_file, size=uploaded_file.size, uploaded_by=actor)
    audit_record(actor=actor, action="evaluation.evidence.add", target=scorecard, data={"evidence": evidence.pk, "title": evidence.title})
    return evidence


@transaction.atomic
def democratic_record(*, actor: User | None, candidate_id: int, held_on: datetime.date, satisfied: int, basically_satisfied: int,
                      dissatisfied: int, note: str = "") -> DemocraticEvaluation:
    """Record (or correct) the 民主测评 ballots of a candidate (R4, R19).

    The municipal office, before the publicity. Audited in the candidate's history; a correction with old
    and new values, nothing when unchanged."""
    candidate = lock(Candidate.objects.select_related("round"), pk=candidate_id)
    require(actor, "evaluation.manage", candidate)
    require_round_status(candidate.round, RoundStatus.CLOSED, RoundStatus.EVALUATING)
    counts = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "dissatisfied": dissatisfied}
    for key, value in counts.items():
        if value is None or int(value) < 0:
            raise DomainError(_("票数不能为负数。"), field=key, code="negative_ballots")
    counts = {key: int(value) for key, value in counts.items()}
    if sum(counts.values()) == 0:
        raise DomainError(_("民主测评至少要有一张有效票。"), field="satisfied", code="no_ballots")
    record = DemocraticEvaluation.objects.select_for_update().filter(candidate=candidate).first()
    if record is not None:
        fields_update(record, {"held_on": held_on, "note": note, "recorded_by": actor, **counts}, actor=actor,
                      action="evaluation.democratic.record", audit_target=candidate)
        return record
    record = DemocraticEvaluation.objects.create(candidate=candidate, held_on=held_on, recorded_by=actor, note=note, **counts)
    audit_record(actor=actor, action="evaluation.democratic.record", target=candidate,
                 data={**counts, "rate": str(record.satisfaction_rate)})
    return record
