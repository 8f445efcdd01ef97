"""Who may do what in evaluation, publicity and award (django-rules), built from core.access."""
import rules

from qujing_disclosure.core.access import in_own_jurisdiction, is_county, is_evaluator, is_leading_group, is_municipal, sees_everything


@rules.predicate
def is_assigned_evaluator(user, assignment):
    """The assignment (or scorecard) is this user's own."""
    if assignment is None or user is None or not user.is_authenticated:
        return False
    assignment = getattr(assignment, "assignment", assignment)
    return assignment.evaluator_id == user.id


@rules.predicate
def results_published(user, candidate):
    """A county office reads its candidates' results once the publicity opens."""
    from sites.enums import RoundStatus

    return candidate is not None and candidate.round.status in (RoundStatus.PUBLICITY, RoundStatus.FINISHED)


@rules.predicate
def _no_object(user, obj):
    return obj is None


may_evaluate = is_evaluator | is_municipal

# Staff work: tables, teams, assignments, reopening, ranking, list, publicity, objections, award, revocation, stories.
rules.add_perm("evaluation.manage", is_municipal)
rules.add_perm("evaluation.evaluate", may_evaluate)
rules.add_perm("evaluation.view_ranking", sees_everything)
# R7: the leading group's deliberation is recorded by the office or a member of the group.
rules.add_perm("evaluation.record_deliberation", is_municipal | is_leading_group)
# R4/R5: an evaluator writes only their own scorecards.
rules.add_perm("evaluation.score", is_assigned_evaluator)
rules.add_perm("evaluation.view_candidate_results", sees_everything | (in_own_jurisdiction & results_published))
# R20: the municipal office and a county office (in its jurisdiction) inspect.
# Without an object (the form) any county office may record; with one, only in its own jurisdiction.
rules.add_perm("evaluation.record_inspection", is_municipal | (is_county & (in_own_jurisdiction | _no_object)))
rules.add_perm("evaluation.view_inspections", sees_everything | is_county)
