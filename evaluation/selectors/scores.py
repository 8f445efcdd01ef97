"""Reads of the evaluation itself: the panel's score of a candidate, the democratic-evaluation suggestion,
whether a table may still change, conflicts of interest (R5) and the current preliminary list.

Plain reads with no user scope: callers have already loaded what the user may see (scopes.py)."""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from sites.enums import ApplicationState
from sites.models import Application, Organization

from ..enums import ASSIGNMENT_ACTIVE_STATES, ScorecardState
from ..models import Assignment, Candidate, Criterion, DemocraticEvaluation, EvaluationTable, Scorecard

CENT = Decimal("0.01")


def _q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value) -> str:
    """A Decimal without trailing zeros for messages: 20.00 → "20", 20.50 → "20.5"."""
    return format(Decimal(value).normalize(), "f")


def aggregate_totals(totals: Iterable) -> dict | None:
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


def candidate_aggregate(candidate: Candidate) -> dict | None:
    """aggregate_totals of a candidate's submitted scorecards, with `pending` = assigned evaluators
    (not off for a conflict) who have not submitted yet. None when nobody has submitted."""
    return candidate_aggregates([candidate.pk]).get(candidate.pk)


def candidate_aggregates(candidate_ids: Iterable[int]) -> dict[int, dict]:
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


def democratic_suggestion(criterion: Criterion | None, democratic: DemocraticEvaluation | None) -> Decimal | None:
    """R19: the 民主测评 satisfaction rate feeds the table as rate × the criterion's maximum (two decimals),
    for the criterion fed by democratic evaluation; None otherwise or without ballots."""
    if criterion is None or not criterion.fed_by_democratic or democratic is None or democratic.satisfaction_rate is None:
        return None
    return (criterion.max_points * democratic.satisfaction_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def suggested_points(candidate: Candidate, criteria: Iterable[Criterion]) -> dict[int, Decimal]:
    """{criterion id: suggested points} of a candidate (only the criterion fed by democratic evaluation)."""
    democratic = getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None
    suggestions = {c.pk: democratic_suggestion(c, democratic) for c in criteria}
    return {pk: value for pk, value in suggestions.items() if value is not None}


def table_is_locked(table: EvaluationTable) -> bool:
    """A table whose scores have been submitted can no longer change (every card must use the same table)."""
    return Scorecard.objects.filter(assignment__candidate__round_id=table.round_id, state=ScorecardState.SUBMITTED).exists()


def _org_chain(organization: Organization | None) -> list[int]:
    """The organisation and all its superiors (ids), guarding against a cycle."""
    chain = []
    while organization is not None and organization.pk not in chain:
        chain.append(organization.pk)
        organization = organization.parent
    return chain


def conflict_of_interest(evaluator, candidate: Candidate) -> str | None:
    """R5: why `evaluator` may not score `candidate`, or None.

    Kept out by the organisation tree: the evaluator's own jurisdiction, their own unit, a unit above
    theirs and a unit below theirs."""
    if evaluator.jurisdiction_id and evaluator.jurisdiction_id == candidate.jurisdiction_id:
        return _("%(user)s 属于%(jurisdiction)s，不能考评本辖区单位（R5 利益冲突回避）。") % {
            "user": evaluator, "jurisdiction": candidate.jurisdiction.name}
    if evaluator.organization_id:
        own = Organization.objects.filter(pk=evaluator.organization_id).select_related("parent").first()
        if evaluator.organization_id in _org_chain(candidate.organization) or candidate.organization_id in _org_chain(own):
            return _("%(user)s 与%(org)s属同一党组织体系（本单位或上下级），不能考评（R5 利益冲突回避）。") % {
                "user": evaluator, "org": candidate.organization.name}
    return None


def current_list_ids(round_id: int) -> list[int]:
    """The applications on a round's preliminary list (R6), by id."""
    return sorted(Application.objects.filter(round_id=round_id, state=ApplicationState.SHORTLISTED).values_list("pk", flat=True))
