"""Celery tasks of evaluation: thin wrappers around jobs.py (the management command calls the same code)."""
from celery import shared_task
from celery.schedules import crontab

from . import jobs


@shared_task(name="evaluation.tasks.close_due_publicities", acks_late=True)  # idempotent: a conditional update
def close_due_publicities():
    """R8: close every publicity whose last day (China time) has passed."""
    return jobs.close_due_publicities().count


BEAT_SCHEDULE = {
    # Just after midnight in Asia/Shanghai (CELERY_TIMEZONE), and hourly as a safety net.
    "evaluation-close-publicities": {"task": "evaluation.tasks.close_due_publicities", "schedule": crontab(minute=5)},
}
