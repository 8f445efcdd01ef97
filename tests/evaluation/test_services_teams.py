"""Candidates, teams and assignments (evaluation.services.teams): the R10 queue, conflicts of interest and the declaration (R5), withdrawals."""
import pytest

from evaluation import selectors, services
from evaluation.enums import AssignmentState, CandidateKind, ScorecardState
from evaluation.models import Assignment, Candidate
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from tests import factories as f

from .factories import evaluator_user, full_scores, submit_card

pytestmark = pytest.mark.django_db


def _assignment(candidate, person):
    return Assignment.objects.get(candidate=candidate, evaluator=person)


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
    with pytest.raises(DomainError) as exc:
        services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=person.pk)
    assert exc.value.code == "conflict_of_interest"


def test_r5_team_assignment_skips_the_conflicted_member(other_candidate, evaluator, other_evaluator, municipal, eval_round):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[evaluator.pk, other_evaluator.pk])
    assigned, skipped = services.candidate_assign_team(actor=municipal, candidate_id=other_candidate.pk, team_id=team.pk)
    assert [a.evaluator for a in assigned] == [other_evaluator]
    assert [member for member, _reason in skipped] == [evaluator]


def test_r5_team_refuses_a_county_user(eval_round, municipal, county_user):
    with pytest.raises(DomainError) as exc:
        services.team_save(actor=municipal, round_id=eval_round.pk, name="组", member_ids=[county_user.pk])
    assert exc.value.rule == "R5"


def test_r5_declared_conflict_takes_evaluator_off_candidate(assignment, evaluator, candidate):
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=True, note="曾在该单位任职")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFLICTED
    assert list(selectors.candidate_list_for(evaluator)) == []


def test_r5_conflict_declaration_needs_an_explanation(assignment, evaluator):
    with pytest.raises(DomainError) as exc:
        services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=True, note="")
    assert (exc.value.field, exc.value.rule) == ("note", "R5")


def test_declaration_by_another_evaluator_refused(assignment, other_evaluator):
    with pytest.raises(NotPermitted):
        services.assignment_declare(actor=other_evaluator, assignment_id=assignment.pk, conflict=False)


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


def test_withdraw_records_state_time_reason_and_audit(assignment, municipal):
    services.assignment_withdraw(actor=municipal, assignment_id=assignment.pk, reason="考评对象调整")
    assignment.refresh_from_db()
    assert (assignment.state, assignment.withdraw_reason, assignment.withdrawn_at is not None) == (AssignmentState.WITHDRAWN, "考评对象调整", True)
    entry = AuditEntry.objects.get(action="evaluation.assignment.withdraw")
    assert (entry.from_state, entry.to_state, entry.reason) == (AssignmentState.PENDING, AssignmentState.WITHDRAWN, "考评对象调整")
    # Again: quietly nothing.
    services.assignment_withdraw(actor=municipal, assignment_id=assignment.pk, reason="再次")
    assert AuditEntry.objects.filter(action="evaluation.assignment.withdraw").count() == 1


@pytest.mark.parametrize("who", ["evaluator", "leading", "county_user"])
def test_only_the_office_withdraws(request, assignment, who):
    with pytest.raises(NotPermitted):
        services.assignment_withdraw(actor=request.getfixturevalue(who), assignment_id=assignment.pk, reason="想退出")


def test_withdraw_needs_a_reason(assignment, municipal):
    with pytest.raises(DomainError) as exc:
        services.assignment_withdraw(actor=municipal, assignment_id=assignment.pk, reason=" ")
    assert (exc.value.field, str(exc.value)) == ("reason", "撤回考评分工必须填写理由。")


def test_a_submitted_card_is_not_withdrawn_until_staff_reopen_it(candidate, evaluator, municipal):
    card = submit_card(evaluator, candidate)
    with pytest.raises(DomainError) as exc:
        services.assignment_withdraw(actor=municipal, assignment_id=card.assignment_id, reason="调整")
    assert str(exc.value) == "evaluator 对该单位的评分已提交，不能撤回分工；如确需撤回，请先退回该评分表。"
    services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason="调整考评组")
    assert services.assignment_withdraw(actor=municipal, assignment_id=card.assignment_id, reason="调整").state == AssignmentState.WITHDRAWN


def test_a_conflicted_assignment_needs_no_withdrawal(assignment, evaluator, municipal):
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=True, note="曾在该单位任职")
    with pytest.raises(InvalidTransition, match="该考评人员已声明回避，无需撤回"):
        services.assignment_withdraw(actor=municipal, assignment_id=assignment.pk, reason="调整")


