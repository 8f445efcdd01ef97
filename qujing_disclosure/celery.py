"""The one Celery app. Each Django app's tasks.py may define BEAT_SCHEDULE; they are merged here."""
import importlib
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qujing_disclosure.settings")


class AuditedTask(Task):
    """One task run is one action: every audit row it writes shares one batch id."""

    def __call__(self, *args, **kwargs):
        from qujing_disclosure.core.audit import audit_context

        with audit_context():
            return super().__call__(*args, **kwargs)


app = Celery("qujing_disclosure", task_cls=AuditedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    from django.conf import settings

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    # Importing the task modules here also registers their tasks in every process that
    # finalizes the app (web included), so enqueue-by-name finds them (and runs them eagerly in tests).
    for label in ("qujing_disclosure.core", "sites", "evaluation", "disclosure"):
        try:
            module = importlib.import_module(f"{label}.tasks")
        except ModuleNotFoundError:
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
