"""Celery tasks of evaluation: another interface that calls the services."""
from celery import shared_task
from celery.schedules import crontab

from . import services


@shared_task(acks_late=True)  # idempotent: a conditional update, safe to run twice
def close_due_publicities():
    """R8: close every publicity whose last day (China time) has passed."""
    return len(services.publicities_close_due())


BEAT_SCHEDULE = {
    # Just after midnight in Asia/Shanghai (CELERY_TIMEZONE), and hourly as a safety net.
    "evaluation-close-publicities": {"task": "evaluation.tasks.close_due_publicities", "schedule": crontab(minute=5)},
}
