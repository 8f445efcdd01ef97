"""Assignments are withdrawn, never deleted (a candidate moved to another team), withdrawn ones no longer
count (panel, list, evaluator's pages), and one evaluator's conflict never hides a candidate from another (R5)."""
import pytest

from evaluation import selectors, services
from evaluation.enums import AssignmentState, ScorecardState
from evaluation.models import Assignment, Candidate
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites.enums import ApplicationState

from .factories import full_scores, submit_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(eval_round, panel, municipal):
    a = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk], leader_id=panel[0].pk)
    b = services.team_save(actor=municipal, round_id=eval_round.pk, name="第二考评组", member_ids=[panel[2].pk], leader_id=panel[2].pk)
    return a, b


def _assignment(candidate, person):
    return Assignment.objects.get(candidate=candidate, evaluator=person)


# --- the service ---------------------------------------------------------------------------------
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
    with pytest.raises(InvalidTransition):
        services.assignment_withdraw(actor=municipal, assignment_id=assignment.pk, reason="调整")


def test_a_withdrawn_evaluator_no_longer_sees_or_scores_the_candidate(declared, evaluator, municipal, eval_round, candidate):
    services.assignment_withdraw(actor=municipal, assignment_id=declared.pk, reason="调整")
    assert list(selectors.candidate_list_for(evaluator)) == []
    assert list(selectors.assignment_list_for(evaluator)) == []
    with pytest.raises(DomainError):
        services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))
    assert [a.pk for a in selectors.assignment_list_for(municipal)] == [declared.pk]  # staff keep the record


def test_shortlist_ignores_withdrawn_assignments(candidate, panel, municipal):
    submit_card(panel[0], candidate, "0.9")
    stuck = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=panel[1].pk)
    with pytest.raises(DomainError) as exc:
        services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    assert exc.value.code == "scores_pending"
    services.assignment_withdraw(actor=municipal, assignment_id=stuck.pk, reason="该考评人员调离")
    assert services.shortlist_add(actor=municipal, application_id=candidate.application_id).state == ApplicationState.SHORTLISTED
    assert selectors.candidate_aggregate(candidate)["pending"] == 0


# --- moving a candidate between teams --------------------------------------------------------------
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


# --- R5: one evaluator's conflict hides nothing from another ----------------------------------------
def test_r5_one_evaluators_conflict_does_not_hide_the_candidate_from_another(candidate, evaluator, other_evaluator, municipal):
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    theirs = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=other_evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=True, note="亲属在该单位工作")
    assert list(selectors.candidate_list_for(evaluator)) == []
    assert list(selectors.candidate_list_for(other_evaluator)) == [candidate]
    services.assignment_declare(actor=other_evaluator, assignment_id=theirs.pk, conflict=False)
    assert list(selectors.candidate_list_for(other_evaluator)) == [candidate]


def test_r5_api_candidates_of_the_second_evaluator_after_the_first_declares_a_conflict(api_client_for, candidate, evaluator, other_evaluator,
                                                                                      municipal):
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=other_evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=True, note="亲属在该单位工作")
    assert api_client_for("other_evaluator").get("/api/v1/evaluation/candidates/").json()["count"] == 1
    assert api_client_for("evaluator").get("/api/v1/evaluation/candidates/").json()["count"] == 0


# --- the portal round page ------------------------------------------------------------------------------
def test_round_page_team_select_offers_none_and_shows_the_current_team(client, municipal, candidate, other_candidate, teams):
    team_a, team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{candidate.round_id}/").content.decode()
    mine, other = (page.split(f'name="candidate" value="{c.pk}"')[1].split("</select>")[0] for c in (candidate, other_candidate))
    assert f'<option value="{team_b.pk}" selected>第二考评组</option>' in mine and '<option value="" selected>' not in mine
    assert '<option value="" selected>— 未分配 —</option>' in other and " selected>第" not in other


