"""Scorecards (evaluation.services.scoring): points within 0..max with their methods (R4), submission, reopening."""
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.enums import ScorecardState
from evaluation.models import Criterion
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry

from .factories import full_scores, submit_card

pytestmark = pytest.mark.django_db


def test_r5_scoring_refused_before_declaring_no_conflict(assignment, evaluator, eval_round):
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=assignment.pk, scores=full_scores(eval_round.evaluation_table))
    assert exc.value.code == "not_declared"


def test_score_above_maximum_refused_with_the_limit(declared, evaluator, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "20.5", "methods": ["materials"]}})
    assert str(exc.value) == "“公开内容”满分20分，得分20.5分超过满分。"
    assert exc.value.field == f"points_{content.pk}"


def test_score_at_maximum_and_zero_accepted(declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    content, forms = table.criteria.get(name="公开内容"), table.criteria.get(name="公开形式")
    card = services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={
        content.pk: {"points": "20", "methods": ["materials"]}, forms.pk: {"points": "0", "methods": ["on_site"]}})
    assert card.total == Decimal("20")


@pytest.mark.parametrize("points, code", [("-1", "score_bounds"), ("abc", "not_a_number"), ("1.005", "too_many_decimals"),
                                          ("NaN", "not_a_number")])
def test_malformed_or_negative_score_refused(declared, evaluator, eval_round, points, code):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": points, "methods": ["materials"]}})
    assert (exc.value.code, exc.value.field) == (code, f"points_{content.pk}")


def test_r4_score_must_name_a_method(declared, evaluator, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "15", "methods": []}})
    assert exc.value.rule == "R4"


def test_r4_method_outside_the_criterion_refused(declared, evaluator, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "15", "methods": ["democratic"]}})
    assert str(exc.value) == "“公开内容”的考评方式为查资料、实地察看，不包括民主测评（R4）。"


def test_submit_refused_while_criteria_unscored(declared, evaluator, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "15", "methods": ["materials"]}})
    with pytest.raises(DomainError) as exc:
        services.scorecard_submit(actor=evaluator, assignment_id=declared.pk)
    assert exc.value.code == "incomplete"


def test_submitted_scorecard_is_locked_until_staff_reopen_with_reason(candidate, evaluator, municipal, eval_round):
    card = submit_card(evaluator, candidate)
    assert card.state == ScorecardState.SUBMITTED and card.total == Decimal("90.00")
    with pytest.raises(InvalidTransition, match="评分表已提交并锁定"):
        services.scorecard_save(actor=evaluator, assignment_id=card.assignment_id, scores=full_scores(eval_round.evaluation_table, "0.5"))
    with pytest.raises(DomainError, match="退回评分表必须填写理由"):
        services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason=" ")
    with pytest.raises(NotPermitted):
        services.scorecard_reopen(actor=evaluator, scorecard_id=card.pk, reason="自己想改")
    services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason="公开内容分项计算有误")
    card = services.scorecard_save(actor=evaluator, assignment_id=card.assignment_id, scores=full_scores(eval_round.evaluation_table, "0.5"))
    assert (card.state, card.total, card.reopen_reason) == (ScorecardState.DRAFT, Decimal("50.00"), "公开内容分项计算有误")


def test_evaluator_cannot_write_someone_elses_scorecard(declared, other_evaluator, eval_round):
    with pytest.raises(NotPermitted):
        services.scorecard_save(actor=other_evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))


def test_submit_checks_every_score_against_the_current_maximum(declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "1"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(max_points=15)  # changed behind the service's back
    with pytest.raises(DomainError) as exc:
        services.scorecard_submit(actor=evaluator, assignment_id=declared.pk)
    assert (exc.value.field, str(exc.value)) == (f"points_{content.pk}", "“公开内容”满分15分，得分20分超过满分。")
    assert declared.scorecard.state == ScorecardState.DRAFT


def test_submit_checks_every_score_against_the_current_methods(declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "0.9"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(methods=["on_site"])
    with pytest.raises(DomainError) as exc:
        services.scorecard_submit(actor=evaluator, assignment_id=declared.pk)
    assert str(exc.value) == "“公开内容”的考评方式为实地察看，不包括查资料（R4）。"


def test_r19_a_corrected_democratic_evaluation_records_old_and_new_ballots(candidate, municipal):
    held_on = candidate.round.applications_open_on
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=held_on, satisfied=40, basically_satisfied=5, dissatisfied=2)
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=held_on, satisfied=42, basically_satisfied=5, dissatisfied=0)
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=held_on, satisfied=42, basically_satisfied=5, dissatisfied=0)
    entries = list(AuditEntry.objects.filter(action="evaluation.democratic.record", object_id=str(candidate.pk)).order_by("pk"))
    assert len(entries) == 2
    assert entries[1].data["changes"] == {"dissatisfied": {"old": 2, "new": 0}, "satisfied": {"old": 40, "new": 42}}


def test_r4_a_saved_score_records_its_old_and_new_points(declared, evaluator, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "15", "methods": ["materials"]}})
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "18", "methods": ["materials"]}})
    entry = AuditEntry.objects.filter(action="evaluation.scorecard.save").order_by("pk").last()
    assert (entry.actor, entry.data["changes"][f"points_{content.pk}"], entry.data["total"]) == (evaluator, {"old": "15", "new": "18"}, "18")
