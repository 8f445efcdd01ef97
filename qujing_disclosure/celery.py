"""The one Celery app. Each Django app's tasks.py may define BEAT_SCHEDULE; they are merged here."""
import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qujing_disclosure.settings")

app = Celery("qujing_disclosure")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    from django.conf import settings

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    for label in ("sites", "evaluation", "disclosure"):
        try:
            module = importlib.import_module(f"{label}.tasks")
        except ModuleNotFoundError:
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
