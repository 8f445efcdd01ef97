"""Celery tasks: thin wrappers around jobs.py (the management commands call the same code).

Every task is idempotent, so it is acknowledged late (a worker crash re-runs it harmlessly).
Enqueue only with transaction.on_commit.
"""
from celery import shared_task
from celery.schedules import crontab

from . import jobs


@shared_task(name="disclosure.publish_due_items", acks_late=True)
def publish_due_items_task():
    return jobs.publish_due_items().count


@shared_task(name="disclosure.archive_ended_items", acks_late=True)
def archive_ended_items_task():
    return jobs.archive_ended_items().count


@shared_task(name="disclosure.check_missed_entries", acks_late=True)
def check_missed_entries_task():
    return jobs.check_missed_entries().count


@shared_task(name="disclosure.send_window_reminders", acks_late=True)
def send_window_reminders_task():
    return jobs.send_window_reminders().count


@shared_task(name="disclosure.send_exemption_reminders", acks_late=True)
def send_exemption_reminders_task():
    return jobs.send_exemption_reminders().count


@shared_task(name="disclosure.record_overdue_feedback", acks_late=True)
def record_overdue_feedback_task():
    return jobs.record_overdue_feedback().count


# Beat runs in CELERY_TIMEZONE = Asia/Shanghai. Jobs judge "today" themselves, so an extra or
# missed run is harmless: publish every 15 minutes (prompt items soon after approval, window
# days from just after midnight), archive nightly, reminders daily (they act from the 25th to the month
# end and from the 8th to the 10th, so a lost run is caught up; one reminder per window and kind),
# the missed-entry check on the 11th (and again on the 12th in case the 11th's run was lost),
# overdue feedback daily.
BEAT_SCHEDULE = {
    "disclosure-publish-due-items": {"task": "disclosure.publish_due_items", "schedule": crontab(minute="*/15")},
    "disclosure-archive-ended-items": {"task": "disclosure.archive_ended_items", "schedule": crontab(hour=0, minute=20)},
    "disclosure-check-missed-entries": {
        "task": "disclosure.check_missed_entries", "schedule": crontab(day_of_month="11,12", hour=1, minute=0),
    },
    "disclosure-send-window-reminders": {
        "task": "disclosure.send_window_reminders", "schedule": crontab(hour=8, minute=30),
    },
    "disclosure-send-exemption-reminders": {
        "task": "disclosure.send_exemption_reminders", "schedule": crontab(hour=8, minute=40),
    },
    # R18/R20: feedback past its working-day deadline becomes a finding (daily, after midnight China time).
    "disclosure-record-overdue-feedback": {
        "task": "disclosure.record_overdue_feedback", "schedule": crontab(hour=1, minute=30),
    },
}
