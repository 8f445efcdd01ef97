"""Table, teams, assignments (R5), scorecards (R4) and the panel aggregate."""
from decimal import Decimal

import pytest

from evaluation import selectors, services
from evaluation.enums import AssignmentState, CandidateKind, Method, ScorecardState
from evaluation.models import Candidate, Criterion
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from tests import factories as f

from .factories import evaluator_user, full_scores, submit_card

pytestmark = pytest.mark.django_db


def test_default_table_totals_100_with_eight_criteria(eval_round):
    table = eval_round.evaluation_table
    assert table.total_points == Decimal("100")
    assert [c.name for c in table.criteria.all()] == ["组织领导", "制度建设", "公开内容", "公开形式", "公开程序", "公开时间", "群众满意度", "特色亮点"]


def test_default_table_methods_are_the_five_r4_methods(eval_round):
    used = {m for c in eval_round.evaluation_table.criteria.all() for m in c.methods}
    assert used <= set(Method.values)
    assert used == set(Method.values)


def test_table_create_default_is_idempotent(eval_round, municipal):
    again = services.table_create_default(actor=municipal, round_id=eval_round.pk)
    assert again.pk == eval_round.evaluation_table.pk
    assert Criterion.objects.filter(table=again).count() == 8


def test_table_create_refused_for_county_user(open_round, county_user):
    with pytest.raises(NotPermitted):
        services.table_create_default(actor=county_user, round_id=open_round.pk)


def test_criterion_cannot_change_after_a_submitted_scorecard(candidate, evaluator, municipal):
    submit_card(evaluator, candidate)
    table = candidate.round.evaluation_table
    with pytest.raises(DomainError) as exc:
        services.criterion_save(actor=municipal, table_id=table.pk, group="x", name="新增项目", max_points=5, methods=["hearing"])
    assert exc.value.code == "table_locked"


def test_criterion_needs_a_method_r4(eval_round, municipal):
    with pytest.raises(DomainError) as exc:
        services.criterion_save(actor=municipal, table_id=eval_round.evaluation_table.pk, group="x", name="新增", max_points=5, methods=[])
    assert exc.value.rule == "R4"


def test_candidates_sync_adds_recommended_and_reevaluation_queue_r10(eval_round, application, other_application, county):
    old_round = f.RoundFactory(organizer=eval_round.organizer, status="finished", year=eval_round.year - 3)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), round=old_round, level=eval_round.level)
    f.DesignationFactory(round=old_round, level="city")  # another level: not re-evaluated here
    created = services.candidates_sync(actor=None, round_id=eval_round.pk)
    assert created == 3
    kinds = sorted(Candidate.objects.filter(round=eval_round).values_list("kind", flat=True))
    assert kinds == [CandidateKind.NEW, CandidateKind.NEW, CandidateKind.REEVALUATION]
    assert Candidate.objects.get(kind=CandidateKind.REEVALUATION).designation == site
    assert services.candidates_sync(actor=None, round_id=eval_round.pk) == 0


def test_r5_evaluator_not_assigned_to_own_jurisdiction(other_candidate, evaluator, municipal):
    with pytest.raises(DomainError) as exc:
        services.assignment_create(actor=municipal, candidate_id=other_candidate.pk, evaluator_id=evaluator.pk)
    assert exc.value.rule == "R5"
    assert str(exc.value) == "evaluator 属于沾益区，不能考评本辖区单位（R5 利益冲突回避）。"


def test_r5_evaluator_not_assigned_to_a_unit_below_their_own(candidate, municipal, org):
    party_committee = f.OrganizationFactory(name="某区直机关工委", jurisdiction=f.JurisdictionFactory(name="马龙区", code="malong"))
    org.parent = party_committee
    org.save()
    person = evaluator_user(username="committee_staff", organization=party_committee)
    with pytest.raises(DomainError) as exc:
        services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=person.pk)
    assert exc.value.code == "conflict_of_interest"


def test_r5_evaluator_not_assigned_to_their_superior_unit(candidate, municipal, org):
    branch = f.OrganizationFactory(name="下属支部", jurisdiction=f.JurisdictionFactory(name="富源县", code="fuyuan"), parent=org)
    person = evaluator_user(username="branch_member", organization=branch)
    with pytest.raises(DomainError):
        services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=person.pk)


def test_r5_team_assignment_skips_the_conflicted_member(other_candidate, evaluator, other_evaluator, municipal, eval_round):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[evaluator.pk, other_evaluator.pk])
    assigned, skipped = services.candidate_assign_team(actor=municipal, candidate_id=other_candidate.pk, team_id=team.pk)
    assert [a.evaluator for a in assigned] == [other_evaluator]
    assert [member for member, _reason in skipped] == [evaluator]


def test_r5_team_refuses_a_county_user(eval_round, municipal, county_user):
    with pytest.raises(DomainError) as exc:
        services.team_save(actor=municipal, round_id=eval_round.pk, name="组", member_ids=[county_user.pk])
    assert exc.value.rule == "R5"


