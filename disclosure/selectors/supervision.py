"""Reads of supervision (R20): findings (the supervising office's working list) and rectification
notices (also read by the organisation they are issued to), and what a notice's history says."""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import is_county, scope_queryset, sees_everything

from ..enums import RectificationState
from ..models import Finding, Rectification

if TYPE_CHECKING:
    from qujing_disclosure.core.models import AuditEntry, User


def finding_list_for(user: User | None) -> QuerySet[Finding]:
    """Findings the user may read: the supervising offices' working list — all for staff and the leading
    group, the jurisdiction's for a county office. Organisations read the notices issued to them
    (rectification_list_for), not the findings; everyone else reads none."""
    if not (is_county(user) or sees_everything(user)):
        return Finding.objects.none()
    return scope_queryset(Finding.objects.select_related("organization", "entry", "item", "rectification"), user)


def finding_get_for(user: User | None, pk: int) -> Finding:
    """One finding the user may read, or 404."""
    return get_object_or_404(finding_list_for(user), pk=pk)


def rectification_list_for(user: User | None) -> QuerySet[Rectification]:
    """Rectification notices the user may read: staff all, a county office its jurisdiction's, an
    organisation user those issued to its organisation."""
    return scope_queryset(Rectification.objects.select_related("organization", "finding"), user)


def rectification_get_for(user: User | None, pk: int) -> Rectification:
    """One rectification notice the user may read, or 404."""
    return get_object_or_404(rectification_list_for(user), pk=pk)


def rectification_is_overdue(rectification: Rectification, today: datetime.date | None = None) -> bool:
    """R20: still open past the deadline, or closed after it (China time). The compliance figures count
    the same rule in the database (compliance.record_between)."""
    today = today or clock.today()
    if rectification.state == RectificationState.CLOSED:
        return rectification.closed_on is not None and rectification.closed_on > rectification.deadline
    return today > rectification.deadline


def rectification_exchange(notice: Rectification, history: Iterable[AuditEntry]) -> list[dict]:
    """R20: the whole exchange of a rectification notice, oldest first: each report the organisation sent
    and what the office answered (sent back with a reason, or closed).

    [{"n", "report", "reported_at", "reported_by", "outcome": "returned"|"closed"|None, "note",
      "checked_at", "checked_by"}], read from the notice's audit `history` (core.audit.history_for).
    A notice reported before reports were kept in the record shows its latest report alone."""
    rounds = []
    for entry in history:
        if entry.action == "disclosure.rectification.report":
            rounds.append({
                "n": len(rounds) + 1, "report": entry.reason or (entry.data or {}).get("report", ""),
                "reported_at": entry.created_at, "reported_by": entry.actor, "outcome": None, "note": "",
                "checked_at": None, "checked_by": None,
            })
        elif entry.action in ("disclosure.rectification.return", "disclosure.rectification.close") and rounds:
            rounds[-1].update(
                outcome="returned" if entry.action.endswith("return") else "closed", note=entry.reason,
                checked_at=entry.created_at, checked_by=entry.actor,
            )
    if not rounds and notice.report:
        outcome = {RectificationState.RETURNED: "returned", RectificationState.CLOSED: "closed"}.get(notice.state)
        rounds.append({"n": 1, "report": notice.report, "reported_at": notice.reported_at, "reported_by": None,
                       "outcome": outcome, "note": notice.check_note, "checked_at": None, "checked_by": None})
    return rounds