def test_round_page_moves_a_candidate_off_its_team_with_the_empty_option(client, municipal, candidate, teams):
    team_a, _team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/rounds/{candidate.round_id}/do/team/", {"candidate": candidate.pk, "team": ""}, follow=True)
    assert "已取消麒麟区第一党支部的考评组分配。" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).team is None


def test_round_page_withdraws_an_assignment_and_shows_the_reason(client, municipal, assignment, candidate):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "该考评人员借调外地"}, follow=True)
    body = response.content.decode()
    assert "已撤回evaluator对麒麟区第一党支部的考评分工。" in body
    assert "已撤回分工" in body and "该考评人员借调外地" in body
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.WITHDRAWN


def test_candidate_page_withdraws_back_to_the_candidate(client, municipal, assignment, candidate):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整", "back": "candidate"})
    assert response["Location"] == f"/portal/evaluation/candidates/{candidate.pk}/"


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("leading", 404), ("evaluator", 404), ("county_user", 404), ("org_user", 404)])
def test_only_the_office_withdraws_in_the_portal(client, request, assignment, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整"}).status_code == expected
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.PENDING


def test_round_page_query_count_is_constant(client, municipal, eval_round, county, panel, django_assert_max_num_queries):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        for _ in range(n):
            app = recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            submit_card(panel[0], app.candidate)
            services.assignment_create(actor=municipal, candidate_id=app.candidate.pk, evaluator_id=panel[1].pk)

    client.force_login(municipal)
    add(1)
    client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    add(3)
    with django_assert_max_num_queries(30) as large:
        client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    assert len(small.captured_queries) == len(large.captured_queries)


# --- the API --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role, expected", [("municipal", 200), ("leading", 404), ("evaluator", 404), ("county_user", 404), ("org_user", 404)])
def test_api_withdraw_is_the_offices(api_client_for, assignment, role, expected):
    response = api_client_for(role).post(f"/api/v1/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整"}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert (response.json()["state"], response.json()["withdraw_reason"]) == ("withdrawn", "调整")


@pytest.mark.parametrize("role, expected", [("municipal", 200), ("leading", 404), ("evaluator", 404), ("county_user", 404)])
def test_api_candidate_team_is_the_offices(api_client_for, candidate, teams, role, expected):
    team_a, _team_b = teams
    response = api_client_for(role).post(f"/api/v1/evaluation/candidates/{candidate.pk}/team/", {"team": team_a.pk}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert sorted(response.json()["assigned"]) == sorted(team_a.members.values_list("pk", flat=True))


def test_api_candidate_team_of_another_round_is_refused(api_client_for, candidate, municipal, city):
    from tests import factories as f

    other = services.team_save(actor=municipal, round_id=f.RoundFactory(organizer=city, status="evaluating").pk, name="外轮考评组", member_ids=[])
    response = api_client_for("municipal").post(f"/api/v1/evaluation/candidates/{candidate.pk}/team/", {"team": other.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"team": ["考评组不属于本轮。"]})


def test_api_staff_create_an_assignment_checked_for_conflicts(api_client_for, other_candidate, candidate, evaluator):
    api = api_client_for("municipal")
    response = api.post("/api/v1/evaluation/assignments/", {"candidate": other_candidate.pk, "evaluator": evaluator.pk}, format="json")
    assert (response.status_code, response.json()["evaluator"]) == (400, ["evaluator 属于沾益区，不能考评本辖区单位（R5 利益冲突回避）。"])
    response = api.post("/api/v1/evaluation/assignments/", {"candidate": candidate.pk, "evaluator": evaluator.pk}, format="json")
    assert (response.status_code, response.json()["state"]) == (201, "pending")
    assert api_client_for("evaluator").post("/api/v1/evaluation/assignments/", {"candidate": candidate.pk, "evaluator": evaluator.pk},
                                            format="json").status_code == 404


def test_withdrawing_keeps_the_draft_on_file(declared, evaluator, municipal, eval_round):
    card = services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))
    services.assignment_withdraw(actor=municipal, assignment_id=declared.pk, reason="调整")
    card.refresh_from_db()
    assert (card.state, card.total) == (ScorecardState.DRAFT, 90)