def test_a_withdrawn_evaluator_no_longer_sees_or_scores_the_candidate(declared, evaluator, municipal, eval_round, candidate):
    services.assignment_withdraw(actor=municipal, assignment_id=declared.pk, reason="调整")
    assert list(selectors.candidate_list_for(evaluator)) == []
    assert list(selectors.assignment_list_for(evaluator)) == []
    with pytest.raises(DomainError) as exc:
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))
    assert exc.value.code == "not_declared"
    assert [a.pk for a in selectors.assignment_list_for(municipal)] == [declared.pk]  # staff keep the record


def test_moving_a_candidate_withdraws_the_old_teams_assignments(candidate, teams, panel, municipal):
    team_a, team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    services.assignment_declare(actor=panel[0], assignment_id=_assignment(candidate, panel[0]).pk, conflict=False)
    services.scorecard_save(actor=panel[0], assignment_id=_assignment(candidate, panel[0]).pk, scores=full_scores(candidate.round.evaluation_table))
    assigned, skipped = services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    assert ([a.evaluator for a in assigned], skipped) == ([panel[2]], [])
    states = dict(Assignment.objects.filter(candidate=candidate).values_list("evaluator__username", "state"))
    assert states == {"panel0": "withdrawn", "panel1": "withdrawn", "panel2": "pending"}
    assert _assignment(candidate, panel[0]).withdraw_reason == "考评对象调整到第二考评组"
    assert Candidate.objects.get(pk=candidate.pk).team == team_b
    assert selectors.candidate_aggregate(candidate) is None  # the draft stays on file but does not count


def test_moving_is_refused_while_an_old_member_has_submitted(candidate, teams, panel, municipal):
    team_a, team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    card = submit_card(panel[0], candidate)
    with pytest.raises(DomainError) as exc:
        services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    assert (exc.value.field, str(exc.value)) == ("team", "panel0 已提交对该单位的评分，不能调整考评组；请先退回或撤回这些评分。")
    assert Candidate.objects.get(pk=candidate.pk).team == team_a
    assert set(Assignment.objects.filter(candidate=candidate).values_list("state", flat=True)) == {"pending", "declared"}
    services.scorecard_reopen(actor=municipal, scorecard_id=card.pk, reason="调整考评组")
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    assert Candidate.objects.get(pk=candidate.pk).team == team_b


def test_back_to_the_first_team_reinstates_the_assignment_to_declare_afresh(candidate, teams, panel, municipal):
    team_a, team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    first = _assignment(candidate, panel[0])
    services.assignment_declare(actor=panel[0], assignment_id=first.pk, conflict=False)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    first.refresh_from_db()
    assert (first.state, first.declared_at) == (AssignmentState.PENDING, None)
    assert AuditEntry.objects.filter(action="evaluation.assignment.reinstate", object_id=str(first.pk)).count() == 1


def test_taking_a_candidate_off_its_team(candidate, teams, panel, municipal):
    team_a, _team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    assert services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=None) == ([], [])
    assert Candidate.objects.get(pk=candidate.pk).team is None
    assert set(Assignment.objects.filter(candidate=candidate).values_list("state", flat=True)) == {"withdrawn"}


def test_withdrawing_keeps_the_draft_on_file(declared, evaluator, municipal, eval_round):
    card = services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))
    services.assignment_withdraw(actor=municipal, assignment_id=declared.pk, reason="调整")
    card.refresh_from_db()
    assert (card.state, card.total) == (ScorecardState.DRAFT, 90)


def test_a_team_change_records_the_old_and_new_leader_and_members(eval_round, municipal, panel):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk],
                              leader_id=panel[0].pk)
    services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[1].pk, panel[2].pk],
                       leader_id=panel[1].pk, team_id=team.pk)
    services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[1].pk, panel[2].pk],
                       leader_id=panel[1].pk, team_id=team.pk)
    saves = list(AuditEntry.objects.filter(action="evaluation.team.save", object_id=str(team.pk)).order_by("pk"))
    assert len(saves) == 2  # the repeated save changed nothing
    assert saves[1].data["changes"] == {
        "leader_id": {"old": panel[0].pk, "new": panel[1].pk},
        "members": {"old": sorted([panel[0].pk, panel[1].pk]), "new": sorted([panel[1].pk, panel[2].pk])},
    }


def test_moving_a_candidate_records_the_old_and_new_team(candidate, teams, municipal):
    first, second = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=first.pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=second.pk)
    moves = AuditEntry.objects.filter(action="evaluation.candidate.assign_team", object_id=str(candidate.pk)).order_by("pk")
    assert [m.data["changes"]["team"] for m in moves] == [{"old": None, "new": first.pk}, {"old": first.pk, "new": second.pk}]
