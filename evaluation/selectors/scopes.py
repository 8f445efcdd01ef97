"""Who reads what of evaluation: every list and detail in the portal, the API and the admin starts here.

`<entity>_list_for(user)` is the queryset the user may read; `<entity>_get_for(user: User | None, pk: int)` one row of it,
or 404 — out of scope and missing look alike, everywhere (the API's `get_queryset()` returns these).
Roles come from core.access; a superuser reads as the municipal office.
"""
from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.access import is_county, is_evaluator, is_municipal, sees_everything
from qujing_disclosure.core.models import Role, User
from sites.enums import RoundStatus
from sites.models import ApplicationMaterial, Round

from ..enums import ASSIGNMENT_ACTIVE_STATES, AssignmentState, CandidateKind, ScorecardState, StoryStatus
from ..models import (
    Assignment,
    Candidate,
    CaseStory,
    Deliberation,
    DemocraticEvaluation,
    EvaluationTable,
    Evidence,
    Inspection,
    Objection,
    Publicity,
    Revocation,
    Scorecard,
    SubsidyPayment,
    Team,
)

RESULTS_PUBLISHED = (RoundStatus.PUBLICITY, RoundStatus.FINISHED)


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


# --- rounds ------------------------------------------------------------------------------------
def evaluation_round_list_for(user: User | None) -> QuerySet[Round]:
    """The rounds whose evaluation the user follows (ranking, calibration, list, publicity, award):
    the municipal office and the leading group, every round; nobody else."""
    qs = Round.objects.select_related("organizer")
    return qs if sees_everything(user) else qs.none()


def evaluation_round_get_for(user: User | None, pk: int) -> Round:
    return get_object_or_404(evaluation_round_list_for(user), pk=pk)


# --- candidates ---------------------------------------------------------------------------------
def candidate_results_list_for(user: User | None) -> QuerySet[Candidate]:
    """Candidates whose results (scores beside inspection and disclosure records, R6, R20) the user reads:
    staff, every one; a county office its jurisdiction's once the round's publicity has opened."""
    qs = Candidate.objects.select_related("round", "organization", "jurisdiction", "application", "designation", "team")
    if sees_everything(user):
        return qs
    if is_county(user):
        return qs.filter(jurisdiction_id=user.jurisdiction_id, round__status__in=RESULTS_PUBLISHED)
    return qs.none()


def candidate_results_get_for(user: User | None, pk: int) -> Candidate:
    return get_object_or_404(candidate_results_list_for(user), pk=pk)


def candidate_list_for(user: User | None) -> QuerySet[Candidate]:
    """Staff: every candidate. Evaluator: those assigned to them (not declared conflicted, R5).
    County office: its jurisdiction's candidates once the round's publicity has opened."""
    if is_evaluator(user):
        qs = Candidate.objects.select_related("round", "organization", "jurisdiction", "application", "designation", "team")
        # One condition on the same assignment row: another evaluator's conflict must not hide it (R5).
        return qs.filter(Exists(Assignment.objects.filter(candidate=OuterRef("pk"), evaluator=user, state__in=ASSIGNMENT_ACTIVE_STATES)))
    return candidate_results_list_for(user)


def candidate_get_for(user: User | None, pk: int) -> Candidate:
    return get_object_or_404(candidate_list_for(user), pk=pk)


def reevaluation_list_for(user: User | None) -> QuerySet[Candidate]:
    """R10: the re-evaluated sites whose outcome the municipal office decides (nobody else)."""
    qs = Candidate.objects.filter(kind=CandidateKind.REEVALUATION).select_related("round", "designation", "organization")
    return qs if is_municipal(user) else qs.none()


def reevaluation_get_for(user: User | None, pk: int) -> Candidate:
    return get_object_or_404(reevaluation_list_for(user), pk=pk)


