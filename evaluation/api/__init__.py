"""/api/v1/evaluation/… endpoints. Thin: scoped selectors for reads, evaluation.services for writes.

Scoping is the portal's: an evaluator reads and writes only their own assignments and scorecards;
a county office reads its candidates' results once the publicity opens; the public reads the
running publicity and creates objections, nothing more. Out of scope → 404; refused by a rule →
400 with the field (core/api.py). Serializers are in evaluation/serializers.py.
"""
from .public import ObjectionViewSet, PublicityViewSet, StoryViewSet
from .rounds import DeliberationViewSet, EvaluationRoundViewSet, InspectionViewSet, ReevaluationViewSet, SubsidyViewSet
from .scoring import (
    AssignmentViewSet,
    CandidateViewSet,
    DemocraticViewSet,
    EvaluationTableViewSet,
    ScorecardReopenViewSet,
    TeamViewSet,
)


def register(router):
    """Add this app's API viewsets to the /api/v1/ router."""
    router.register("evaluation/assignments", AssignmentViewSet, basename="evaluation-assignment")
    router.register("evaluation/candidates", CandidateViewSet, basename="evaluation-candidate")
    router.register("evaluation/publicity", PublicityViewSet, basename="evaluation-publicity")
    router.register("evaluation/objections", ObjectionViewSet, basename="evaluation-objection")
    router.register("evaluation/inspections", InspectionViewSet, basename="evaluation-inspection")
    router.register("evaluation/rounds", EvaluationRoundViewSet, basename="evaluation-round")
    router.register("evaluation/reevaluations", ReevaluationViewSet, basename="evaluation-reevaluation")
    router.register("evaluation/scorecards", ScorecardReopenViewSet, basename="evaluation-scorecard")
    router.register("evaluation/subsidies", SubsidyViewSet, basename="evaluation-subsidy")
    router.register("evaluation/tables", EvaluationTableViewSet, basename="evaluation-table")
    router.register("evaluation/teams", TeamViewSet, basename="evaluation-team")
    router.register("evaluation/democratic", DemocraticViewSet, basename="evaluation-democratic")
    router.register("evaluation/stories", StoryViewSet, basename="evaluation-story")
    router.register("evaluation/deliberations", DeliberationViewSet, basename="evaluation-deliberation")
