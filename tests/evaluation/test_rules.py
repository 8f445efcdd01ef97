"""Who may do what (evaluation.rules): one predicate per decision, asked the same way by the portal, the API,
the import and the services. A superuser is the municipal office: rules that name who decides hold for it too."""
import pytest

from evaluation import services
from qujing_disclosure.core.errors import NotPermitted

from .factories import full_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet_team(eval_round, candidate, panel, municipal, evaluator):
    """panel0 leads a team of panel0 and the 沾益区 evaluator, who is assigned 麒麟区's candidate."""
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, evaluator.pk],
                              leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    return team


def _who(request, panel, who):
    return {"leader": panel[0], "member": panel[1]}.get(who) or request.getfixturevalue(who)


@pytest.mark.parametrize("who, allowed", [("evaluator", True), ("municipal", False), ("admin", False), ("leading", False),
                                          ("other_evaluator", False), ("county_user", False)])
def test_only_the_assigned_evaluator_scores(request, assignment, who, allowed):
    assert request.getfixturevalue(who).has_perm("evaluation.score", assignment) is allowed


@pytest.mark.parametrize("who, allowed", [("leader", True), ("municipal", True), ("admin", True), ("evaluator", False),
                                          ("leading", False), ("county_user", False), ("org_user", False)])
def test_the_score_sheet_is_handled_by_the_office_and_the_team_leader(request, sheet_team, panel, who, allowed):
    assert _who(request, panel, who).has_perm("evaluation.handle_scoresheet", sheet_team) is allowed


@pytest.mark.parametrize("who, allowed", [("leader", True), ("municipal", True), ("admin", True), ("evaluator", False),
                                          ("member", False), ("leading", False)])
def test_paper_scores_are_entered_by_whoever_handles_the_sheet_of_the_evaluators_team(request, sheet_team, assignment, panel, who, allowed):
    assert _who(request, panel, who).has_perm("evaluation.enter_paper_scores", assignment) is allowed


@pytest.mark.parametrize("who, allowed", [("municipal", True), ("admin", True), ("leading", True), ("evaluator", False),
                                          ("county_user", False), ("org_user", False)])
def test_r7_the_deliberation_is_recorded_by_the_office_or_the_leading_group(request, eval_round, who, allowed):
    assert request.getfixturevalue(who).has_perm("evaluation.record_deliberation", eval_round) is allowed


@pytest.mark.parametrize("who, allowed", [("municipal", True), ("admin", True), ("county_user", True), ("other_county_user", False),
                                          ("leading", False), ("evaluator", False), ("org_user", False)])
def test_r20_inspections_are_recorded_by_the_office_or_the_units_county_office(request, org, who, allowed):
    assert request.getfixturevalue(who).has_perm("evaluation.record_inspection", org) is allowed


@pytest.mark.parametrize("who, allowed", [("evaluator", False), ("municipal", True), ("admin", True), ("leading", True)])
def test_r5_materials_open_to_the_evaluator_only_once_declared(request, assignment, who, allowed):
    assert request.getfixturevalue(who).has_perm("evaluation.read_materials", assignment) is allowed


def test_a_superuser_neither_declares_nor_scores_for_an_evaluator(assignment, declared, admin, eval_round):
    with pytest.raises(NotPermitted):
        services.assignment_declare(actor=admin, assignment_id=assignment.pk, conflict=True, note="代为声明")
    with pytest.raises(NotPermitted):
        services.scorecard_save(actor=admin, assignment_id=declared.pk, scores=full_scores(eval_round.evaluation_table))
    with pytest.raises(NotPermitted):
        services.scorecard_submit(actor=admin, assignment_id=declared.pk)


def test_r5_materials_open_to_the_evaluator_once_declared(declared, evaluator, other_evaluator):
    assert (evaluator.has_perm("evaluation.read_materials", declared), other_evaluator.has_perm("evaluation.read_materials", declared)) == (
        True, False)
