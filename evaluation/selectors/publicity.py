"""Reads of the publicity (R8) and the good-practice stories (R8a): what the public pages show,
whether a publicity is running, and when an objection's answer is due."""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.workdays import Deadline, WorkdayCalendar, load_calendar
from sites.enums import DesignationStatus
from sites.models import Designation

from ..enums import OBJECTION_OPEN_STATES, PublicityStatus, StoryStatus
from ..models import CaseStory, Objection, Publicity, PublicityEntry


def _entries_qs() -> QuerySet[PublicityEntry]:
    return PublicityEntry.objects.filter(withdrawn=False).select_related(
        "application__organization", "application__jurisdiction").order_by("position")


def publicity_current() -> QuerySet[Publicity]:
    """The publicities running today (China time), with their entries: what /publicity/ shows. Anyone reads it."""
    today = china_today()
    return (
        Publicity.objects.filter(status=PublicityStatus.OPEN, starts_on__lte=today, ends_on__gte=today)
        .select_related("round")
        .prefetch_related(Prefetch("entries", queryset=_entries_qs()))
        .order_by("round__level", "pk")
    )


def publicity_is_running(publicity: Publicity, *, today: datetime.date | None = None) -> bool:
    """R8: the publicity is open and today (China time) lies within its dates: objections are taken."""
    today = today or china_today()
    return publicity.status == PublicityStatus.OPEN and publicity.starts_on <= today <= publicity.ends_on


def publicity_of_round(round_id: int) -> Publicity | None:
    """The round's latest publicity that was not withdrawn (the one the award follows), or None."""
    return Publicity.objects.filter(round_id=round_id).exclude(status=PublicityStatus.WITHDRAWN).order_by("-id").first()


def objection_by_code(code: str) -> Objection:
    """The public receipt page: the objection by its code (the contact details are never shown there), or 404."""
    return get_object_or_404(
        Objection.objects.select_related("publicity__round", "entry__application__organization").only(
            "code", "state", "content", "received_at", "received_on", "reply", "answered_at", "publicity__round__name",
            "publicity__starts_on", "publicity__ends_on", "entry__application__organization__name",
        ),
        code=(code or "").strip().upper(),
    )


def objection_deadline(objection: Objection, calendar: WorkdayCalendar) -> Deadline:
    """R8 (our addition): the answer is due OBJECTION_ANSWER_WORKING_DAYS working days after receipt.
    Computed when read, so correcting the calendar moves open deadlines."""
    return calendar.add_working_days(objection.received_on, settings.OBJECTION_ANSWER_WORKING_DAYS)


def objections_with_deadlines(objections: Iterable[Objection], calendar: WorkdayCalendar | None = None) -> list[Objection]:
    """Attach .deadline (a core.workdays.Deadline) and .overdue to each objection (computed now)."""
    calendar = calendar or load_calendar()
    today = china_today()
    items = list(objections)
    for o in items:
        o.deadline = objection_deadline(o, calendar)
        o.overdue = o.state in OBJECTION_OPEN_STATES and today > o.deadline.due
        o.late_answer = (not o.overdue and o.answered_at is not None and timezone.localtime(o.answered_at).date() > o.deadline.due)
    return items


def stories_published(designation: Designation | None = None, limit: int | None = None, *,
                      active_sites_only: bool = False) -> QuerySet[CaseStory]:
    """R8a: published case stories, newest first. The home page shows only those of sites that still
    hold their title (active_sites_only); a revoked site's page keeps its history. Anyone reads them."""
    qs = CaseStory.objects.filter(status=StoryStatus.PUBLISHED).select_related("designation__organization", "designation__jurisdiction")
    if designation is not None:
        qs = qs.filter(designation=designation)
    if active_sites_only:
        qs = qs.filter(designation__status=DesignationStatus.ACTIVE)
    qs = qs.order_by("-published_at", "-id")
    return qs[:limit] if limit else qs
