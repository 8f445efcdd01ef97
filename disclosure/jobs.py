"""Time-driven sweeps (Celery beat and management commands call the same functions).

Each sweep is set-based and idempotent: it claims due rows with one conditional
UPDATE (`… WHERE state = old AND due`), writes the audit rows with one INSERT … SELECT
(core.audit.audit_record_from_queryset), and running it
again changes nothing more. On PostgreSQL the due rows are locked with
SKIP LOCKED, so two workers running the same job at once never claim the same row;
findings and reminders rely on unique constraints (insert-or-ignore).
Everything is judged in China time (`today` = core.clock.today(), Asia/Shanghai). Publishing goes through
the same function the organisation's "publish now" uses (services.items_publish_due).
"""
import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from qujing_disclosure.core import clock
from qujing_disclosure.core.jobs import JobResult, audit_ids, claim
from qujing_disclosure.core.workdays import load_calendar

from . import dates, texts
from .enums import (
    CADENCE_MONTHS,
    FEEDBACK_OPEN_STATES,
    SCHEDULED_STATES,
    ExemptionState,
    FeedbackState,
    FindingKind,
    ItemState,
    ReminderKind,
)
from .models import CatalogueEntry, Exemption, Feedback, Finding, Item, Reminder
from .selectors import feedback_with_deadlines
from .services import items_publish_due



def _audit(ids, *, action, from_state="", to_state="", data=None, model=Item):
    return audit_ids(ids, model=model, action=action, from_state=from_state, to_state=to_state, data=data)