# --- assignments and scorecards -------------------------------------------------------------------
def assignment_list_for(user: User | None, *, own: bool = False) -> QuerySet[Assignment]:
    """Staff read every assignment; anyone else their own (what they score). `own=True`: only the user's
    own, for staff too (the pages where one declares and scores). A withdrawn assignment is no longer
    the evaluator's work (it stays on record for staff)."""
    qs = Assignment.objects.select_related(
        "candidate__round", "candidate__organization", "candidate__jurisdiction", "evaluator", "scorecard"
    )
    if sees_everything(user) and not own:
        return qs
    if _signed_in(user):
        return qs.filter(evaluator=user).exclude(state=AssignmentState.WITHDRAWN)
    return qs.none()


def assignment_get_for(user: User | None, pk: int, *, own: bool = False) -> Assignment:
    return get_object_or_404(assignment_list_for(user, own=own), pk=pk)


def assignment_material_get_for(user: User | None, assignment_pk: int, material_pk: int) -> ApplicationMaterial:
    """R5: an application material of a candidate, for its evaluator once they declared no conflict."""
    assignment = get_object_or_404(assignment_list_for(user, own=True).filter(state=AssignmentState.DECLARED), pk=assignment_pk)
    return get_object_or_404(ApplicationMaterial, pk=material_pk, application_id=assignment.candidate.application_id)


def scorecard_list_for(user: User | None) -> QuerySet[Scorecard]:
    """Scorecards: the municipal office (which reopens them) every one; an evaluator their own."""
    qs = Scorecard.objects.select_related("assignment__candidate__round", "assignment__evaluator")
    if is_municipal(user):
        return qs
    if _signed_in(user):
        return qs.filter(assignment__evaluator=user).exclude(assignment__state=AssignmentState.WITHDRAWN)
    return qs.none()


def scorecard_get_for(user: User | None, pk: int) -> Scorecard:
    return get_object_or_404(scorecard_list_for(user), pk=pk)


def panel_scorecards_for(user: User | None, candidate: Candidate) -> QuerySet[Scorecard]:
    """Other evaluators' submitted scorecards: staff always; an evaluator only after submitting their own (R4)."""
    qs = (Scorecard.objects.filter(assignment__candidate=candidate, state=ScorecardState.SUBMITTED)
          .select_related("assignment__evaluator").prefetch_related("scores__criterion").order_by("assignment__evaluator__username"))
    if sees_everything(user):
        return qs
    own = Scorecard.objects.filter(assignment__candidate=candidate, assignment__evaluator=user, state=ScorecardState.SUBMITTED).exists()
    return qs if own else qs.none()


# --- tables, teams, democratic evaluation ------------------------------------------------------------
def table_list_for(user: User | None) -> QuerySet[EvaluationTable]:
    """The evaluation tables: staff and the leading group every one; an evaluator those of the rounds
    they are assigned in (their criteria, maxima and methods)."""
    qs = EvaluationTable.objects.select_related("round").prefetch_related("criteria")
    if sees_everything(user):
        return qs
    rounds = assignment_list_for(user, own=True).filter(state__in=ASSIGNMENT_ACTIVE_STATES).values("candidate__round_id")
    return qs.filter(round_id__in=rounds)


def team_list_for(user: User | None) -> QuerySet[Team]:
    """Evaluation teams (R5): staff and the leading group every one; an evaluator the teams they belong to."""
    qs = Team.objects.select_related("round", "leader").prefetch_related(Prefetch("members", queryset=User.objects.order_by("username")))
    if sees_everything(user):
        return qs
    if is_evaluator(user):
        return qs.filter(members=user)
    return qs.none()


def team_get_for(user: User | None, pk: int) -> Team:
    return get_object_or_404(team_list_for(user), pk=pk)


def team_led_exists(user: User | None) -> bool:
    """The user leads at least one team (their menu shows the team sheets)."""
    return is_evaluator(user) and Team.objects.filter(leader=user).exists()


def democratic_list_for(user: User | None) -> QuerySet[DemocraticEvaluation]:
    """民主测评 records (R4, R19): staff and the leading group all; an evaluator those of candidates they
    declared no conflict for (R5); a county office its candidates' once the publicity opens."""
    qs = DemocraticEvaluation.objects.select_related("candidate__round")
    if is_evaluator(user):
        return qs.filter(candidate__in=Assignment.objects.filter(evaluator=user, state=AssignmentState.DECLARED).values("candidate_id"))
    if sees_everything(user):
        return qs
    return qs.filter(candidate__in=candidate_results_list_for(user).values("pk"))


