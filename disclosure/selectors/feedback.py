"""Reads of public feedback (R18), scoped to the user, and its answer deadline — worked out when read
from the received date and the working-day calendar (core.workdays), never stored, so a staff
correction of the calendar moves every open deadline."""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import scope_queryset
from qujing_disclosure.core.workdays import load_calendar

from ..enums import FEEDBACK_OPEN_STATES, FeedbackState
from ..models import Feedback

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User
    from qujing_disclosure.core.workdays import Deadline, WorkdayCalendar


def feedback_list_for(user: User | None) -> QuerySet[Feedback]:
    """Feedback the user may read: all for staff, the jurisdiction's for a county office, its own for an
    organisation user, none for anyone else."""
    return scope_queryset(Feedback.objects.select_related("organization", "item"), user)


def feedback_get_for(user: User | None, pk: int) -> Feedback:
    """One feedback the user may read, with its deadline attached, or 404."""
    return feedback_with_deadlines([get_object_or_404(feedback_list_for(user), pk=pk)])[0]


def feedback_deadline(feedback: Feedback, calendar: WorkdayCalendar) -> Deadline:
    """R18: the answer deadline — FEEDBACK_ANSWER_WORKING_DAYS working days after the received date on
    `calendar` — with the explanation of how it was worked out."""
    return calendar.add_working_days(feedback.received_on, settings.FEEDBACK_ANSWER_WORKING_DAYS)


def feedback_with_deadlines(feedback_rows: Iterable[Feedback], calendar: WorkdayCalendar | None = None,
                            today: datetime.date | None = None) -> list[Feedback]:
    """Attach `.deadline` (due date and explanation) and `.overdue` (answered after it, or still open past
    it) to each feedback (R18). One calendar load for all rows."""
    calendar = calendar or load_calendar()
    today = today or clock.today()
    rows = list(feedback_rows)
    for row in rows:
        row.deadline = feedback_deadline(row, calendar)
        done_on = row.answered_on if row.state == FeedbackState.ANSWERED else None
        row.overdue = (done_on or today) > row.deadline.due
    return rows


def open_feedback_overdue_for(user: User | None, *, jurisdiction_id: int | None = None,
                              today: datetime.date | None = None) -> list[Feedback]:
    """Open feedback past its working-day deadline in the user's scope (flagged to the supervising office),
    optionally of one jurisdiction only."""
    qs = feedback_list_for(user).filter(state__in=FEEDBACK_OPEN_STATES)
    if jurisdiction_id:
        qs = qs.filter(jurisdiction_id=jurisdiction_id)
    return [row for row in feedback_with_deadlines(qs, today=today) if row.overdue]
