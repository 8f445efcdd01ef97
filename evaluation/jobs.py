"""Time-driven sweeps of evaluation (Celery beat and the management command call the same function).

A sweep is set-based and idempotent (core.jobs): it claims the due rows with one conditional UPDATE
(`… WHERE status = 'open' AND ends_on < today … RETURNING id`), audits exactly the ids it changed with
one INSERT … SELECT, and returns them; running it again changes nothing more, and two workers at once
never close the same row twice (SKIP LOCKED on PostgreSQL). Judged in China time.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.jobs import JobResult, audit_ids, claim

from .enums import PublicityStatus
from .models import Publicity
from .services.common import public_pages_changed


def close_due_publicities(*, today: datetime.date | None = None, dry_run: bool = False) -> JobResult:
    """R8: close every open publicity whose last day (China time) has passed — the same change as
    `services.publicity_close` for one row, audited `evaluation.publicity.close` without an actor."""
    today = today or china_today()
    now = timezone.now()
    with transaction.atomic():
        ids = claim(
            Publicity.objects.filter(status=PublicityStatus.OPEN, ends_on__lt=today), from_state=PublicityStatus.OPEN,
            values={"status": PublicityStatus.CLOSED, "closed_at": now}, dry_run=dry_run, state_field="status",
        )
        if ids and not dry_run:
            audit_ids(ids, model=Publicity, action="evaluation.publicity.close", from_state=PublicityStatus.OPEN,
                      to_state=PublicityStatus.CLOSED, data={"job": "close_due_publicities", "date": today.isoformat()})
            public_pages_changed()  # a bulk update sends no post_save
    return JobResult("close_due_publicities", today, dry_run, sorted(ids))