# --- inspections (R20) -------------------------------------------------------------------------------
def inspection_list_for(user: User | None) -> QuerySet[Inspection]:
    """Inspections and special checks: staff and the leading group every one; a county office those of
    its own jurisdiction; nobody else."""
    qs = Inspection.objects.select_related("organization", "jurisdiction")
    if sees_everything(user):
        return qs
    if is_county(user):
        return qs.filter(jurisdiction_id=user.jurisdiction_id)
    return qs.none()


# --- deliberation, objections, subsidies, stories ----------------------------------------------------
def deliberation_list_for(user: User | None) -> QuerySet[Deliberation]:
    """R7: the leading group's recorded deliberations, for the office and the group."""
    qs = Deliberation.objects.select_related("round")
    return qs if sees_everything(user) else qs.none()


def objection_list_for(user: User | None) -> QuerySet[Objection]:
    """The municipal office only (it handles them): the objections with the objector's contact details.
    The leading group reads the list and the answers on the public pages, never the contacts (R8)."""
    qs = Objection.objects.select_related("publicity__round", "entry__application__organization", "handled_by")
    return qs if is_municipal(user) else qs.none()


def objection_get_for(user: User | None, pk: int) -> Objection:
    return get_object_or_404(objection_list_for(user), pk=pk)


def publicity_list_for(user: User | None) -> QuerySet[Publicity]:
    """Every publicity with its dates and state, for the office and the leading group (the public reads
    the running ones through publicity.publicity_current)."""
    qs = Publicity.objects.select_related("round")
    return qs if sees_everything(user) else qs.none()


def revocation_list_for(user: User | None) -> QuerySet[Revocation]:
    """R10: the recorded revocation decisions, for the office and the leading group."""
    qs = Revocation.objects.select_related("designation__organization", "candidate__round")
    return qs if sees_everything(user) else qs.none()


def subsidy_list_for(user: User | None) -> QuerySet[SubsidyPayment]:
    """R9: the subsidy payments and their steps, for the municipal office."""
    qs = SubsidyPayment.objects.select_related("designation__organization", "designation__jurisdiction", "designation__round")
    return qs if is_municipal(user) else qs.none()


def subsidy_get_for(user: User | None, pk: int) -> SubsidyPayment:
    return get_object_or_404(subsidy_list_for(user), pk=pk)


def story_list_for(user: User | None) -> QuerySet[CaseStory]:
    """Staff read every story (drafts included); everyone else the published ones."""
    qs = CaseStory.objects.select_related("designation__organization", "designation__jurisdiction").order_by(
        F("published_at").desc(nulls_last=True), "-id")  # drafts (never published) after the published, on every database
    return qs if sees_everything(user) else qs.filter(status=StoryStatus.PUBLISHED)


# --- files (core.media checkers) and notices ---------------------------------------------------------
def evidence_download_allowed(user: User | None, path: str) -> bool:
    """Evidence files: staff, and the evaluator who uploaded them."""
    if sees_everything(user):
        return True
    return _signed_in(user) and Evidence.objects.filter(file=path, scorecard__assignment__evaluator=user).exists()


def staff_file_download_allowed(user: User | None, path: str) -> bool:
    """Minutes and revocation decisions: the office and the leading group."""
    return sees_everything(user)


def story_photo_download_allowed(user: User | None, path: str) -> bool:
    """Case-story photos are public once the story is published (R8a)."""
    return sees_everything(user) or CaseStory.objects.filter(photo=path, status=StoryStatus.PUBLISHED).exists()


def county_office_emails(jurisdiction_id: int) -> list[str]:
    """The addresses of a jurisdiction's county office users, for the notices of listing, award and revocation."""
    return list(
        User.objects.filter(role=Role.COUNTY, jurisdiction_id=jurisdiction_id, is_active=True)
        .exclude(email="").values_list("email", flat=True)
    )
