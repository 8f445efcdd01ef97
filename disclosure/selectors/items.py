"""Reads of disclosure items (R13–R17), scoped to the user: lists, one item with its proof of
publication per carrier, its linked series (R15), and the items waiting on the user's step (R14)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.access import is_county, is_organization_user, scope_queryset, sees_everything

from ..enums import ItemState
from ..models import Carrier, Item

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


def item_list_for(user: User | None) -> QuerySet[Item]:
    """Items the user may read: all for staff, the jurisdiction's for a county office, its own for an
    organisation user, none for anyone else (evaluators, anonymous visitors)."""
    return scope_queryset(
        Item.objects.select_related("organization", "entry__category", "created_by").prefetch_related("carriers"), user
    )


def item_get_for(user: User | None, pk: int) -> Item:
    """One item the user may read, with attachments and proof loaded, or 404 (never 403)."""
    qs = item_list_for(user).prefetch_related("attachments", "evidence__carrier", "evidence__recorded_by")
    return get_object_or_404(qs, pk=pk)


def waiting_state_for(user: User | None) -> ItemState | None:
    """The step of the procedure (R14) that waits on this user: an organisation's initial review of its
    submitted items, or the supervising office's (and leading group's) review of initially approved ones."""
    if is_organization_user(user):
        return ItemState.SUBMITTED
    if is_county(user) or sees_everything(user):
        return ItemState.INITIAL_APPROVED
    return None


def item_review_queue_for(user: User | None) -> QuerySet[Item]:
    """Items awaiting the leading group's review (R14 审查) that the user reviews; none for organisations."""
    if waiting_state_for(user) != ItemState.INITIAL_APPROVED:
        return Item.objects.none()
    return item_list_for(user).filter(state=ItemState.INITIAL_APPROVED)


def item_proof(item: Item) -> tuple[list[dict], list]:
    """Proof of publication per carrier of the item (R14 step 3), from its prefetched carriers and evidence:
    ([{"carrier", "evidence", "proved"}] in carrier order, [evidence recorded without a carrier])."""
    evidence = list(item.evidence.all())
    carriers = sorted(item.carriers.all(), key=lambda carrier: carrier.pk)
    ids = {carrier.pk for carrier in carriers}
    rows = []
    for carrier in carriers:
        mine = [e for e in evidence if e.carrier_id == carrier.pk]
        rows.append({"carrier": carrier, "evidence": mine, "proved": bool(mine)})
    return rows, [e for e in evidence if e.carrier_id not in ids]


def carriers_without_evidence(item: Item) -> list[Carrier]:
    """The item's carriers in use that have no proof of publication recorded yet (id order); what keeps an
    inspection from passing (R14 step 3). Uses the prefetched carriers and evidence when loaded."""
    proved = {e.carrier_id for e in item.evidence.all()}
    return sorted((c for c in item.carriers.all() if c.is_active and c.pk not in proved), key=lambda c: c.pk)


def series_root_id(item: Item) -> int:
    """The first item of a repeated (多次公开, R15) series; an item that starts or has no series is its own root."""
    return item.series_id or item.pk


def item_series_for(user: User | None, item: Item) -> list[Item]:
    """R15: every item of `item`'s series the user may read, earliest first (publication date, then drafting order).

    Empty when the item stands alone (a series needs at least two items).
    """
    root = series_root_id(item)
    members = list(
        scope_queryset(Item.objects.all(), user)
        .filter(Q(pk=root) | Q(series_id=root))
        .only("id", "title", "state", "publish_on", "published_on", "series_id", "organization_id", "jurisdiction_id")
        .order_by("publish_on", "id")
    )
    return members if len(members) > 1 else []