def test_r5_scoring_refused_before_declaring_no_conflict(assignment, evaluator, eval_round):
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=assignment.pk, scores=full_scores(eval_round.evaluation_table))
    assert exc.value.code == "not_declared"


def test_r5_declared_conflict_takes_evaluator_off_candidate(assignment, evaluator, candidate):
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=True, note="曾在该单位任职")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFLICTED
    assert list(selectors.candidate_list_for(evaluator)) == []


def test_r5_conflict_declaration_needs_an_explanation(assignment, evaluator):
    with pytest.raises(DomainError):
        services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=True, note="")


def test_declaration_by_another_evaluator_refused(assignment, other_evaluator):
    with pytest.raises(NotPermitted):
        services.assignment_declare(actor=other_evaluator, assignment_id=assignment.pk, conflict=False)


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


@pytest.mark.parametrize("points", ["-1", "abc", "1.005", "NaN"])
def test_malformed_or_negative_score_refused(declared, evaluator, eval_round, points):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    with pytest.raises(DomainError):
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": points, "methods": ["materials"]}})


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
    with pytest.raises(InvalidTransition):
        services.scorecard_save(actor=evaluator, assignment_id=card.assignment_id, scores=full_scores(eval_round.evaluation_table, "0.5"))
    with pytest.raises(DomainError):
        services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason=" ")
    with pytest.raises(NotPermitted):
        services.scorecard_reopen(actor=evaluator, scorecard_id=card.pk, reason="自己想改")
    services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason="公开内容分项计算有误")
    card = services.scorecard_save(actor=evaluator, assignment_id=card.assignment_id, scores=full_scores(eval_round.evaluation_table, "0.5"))
    assert (card.state, card.total, card.reopen_reason) == (ScorecardState.DRAFT, Decimal("50.00"), "公开内容分项计算有误")


def test_evaluator_cannot_write_someone_elses_scorecard(declared, other_evaluator, eval_round):
    with pytest.raises(NotPermitted):
        services.scorecard_save(actor=other_evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))


def test_other_scores_hidden_until_own_submitted(candidate, evaluator, other_evaluator, municipal):
    submit_card(other_evaluator, candidate, "0.8")
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    assert list(selectors.panel_scorecards_for(evaluator, candidate)) == []
    submit_card(evaluator, candidate, "0.9")
    assert [c.total for c in selectors.panel_scorecards_for(evaluator, candidate)] == [Decimal("90.00"), Decimal("80.00")]


def test_aggregate_is_plain_mean_below_five_evaluators():
    agg = selectors.aggregate_totals([Decimal("70"), Decimal("80"), Decimal("90"), Decimal("100")])
    assert (agg["score"], agg["trimmed"], agg["median"], agg["spread"]) == (Decimal("85.00"), False, Decimal("85.00"), Decimal("30.00"))


def test_aggregate_drops_highest_and_lowest_from_five_evaluators():
    agg = selectors.aggregate_totals([Decimal("60"), Decimal("80"), Decimal("82"), Decimal("84"), Decimal("99")])
    assert (agg["score"], agg["trimmed"], agg["mean"], agg["median"], agg["spread"]) == (
        Decimal("82.00"), True, Decimal("81.00"), Decimal("82.00"), Decimal("39.00"))


def test_aggregate_of_nobody_is_none():
    assert selectors.aggregate_totals([]) is None


def test_candidate_aggregate_counts_pending_evaluators(candidate, panel, municipal):
    for person, fraction in zip(panel[:3], ("0.7", "0.8", "0.9")):
        submit_card(person, candidate, fraction)
    services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=panel[3].pk)
    agg = selectors.candidate_aggregate(candidate)
    assert (agg["score"], agg["n"], agg["pending"]) == (Decimal("80.00"), 3, 1)


def test_r10_queue_covers_only_the_rounds_quota_jurisdictions(eval_round, county, other_county):
    old_round = f.RoundFactory(organizer=eval_round.organizer, status="finished", year=eval_round.year - 3)
    here = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), round=old_round, level=eval_round.level)
    elsewhere = f.JurisdictionFactory(name="马龙区", code="malong")  # no quota in this round
    f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=elsewhere), round=old_round, level=eval_round.level)
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    assert list(Candidate.objects.filter(round=eval_round, kind=CandidateKind.REEVALUATION).values_list("designation", flat=True)) == [here.pk]


@pytest.mark.parametrize("other_status, queued_here", [("evaluating", False), ("publicity", False), ("closed", False), ("finished", True)])
def test_r10_a_site_queued_in_another_running_round_is_not_queued_again(eval_round, county, city, other_status, queued_here):
    old_round = f.RoundFactory(organizer=city, status="finished", year=eval_round.year - 3)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), round=old_round, level=eval_round.level)
    other = f.RoundFactory(organizer=city, status=other_status, name="另一轮次", level=eval_round.level)
    Candidate.objects.create(round=other, kind=CandidateKind.REEVALUATION, designation=site, organization=site.organization,
                             jurisdiction=county)
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    assert Candidate.objects.filter(round=eval_round, designation=site).exists() is queued_here
