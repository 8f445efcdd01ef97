"""Reads of evaluation, publicity and award, always scoped to the user."""
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qujing_disclosure.core.access import is_county, is_evaluator, is_municipal, sees_everything
from sites.enums import DesignationStatus, RoundStatus
from sites.models import Quota

from .enums import (
    ASSIGNMENT_ACTIVE_STATES,
    OBJECTION_OPEN_STATES,
    RATING_POINTS,
    AssignmentState,
    CandidateKind,
    PublicityStatus,
    ScorecardState,
    StoryStatus,
)
from .models import Assignment, Candidate, CaseStory, Inspection, Objection, Publicity, Scorecard

CENT = Decimal("0.01")


def _q(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate_totals(totals):
    """The panel's score of a candidate from the evaluators' totals.

    Mean of the evaluators; with EVALUATION_TRIM_FROM (5) or more evaluators the highest and the
    lowest total are dropped first (trimmed mean). Median and spread (max − min) show disagreement."""
    totals = sorted(Decimal(t) for t in totals)
    n = len(totals)
    if not n:
        return None
    trimmed = n >= settings.EVALUATION_TRIM_FROM
    used = totals[1:-1] if trimmed else totals
    return {
        "n": n,
        "trimmed": trimmed,
        "score": _q(sum(used) / len(used)),
        "mean": _q(sum(totals) / n),
        "median": _q(statistics.median(totals)),
        "spread": _q(totals[-1] - totals[0]),
        "min": totals[0],
        "max": totals[-1],
        "totals": totals,
    }


def candidate_aggregate(candidate):
    """aggregate_totals of a candidate's submitted scorecards, with `pending` = assigned evaluators
    (not off for a conflict) who have not submitted yet. None when nobody has submitted."""
    return candidate_aggregates([candidate.pk]).get(candidate.pk)


def candidate_aggregates(candidate_ids):
    """{candidate id: candidate_aggregate} for many candidates in one query (absent: nobody submitted).
    Evaluators off the candidate (a declared conflict, R5, or a withdrawn assignment) do not count."""
    submitted, pending = defaultdict(list), defaultdict(int)
    for candidate_id, card_state, total in Assignment.objects.filter(
        candidate_id__in=list(candidate_ids), state__in=ASSIGNMENT_ACTIVE_STATES
    ).values_list("candidate_id", "scorecard__state", "scorecard__total"):
        if card_state == ScorecardState.SUBMITTED:
            submitted[candidate_id].append(total)
        else:
            pending[candidate_id] += 1
    result = {}
    for candidate_id, totals in submitted.items():
        agg = aggregate_totals(totals)
        agg["pending"] = pending[candidate_id]
        result[candidate_id] = agg
    return result


def democratic_suggestion(criterion, democratic):
    """R19: the 民主测评 satisfaction rate feeds the table as rate × the criterion's maximum (two decimals),
    for the criterion fed by democratic evaluation; None otherwise or without ballots."""
    if criterion is None or not criterion.fed_by_democratic or democratic is None or democratic.satisfaction_rate is None:
        return None
    return (criterion.max_points * democratic.satisfaction_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def suggested_points(candidate, criteria):
    """{criterion id: suggested points} of a candidate (only the criterion fed by democratic evaluation)."""
    democratic = getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None
    suggestions = {c.pk: democratic_suggestion(c, democratic) for c in criteria}
    return {pk: value for pk, value in suggestions.items() if value is not None}


# --- scoping -----------------------------------------------------------------------------
def candidate_list_for(user):
    """Staff: every candidate. Evaluator: those assigned to them (not declared conflicted, R5).
    County office: its jurisdiction's candidates once the round's publicity has opened."""
    qs = Candidate.objects.select_related("round", "organization", "jurisdiction", "application", "designation", "team")
    if sees_everything(user):
        return qs
    if is_evaluator(user):
        # One condition on the same assignment row: another evaluator's conflict must not hide it (R5).
        return qs.filter(Exists(Assignment.objects.filter(candidate=OuterRef("pk"), evaluator=user, state__in=ASSIGNMENT_ACTIVE_STATES)))
    if is_county(user):
        return qs.filter(jurisdiction_id=user.jurisdiction_id, round__status__in=[RoundStatus.PUBLICITY, RoundStatus.FINISHED])
    return qs.none()


def assignment_list_for(user):
    """An evaluator's own assignments (what they score); staff read all."""
    qs = Assignment.objects.select_related(
        "candidate__round", "candidate__organization", "candidate__jurisdiction", "evaluator", "scorecard"
    )
    if sees_everything(user):
        return qs
    if user is not None and user.is_authenticated:
        # A withdrawn assignment is no longer the evaluator's work (it stays on record for staff).
        return qs.filter(evaluator=user).exclude(state=AssignmentState.WITHDRAWN)
    return qs.none()


def assignment_get_for(user, pk):
    return get_object_or_404(assignment_list_for(user), pk=pk)


def panel_scorecards_for(user, candidate):
    """Other evaluators' submitted scorecards: staff always; an evaluator only after submitting their own."""
    qs = (Scorecard.objects.filter(assignment__candidate=candidate, state=ScorecardState.SUBMITTED)
          .select_related("assignment__evaluator").prefetch_related("scores__criterion").order_by("assignment__evaluator__username"))
    if sees_everything(user):
        return qs
    own = Scorecard.objects.filter(assignment__candidate=candidate, assignment__evaluator=user, state=ScorecardState.SUBMITTED).exists()
    return qs if own else qs.none()


def inspections_for_organizations(org_ids):
    """Per organisation: count, latest date and rating, average rating points (R6, R20). One query."""
    summary = defaultdict(lambda: {"count": 0, "latest": None, "latest_rating": None, "points": []})
    for row in Inspection.objects.filter(organization_id__in=org_ids).order_by("organization_id", "-inspected_on", "-id").values(
        "organization_id", "inspected_on", "rating", "kind"
    ):
        item = summary[row["organization_id"]]
        item["count"] += 1
        if item["latest"] is None:
            item["latest"], item["latest_rating"] = row["inspected_on"], row["rating"]
        item["points"].append(RATING_POINTS[row["rating"]])
    for item in summary.values():
        item["average"] = round(sum(item["points"]) / len(item["points"]), 1) if item["points"] else None
    return summary


def _percent(rate):
    """A 0–1 rate as a percentage with one decimal (None stays None)."""
    return None if rate is None else (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def disclosure_summary(record):
    """What the evaluation pages show of one organisation's disclosure record (R6, R20), from a
    `disclosure.selectors.inspection_record_for` entry: rates as percentages, and `concerns`, the
    number of things that count against the unit (missed months, display breaches, overdue
    rectifications, feedback answered late or not at all)."""
    satisfaction = record["satisfaction"]
    return {
        "published": record["published"], "on_time": record["on_time"], "late": record["late"],
        "on_time_rate": _percent(record["on_time_rate"]),
        "missed": record["missed"], "display_breaches": record["display_breaches"],
        "entries": record["entries"], "entries_covered": record["entries_covered"], "coverage_rate": _percent(record["coverage_rate"]),
        "feedback": record["feedback"], "feedback_answered_in_time": record["feedback_answered_in_time"],
        "feedback_overdue": record["feedback_overdue"],
        "rectifications": record["rectifications"], "rectifications_open": record["rectifications_open"],
        "rectifications_overdue": record["rectifications_overdue"],
        "ratings": satisfaction["total"], "satisfaction_rate": _percent(satisfaction["rate"]),
        "concerns": record["missed"] + record["display_breaches"] + record["rectifications_overdue"] + record["feedback_overdue"],
    }


def disclosure_records(organization_ids, *, today=None):
    """{org_id: disclosure_summary} over the 12 months up to today (China time), in a fixed number
    of queries whatever the number of organisations (disclosure.selectors.inspection_record_for)."""
    from disclosure.selectors import inspection_record_for

    records = inspection_record_for(list(dict.fromkeys(organization_ids)), today=today)
    return {org_id: disclosure_summary(record) for org_id, record in records.items()}


# --- ranking and calibration ---------------------------------------------------------------
@dataclass
class RankedCandidate:
    """What the ranking shows of one candidate (plain values: a thousand of them load fast)."""

    pk: int
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    organization_id: int
    organization_name: str
    jurisdiction_id: int
    application_id: int | None
    application_state: str | None
    application_state_label: str | None
    designation_id: int | None
    plaque_number: str | None
    revocation_ref: str | None = None
    revoked_on: datetime.date | None = None
    plaque_recalled_on: datetime.date | None = None

    @property
    def status_label(self):
        return self.application_state_label if self.application_id else self.outcome_label


def _satisfaction(satisfied, basic, dissatisfied):
    ballots = (satisfied or 0) + (basic or 0) + (dissatisfied or 0)
    if satisfied is None or not ballots:
        return None
    return (Decimal(satisfied + basic) * 100 / Decimal(ballots)).quantize(Decimal("0.1"))


def ranking(round_, *, today=None):
    """Every candidate of a round with its panel score, median, spread, satisfaction rate, inspection
    record (evaluation's own inspections) and disclosure record (the disclosure app's compliance
    figures of the last 12 months), grouped by jurisdiction in rank order, with the quota's cut
    line (R2, R6, R20). Revoked re-evaluations carry their revocation decision (R10).
    A fixed number of queries whatever the size."""
    from sites.enums import ApplicationState
    from sites.models import Jurisdiction

    from .enums import ReevaluationOutcome

    kinds = {v: str(label) for v, label in CandidateKind.choices}
    states = {v: str(label) for v, label in ApplicationState.choices}
    outcomes = {v: str(label) for v, label in ReevaluationOutcome.choices}
    candidates, satisfaction = [], {}
    for row in Candidate.objects.filter(round=round_).order_by("pk").values_list(
        "pk", "kind", "outcome", "organization_id", "organization__name", "jurisdiction_id", "application_id", "application__state",
        "designation_id", "designation__plaque_number", "democratic__satisfied", "democratic__basically_satisfied", "democratic__dissatisfied",
        "revocation__decision_ref", "revocation__decided_on", "revocation__plaque_recalled_on",
    ):
        pk, kind, outcome, org_id, org_name, jur_id, app_id, app_state, des_id, plaque, sat, basic, dis, ref, decided, recalled = row
        candidates.append(RankedCandidate(pk, kind, kinds[kind], outcome, outcomes[outcome], org_id, org_name, jur_id, app_id, app_state,
                                          states.get(app_state), des_id, plaque, ref, decided, recalled))
        satisfaction[pk] = _satisfaction(sat, basic, dis)
    cards = defaultdict(list)
    pending = defaultdict(int)
    for candidate_id, state, card_state, total in Assignment.objects.filter(candidate__round=round_).values_list(
        "candidate_id", "state", "scorecard__state", "scorecard__total"
    ):
        if state not in ASSIGNMENT_ACTIVE_STATES:
            continue
        if card_state == ScorecardState.SUBMITTED:
            cards[candidate_id].append(total)
        else:
            pending[candidate_id] += 1
    inspections = inspections_for_organizations([c.organization_id for c in candidates])
    disclosure = disclosure_records([c.organization_id for c in candidates], today=today) if candidates else {}
    slots = dict(Quota.objects.filter(round=round_).values_list("jurisdiction_id", "slots"))
    jurisdictions = {j.pk: j for j in Jurisdiction.objects.filter(pk__in={c.jurisdiction_id for c in candidates})}
    groups = defaultdict(list)
    for c in candidates:
        agg = aggregate_totals(cards[c.pk])
        groups[c.jurisdiction_id].append({
            "candidate": c, "agg": agg, "pending": pending[c.pk], "score": agg["score"] if agg else None,
            "satisfaction": satisfaction[c.pk], "inspections": inspections.get(c.organization_id),
            "disclosure": disclosure.get(c.organization_id),
            "below_pass": bool(agg) and agg["score"] < round_.pass_mark,
        })
    result = []
    for jurisdiction in sorted((jurisdictions[j] for j in groups), key=lambda j: (j.sort_order, j.pk)):
        items = sorted(groups[jurisdiction.pk], key=lambda r: (r["score"] is None, -(r["score"] or 0), r["candidate"].organization_name))
        new = [r for r in items if r["candidate"].kind == CandidateKind.NEW]
        quota = slots.get(jurisdiction.pk, 0)
        for position, row in enumerate(new, start=1):
            row["rank"] = position
            row["within_quota"] = position <= quota
            row["cut_after"] = position == quota and len(new) > quota
        result.append({
            "jurisdiction": jurisdiction, "slots": quota, "new": new,
            "reevaluation": [r for r in items if r["candidate"].kind == CandidateKind.REEVALUATION],
        })
    return result


def calibration(round_):
    """How far each evaluator sits from the panel: for every submitted scorecard, its total minus the
    candidate's mean of all submitted totals; per evaluator the mean and the individual deviations."""
    rows = list(
        Scorecard.objects.filter(assignment__candidate__round=round_, state=ScorecardState.SUBMITTED)
        .values_list("assignment__candidate_id", "assignment__evaluator_id", "assignment__evaluator__username",
                     "assignment__evaluator__first_name", "assignment__evaluator__last_name", "total")
    )
    by_candidate = defaultdict(list)
    for candidate_id, _e, _u, _f, _l, total in rows:
        by_candidate[candidate_id].append(total)
    means = {cid: sum(t) / len(t) for cid, t in by_candidate.items()}
    people = {}
    for candidate_id, evaluator_id, username, first, last, total in rows:
        if len(by_candidate[candidate_id]) < 2:
            continue  # nobody to compare with
        person = people.setdefault(evaluator_id, {"name": (last + first) or username, "username": username, "deviations": []})
        person["deviations"].append(float(total - means[candidate_id]))
    result = []
    for person in people.values():
        d = person["deviations"]
        person["n"] = len(d)
        person["mean"] = round(sum(d) / len(d), 2)
        person["mean_abs"] = round(sum(abs(x) for x in d) / len(d), 2)
        result.append(person)
    result.sort(key=lambda p: p["mean"])
    return result


# --- publicity and objections ---------------------------------------------------------------
def publicity_current():
    """The publicities running today (China time), with their entries: what /publicity/ shows."""
    today = timezone.localdate()
    return (
        Publicity.objects.filter(status=PublicityStatus.OPEN, starts_on__lte=today, ends_on__gte=today)
        .select_related("round")
        .prefetch_related(Prefetch("entries", queryset=_entries_qs()))
        .order_by("round__level", "pk")
    )


def _entries_qs():
    from .models import PublicityEntry

    return PublicityEntry.objects.filter(withdrawn=False).select_related("application__organization", "application__jurisdiction").order_by("position")


def objection_list_for(user):
    """The municipal office only (it handles them): the objections with the objector's contact details.
    The leading group reads the list and the answers on the public pages, never the contacts (R8)."""
    qs = Objection.objects.select_related("publicity__round", "entry__application__organization", "handled_by")
    return qs if is_municipal(user) else qs.none()


def objection_by_code(code):
    """The public receipt page: the objection by its code (the contact details are never shown there)."""
    return get_object_or_404(
        Objection.objects.select_related("publicity__round", "entry__application__organization").only(
            "code", "state", "content", "received_at", "received_on", "reply", "answered_at", "publicity__round__name",
            "publicity__starts_on", "publicity__ends_on", "entry__application__organization__name",
        ),
        code=(code or "").strip().upper(),
    )


def objections_with_deadlines(objections, calendar=None):
    """Attach .deadline (a core.workdays.Deadline) and .overdue to each objection (computed now)."""
    from qujing_disclosure.core.workdays import load_calendar

    from .services import objection_deadline

    calendar = calendar or load_calendar()
    today = timezone.localdate()
    items = list(objections)
    for o in items:
        o.deadline = objection_deadline(o, calendar)
        o.overdue = o.state in OBJECTION_OPEN_STATES and today > o.deadline.due
        o.late_answer = (not o.overdue and o.answered_at is not None and timezone.localtime(o.answered_at).date() > o.deadline.due)
    return items


def stories_published(designation=None, limit=None, *, active_sites_only=False):
    """R8a: published case stories, newest first. The home page shows only those of sites that still
    hold their title (active_sites_only); a revoked site's page keeps its history."""
    qs = CaseStory.objects.filter(status=StoryStatus.PUBLISHED).select_related("designation__organization", "designation__jurisdiction")
    if designation is not None:
        qs = qs.filter(designation=designation)
    if active_sites_only:
        qs = qs.filter(designation__status=DesignationStatus.ACTIVE)
    qs = qs.order_by("-published_at", "-id")
    return qs[:limit] if limit else qs


def story_list_for(user):
    """Staff read every story (drafts included); everyone else the published ones."""
    qs = CaseStory.objects.select_related("designation__organization", "designation__jurisdiction").order_by(
        F("published_at").desc(nulls_last=True), "-id")  # drafts (never published) after the published, on every database
    return qs if sees_everything(user) else qs.filter(status=StoryStatus.PUBLISHED)
