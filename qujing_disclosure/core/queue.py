"""Sending work to Celery: by task name, after the commit, never breaking the user's request.

Services enqueue by name (`enqueue_on_commit("disclosure.publish_due_items")`), so the service
layer does not import the task modules that call it. A failed enqueue (broker down) is retried
briefly (CELERY_TASK_PUBLISH_RETRY_POLICY, under a second), then logged with its arguments and
swallowed: the row the task would act on is already committed, and every job task we send is
also run by a beat sweep, which picks up what was missed (e.g. a prompt item approved while
Redis was down is published by the next `disclosure.publish_due_items`, at most 15 minutes on).
"""
import logging

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_now(name: str, *args, **kwargs) -> bool:
    """Send task `name` now; False (and a log line) when the broker cannot take it."""
    try:
        task = current_app.tasks.get(name)
        if task is not None:  # registered here: apply_async honours CELERY_TASK_ALWAYS_EAGER
            task.apply_async(args=args, kwargs=kwargs)
        else:
            current_app.send_task(name, args=args, kwargs=kwargs)
        return True
    except Exception:  # noqa: BLE001 - the broker's failure must not become the user's
        log.exception("could not enqueue %s args=%r kwargs=%r; the next scheduled sweep will pick the work up",
                      name, args, kwargs)
        return False


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Send task `name` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue_now(name, *args, **kwargs))