def publish_due_items(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """R14/R16: publish approved items whose date has come — only on window days (1st–10th), prompt
    items at once on any day — through the same publishing function as the organisation's "publish now"
    (services.items_publish_due), audited as the job (no actor)."""
    today = today or clock.today()
    with transaction.atomic():
        ids = items_publish_due(Item.objects.all(), actor=None, today=today, dry_run=dry_run)
    return JobResult("publish_due_items", today, dry_run, ids)


def archive_ended_items(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """R14 step 4 / R17: archive items whose display has ended — never before 15 days on display.

    Long-term items without an end stay until a follower replaces them (superseded).
    """
    today = today or clock.today()
    now = timezone.now()
    fifteen_days_ago = today - datetime.timedelta(days=dates.min_display_days())
    due = Q(state=ItemState.PUBLISHED, published_on__lte=fifteen_days_ago) & (
        Q(superseded=True) | Q(display_until__lt=today, published_on__lt=fifteen_days_ago)
    )
    with transaction.atomic():
        ids = claim(
            Item.objects.filter(due), from_state=ItemState.PUBLISHED, dry_run=dry_run,
            values={"state": ItemState.ARCHIVED, "ended_on": today, "updated_at": now},
        )
        if ids and not dry_run:
            _audit(ids, action="disclosure.item.archive", from_state=ItemState.PUBLISHED, to_state=ItemState.ARCHIVED,
                   data={"job": "archive_ended_items", "date": today.isoformat()})
    return JobResult("archive_ended_items", today, dry_run, ids)


def _cadences_due(month_start):
    return [cadence for cadence, months in CADENCE_MONTHS.items() if month_start.month in months]


def _start_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def checked_month(today):
    """The month the 11th check judges: this month once its window has closed, else the previous one."""
    if today.day > dates.window_days()[1]:
        return dates.first_of_month(today)
    return dates.add_months(today, -1)


def check_missed_entries(*, today: datetime.date | None = None, month: datetime.date | None = None,
                         dry_run: bool = False) -> JobResult:
    """The 11th check (R16/R20): staged or periodic catalogue entries due this month that had nothing
    published in the 1st–10th window get one finding each for the supervising office."""
    today = today or clock.today()
    month = dates.first_of_month(month) if month else checked_month(today)
    window_end = dates.window_end(month)
    published = Item.objects.filter(
        entry=OuterRef("pk"), state__in=(ItemState.PUBLISHED, ItemState.ARCHIVED, ItemState.WITHDRAWN),
        published_on__gte=month, published_on__lte=window_end,
    )
    already = Finding.objects.filter(entry=OuterRef("pk"), kind=FindingKind.MISSED, period=month, by_job=True)
    missing = list(
        CatalogueEntry.objects.filter(
            is_active=True, cadence__in=_cadences_due(month), created_at__lt=_start_of_day(month),
            organization__is_active=True,
        )
        .exclude(Exists(published))
        .exclude(Exists(already))
        .values_list("id", "organization_id", "jurisdiction_id", "title")
    )
    if dry_run or not missing:
        return JobResult("check_missed_entries", today, dry_run, [row[0] for row in missing])
    batch = uuid.uuid4()

    def params(title):
        return {"title": title, "month": month.strftime("%Y-%m")}

    with transaction.atomic():
        Finding.objects.bulk_create(
            [
                Finding(
                    organization_id=org_id, jurisdiction_id=jur_id, entry_id=entry_id, kind=FindingKind.MISSED,
                    period=month, by_job=True, batch=batch, text_code="missed_entry", text_params=params(title),
                    description=texts.stored("missed_entry", params(title)),
                )
                for entry_id, org_id, jur_id, title in missing
            ],
            ignore_conflicts=True,  # a concurrent run inserted the same finding: the unique constraint keeps one
            batch_size=2000,
        )
        ids = list(Finding.objects.filter(batch=batch).values_list("id", flat=True))
        if ids:
            _audit(ids, action="disclosure.finding.record", model=Finding, to_state="open",
                   data={"job": "check_missed_entries", "month": month.isoformat()})
    return JobResult("check_missed_entries", today, dry_run, ids)


def record_overdue_feedback(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """R18/R20: one finding for the supervising office per feedback not answered within its deadline.

    Overdue means still open after the deadline, or answered after it (the same test the board and
    the compliance figures use, selectors.feedback_with_deadlines). The deadline is counted in working
    days on today's calendar, staff corrections included (core.workdays), so a corrected calendar moves
    it. Each finding is dated in the month the answer was due and counts against the organisation
    (inspection_record_for). Idempotent and safe with two runs at once: the unique constraint
    `one_job_finding_per_feedback` keeps one finding per feedback (insert-or-ignore).
    """
    today = today or clock.today()
    days = settings.FEEDBACK_ANSWER_WORKING_DAYS
    # n working days are at least n calendar days: nothing received since then can be overdue yet,
    # and an answer given within n calendar days was in time whatever the calendar says.
    candidates = (
        Feedback.objects.filter(received_on__lt=today - datetime.timedelta(days=days))
        .filter(Q(state__in=FEEDBACK_OPEN_STATES)
                | Q(state=FeedbackState.ANSWERED, answered_on__gt=F("received_on") + datetime.timedelta(days=days)))
        .exclude(Exists(Finding.objects.filter(feedback=OuterRef("pk"), kind=FindingKind.FEEDBACK_OVERDUE, by_job=True)))
        .only("id", "organization_id", "jurisdiction_id", "received_on", "answered_on", "state")
        .order_by("id")
    )
    overdue = [row for row in feedback_with_deadlines(candidates, calendar=load_calendar(), today=today) if row.overdue]
    if dry_run or not overdue:
        return JobResult("record_overdue_feedback", today, dry_run, [row.pk for row in overdue])
    batch = uuid.uuid4()

    def describe(row):
        """(text code, parameters) of the finding: answered late, or not answered at all."""
        values = {"received": row.received_on.isoformat(), "due": row.deadline.due.isoformat(), "days": days}
        if row.state == FeedbackState.ANSWERED:
            return "feedback_answered_late", {**values, "answered": row.answered_on.isoformat()}
        return "feedback_unanswered", values

    described = {row.pk: describe(row) for row in overdue}

    with transaction.atomic():
        Finding.objects.bulk_create(
            [
                Finding(
                    organization_id=row.organization_id, jurisdiction_id=row.jurisdiction_id, feedback_id=row.pk,
                    kind=FindingKind.FEEDBACK_OVERDUE, period=dates.first_of_month(row.deadline.due), by_job=True,
                    batch=batch, text_code=described[row.pk][0], text_params=described[row.pk][1],
                    description=texts.stored(*described[row.pk]),
                )
                for row in overdue
            ],
            ignore_conflicts=True,  # a concurrent run inserted the same finding: the unique constraint keeps one
            batch_size=2000,
        )
        ids = list(Finding.objects.filter(batch=batch).values_list("id", flat=True))
        if ids:
            _audit(ids, action="disclosure.finding.record", model=Finding, to_state="open",
                   data={"job": "record_overdue_feedback", "date": today.isoformat()})
    return JobResult("record_overdue_feedback", today, dry_run, ids)


def _insert_reminders(rows, *, kind, code, today, dry_run, job):
    """Insert-or-ignore one reminder per (organisation, kind, period, ref); returns the ids inserted.

    `rows` are (organisation id, ref id, period, text parameters) of the text `code` (texts.py); the
    unique constraint keeps a second or concurrent run from adding the same reminder twice.
    """
    if dry_run or not rows:
        return JobResult(job, today, dry_run, [org for org, _ref, _period, _params in rows])
    batch = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [Reminder(organization_id=org, kind=kind, period=period, ref_id=ref, batch=batch, text_code=code,
                      text_params=params, message=texts.stored(code, params))
             for org, ref, period, params in rows],
            ignore_conflicts=True, batch_size=2000,
        )
        ids = list(Reminder.objects.filter(batch=batch).values_list("id", flat=True))
        if ids:
            _audit(ids, action="disclosure.reminder.create", model=Reminder, data={"job": job, "kind": kind})
    return JobResult(job, today, dry_run, ids)


def send_window_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """Remind organisations before the window opens (from the 25th to the month end: next month's window)
    and before it closes (from the 8th to the 10th: this month's) when a catalogue entry due then has
    nothing scheduled. Every day of those ranges acts, so a lost run is caught up the next day; the
    unique (organisation, kind, window) keeps it to one reminder per organisation per window per kind."""
    today = today or clock.today()
    due = dates.window_reminder(today)
    if due is None:
        return JobResult("send_window_reminders", today, dry_run, [])
    which, month = due
    if which == "opening":
        kind = ReminderKind.WINDOW_OPENING
        # Anything in the pipeline for that month counts as scheduled.
        scheduled_states = SCHEDULED_STATES
    else:
        kind = ReminderKind.WINDOW_CLOSING
        # Days before the window closes only approved or published items are safe.
        scheduled_states = (ItemState.APPROVED, ItemState.PUBLISHED, ItemState.ARCHIVED)
    already = Reminder.objects.filter(organization=OuterRef("organization_id"), kind=kind, period=month, ref_id=0)
    window_end = dates.window_end(month)
    scheduled = Item.objects.filter(
        entry=OuterRef("pk"), state__in=scheduled_states, publish_on__gte=month, publish_on__lte=window_end
    )
    entries = (
        CatalogueEntry.objects.filter(is_active=True, cadence__in=_cadences_due(month), organization__is_active=True)
        .exclude(Exists(scheduled))
        .exclude(Exists(already))  # reminded earlier in the range: nothing to insert (the constraint would keep one)
        .order_by("organization_id", "id")
        .values_list("organization_id", "title")
    )
    by_org = {}
    for org_id, title in entries:
        by_org.setdefault(org_id, []).append(title)
    first, last = dates.window_days()
    rows = [
        (org_id, 0, month, {"month": month.strftime("%Y-%m"), "first": first, "last": last, "titles": titles[:10]})
        for org_id, titles in by_org.items()
    ]
    return _insert_reminders(rows, kind=kind, code="window_unscheduled", today=today, dry_run=dry_run,
                             job="send_window_reminders")


def send_exemption_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """R11: remind organisations of register entries whose review-by date is near or past."""
    today = today or clock.today()
    horizon = today + datetime.timedelta(days=settings.DISCLOSURE_EXEMPTION_REMIND_DAYS)
    due = list(
        Exemption.objects.filter(state=ExemptionState.ACTIVE, review_by__lte=horizon)
        .values_list("id", "organization_id", "title", "review_by")
    )
    rows = [(org_id, pk, review_by, {"title": title, "date": review_by.isoformat()}) for pk, org_id, title, review_by in due]
    return _insert_reminders(rows, kind=ReminderKind.EXEMPTION_REVIEW, code="exemption_review", today=today,
                             dry_run=dry_run, job="send_exemption_reminders")


JOBS = {
    "publish": publish_due_items,
    "archive": archive_ended_items,
    "check_missed": check_missed_entries,
    "window_reminders": send_window_reminders,
    "exemption_reminders": send_exemption_reminders,
    "overdue_feedback": record_overdue_feedback,
}
