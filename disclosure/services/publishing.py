"""R14 step 2 (实施公开) and R16: the one place where items go on display.

`items_publish_due` is the only code that moves items from approved to published. The organisation's
"publish now" (`item_publish`, one row) and the beat job (`jobs.publish_due_items`, every due row) both
call it, so the window rule, the superseding of a replaced long-term item (R15) and the audit record
are the same whoever publishes: a published-by-hand and a published-by-job item differ only in the actor.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_context, audit_record_from_queryset, changes_data
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.jobs import chunks, claim
from qujing_disclosure.core.transitions import lock, transition_check

from .. import dates
from ..enums import ITEM_TRANSITIONS, ItemState, TimeType
from ..models import Item

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


def publication_due(today: datetime.date) -> Q:
    """R16: approved items whose asked-for date has come — any of them on a window day (1st–10th),
    only prompt items on other days (the one exception, R15)."""
    due = Q(state=ItemState.APPROVED, publish_on__lte=today)
    if not dates.in_window(today):
        due &= Q(time_type=TimeType.PROMPT)
    return due


def _check_due(item: Item, today: datetime.date) -> None:
    """Why `publication_due` leaves this approved item out today, as a message a person can act on."""
    if item.time_type != TimeType.PROMPT and not dates.in_window(today):
        first, last = dates.window_days()
        raise DomainError(
            _("今天（北京时间 %(today)s）不在每月%(first)d—%(last)d日的公开窗口内（R16），最近可公开日期是 %(next)s。")
            % {"today": today.isoformat(), "first": first, "last": last,
               "next": dates.next_valid_publish_date(today).isoformat()},
            field="publish_on", code="outside_window", rule="R16",
        )
    if today < item.publish_on:
        raise DomainError(
            _("拟公开日期为 %(date)s，尚未到期。") % {"date": item.publish_on.isoformat()}, field="publish_on",
            code="not_yet_due", rule="R16",
        )


def items_publish_due(items: QuerySet[Item], *, actor: User | None, today: datetime.date,
                      dry_run: bool = False) -> list[int]:
    """Publish the items of `items` that are due today (R16), set-based, and return exactly their ids.

    One conditional UPDATE claims them (approved → published, dated today; skip-locked on PostgreSQL, so
    two runs never publish a row twice), one INSERT writes their audit rows (`disclosure.item.publish`,
    the same data whoever publishes), then the long-term items they replace are superseded (R15).
    `dry_run` returns the ids that would be published and changes nothing. Callers check permissions
    (`actor=None` is the job) and call this inside their transaction."""
    now = timezone.now()
    ids = claim(items.filter(publication_due(today)), from_state=ItemState.APPROVED, dry_run=dry_run,
                values={"state": ItemState.PUBLISHED, "published_on": today, "published_at": now, "updated_at": now})
    if ids and not dry_run:
        with audit_context():  # the publication and the superseding it causes are one action
            audit_record_from_queryset(actor=actor, action="disclosure.item.publish", model=Item, ids=ids,
                                       from_state=ItemState.APPROVED, to_state=ItemState.PUBLISHED,
                                       data=changes_data({"published_on": (None, today)}))
            _supersede_previous(ids, actor=actor, now=now)
    return ids


def _supersede_previous(ids: list[int], *, actor: User | None, now: datetime.datetime) -> list[int]:
    """R15: a long-term item stays on display until replaced — publishing its follower supersedes it (the
    archive job then archives it, never before 15 days, R17). Rows are locked before they are changed, so
    two followers published at once supersede their previous item once; returns the ids superseded."""
    previous = []
    for chunk in chunks(ids):
        previous += Item.objects.select_for_update().filter(
            followers__id__in=chunk, state=ItemState.PUBLISHED, time_type=TimeType.LONG_TERM, superseded=False,
        ).values_list("id", flat=True)
    previous = sorted(set(previous))
    if previous:
        for chunk in chunks(previous):
            Item.objects.filter(id__in=chunk).update(superseded=True, updated_at=now)
        audit_record_from_queryset(actor=actor, action="disclosure.item.supersede", model=Item, ids=previous,
                                   data=changes_data({"superseded": (False, True)}))
    return previous


@transaction.atomic
def item_publish(*, actor: User | None, item_id: int) -> Item:
    """Approved → published now (R14 step 2), by the item's organisation.

    Who: the item's organisation (`disclosure.edit_item`). Guarantees: only on a window day (R16) and not
    before the asked-for date, prompt items on any day; the same publication, superseding and audit as the
    publish job (`items_publish_due`); a repeated request changes nothing."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.PUBLISHED:
        return item
    transition_check(item, ItemState.PUBLISHED, ITEM_TRANSITIONS)
    today = clock.today()
    _check_due(item, today)
    items_publish_due(Item.objects.filter(pk=item.pk), actor=actor, today=today)
    item.refresh_from_db()
    return item
