"""The ranking of a round (R2, R6, R20) and the evaluators' calibration: documents for the office and the
leading group, built in a fixed number of queries whatever the size. Callers check the reader
(`evaluation_round_get_for`)."""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from disclosure.selectors import inspection_record_for
from sites.enums import ApplicationState
from sites.models import Jurisdiction, Quota, Round

from ..enums import ASSIGNMENT_ACTIVE_STATES, RATING_POINTS, CandidateKind, ReevaluationOutcome, ScorecardState
from ..models import Assignment, Candidate, Inspection, Scorecard
from .scores import aggregate_totals


def inspections_for_organizations(org_ids: Iterable[int]) -> dict[int, dict]:
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


def _percent(rate) -> Decimal | None:
    """A 0–1 rate as a percentage with one decimal (None stays None)."""
    return None if rate is None else (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def disclosure_summary(record: dict) -> dict:
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


def disclosure_records(organization_ids: Iterable[int], *, today: datetime.date | None = None) -> dict[int, dict]:
    """{org_id: disclosure_summary} over the 12 months up to today (China time), in a fixed number
    of queries whatever the number of organisations (disclosure.selectors.inspection_record_for)."""
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


def ranking(round_: Round, *, today: datetime.date | None = None) -> list[dict]:
    """Every candidate of a round with its panel score, median, spread, satisfaction rate, inspection
    record (evaluation's own inspections) and disclosure record (the disclosure app's compliance
    figures of the last 12 months), grouped by jurisdiction in rank order, with the quota's cut
    line (R2, R6, R20). Revoked re-evaluations carry their revocation decision (R10).
    A fixed number of queries whatever the size."""
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


def calibration(round_: Round) -> list[dict]:
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
