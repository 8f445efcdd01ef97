"""Who may do what in evaluation, publicity and award (django-rules), built from core.access's roles.

Every "may this user do X" of the app is one permission here; the portal, the API, the import and the
services ask the same question (`user.has_perm("evaluation.handle_scoresheet", team)`). A superuser is
the municipal office (core.access.role_of) and is asked these rules like anyone else, so rules that
name who decides — an evaluator's own score (`evaluation.score`) — hold for superusers too.
"""
import rules

from qujing_disclosure.core.access import in_own_jurisdiction, is_county, is_evaluator, is_leading_group, is_municipal, sees_everything
from sites.enums import RoundStatus

from .enums import AssignmentState


def _assignment_of(obj):
    """An assignment, or the assignment of a scorecard."""
    return getattr(obj, "assignment", obj)


@rules.predicate
def is_assigned_evaluator(user, assignment):
    """The assignment (or scorecard) is this user's own."""
    if assignment is None or user is None or not user.is_authenticated:
        return False
    return _assignment_of(assignment).evaluator_id == user.id


@rules.predicate
def declared_no_conflict(user, assignment):
    """R5: the evaluator has declared no conflict of interest, so the candidate's materials are open."""
    return assignment is not None and _assignment_of(assignment).state == AssignmentState.DECLARED


@rules.predicate
def results_published(user, candidate):
    """A county office reads its candidates' results once the publicity opens."""
    return candidate is not None and candidate.round.status in (RoundStatus.PUBLICITY, RoundStatus.FINISHED)


@rules.predicate
def leads_team(user, team):
    """The user is the leader of this evaluation team."""
    return team is not None and user is not None and user.is_authenticated and team.leader_id == user.pk


@rules.predicate
def _no_object(user, obj):
    return obj is None


# A team's paper score sheet (download, upload) is handled by the municipal office and the team's leader.
may_handle_scoresheet = is_municipal | leads_team


@rules.predicate
def handles_sheet_of(user, assignment):
    """The user may handle the score sheet of the team the assignment's evaluator scores in (paper visits)."""
    if assignment is None:
        return False
    candidate = _assignment_of(assignment).candidate
    team = candidate.team
    if team is None or not may_handle_scoresheet(user, team):
        return False
    return team.members.filter(pk=_assignment_of(assignment).evaluator_id).exists()


# Staff work: tables, teams, assignments, reopening, ranking, list, publicity, objections, award, revocation, stories.
rules.add_perm("evaluation.manage", is_municipal)
rules.add_perm("evaluation.evaluate", is_evaluator | is_municipal)
rules.add_perm("evaluation.view_ranking", sees_everything)
# R7: the leading group's deliberation is recorded by the office or a member of the group.
rules.add_perm("evaluation.record_deliberation", is_municipal | is_leading_group)
# R4/R5: an evaluator writes only their own scorecards.
rules.add_perm("evaluation.score", is_assigned_evaluator)
# R5: a candidate's materials and democratic-evaluation suggestion open once no conflict is declared; staff always.
rules.add_perm("evaluation.read_materials", sees_everything | (is_assigned_evaluator & declared_no_conflict))
rules.add_perm("evaluation.handle_scoresheet", may_handle_scoresheet)
# Paper visits: the sheet's handler enters (and declares, R5) on the evaluator's behalf what was signed on paper.
rules.add_perm("evaluation.enter_paper_scores", handles_sheet_of)
rules.add_perm("evaluation.view_candidate_results", sees_everything | (in_own_jurisdiction & results_published))
rules.add_perm("evaluation.view_county_results", is_county)
# R20: the municipal office and a county office (in its jurisdiction) inspect.
# Without an object (the form) any county office may record; with one, only in its own jurisdiction.
rules.add_perm("evaluation.record_inspection", is_municipal | (is_county & (in_own_jurisdiction | _no_object)))
rules.add_perm("evaluation.view_inspections", sees_everything | is_county)
