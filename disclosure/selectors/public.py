"""What the public may read (no sign-in): the one definition of "on public display" (R13), used by
the public pages, the public API and the download check for attachments alike. Internal items never
appear here, nor drafts, items waiting for publication or items that have left display."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from sites.models import Organization

from ..enums import ItemState, Scope
from ..models import Carrier, CatalogueEntry, Feedback, Item
from .items import series_root_id

PUBLIC_PAGE_SIZE = 20


def on_public_display(path: str = "") -> Q:
    """R13: an item the public may see — external, published (on display now), of an active organisation.

    `path` leads from the queried model to the item (e.g. "disclosure_items__" from an organisation)."""
    return Q(**{f"{path}scope": Scope.EXTERNAL, f"{path}state": ItemState.PUBLISHED,
                f"{path}organization__is_active": True})


def item_list_public() -> QuerySet[Item]:
    """External items now on display, of active organisations. Internal items never."""
    return Item.objects.filter(on_public_display())


def entry_list_public() -> QuerySet[CatalogueEntry]:
    """The external lines in use of active organisations' catalogues (R12)."""
    return CatalogueEntry.objects.filter(is_active=True, scope=Scope.EXTERNAL, organization__is_active=True)


def carrier_list_public() -> QuerySet[Carrier]:
    """Carriers in use of active organisations: where the public finds their disclosure (R12)."""
    return Carrier.objects.filter(is_active=True, organization__is_active=True)


def organization_list_public() -> QuerySet[Organization]:
    """Active organisations, each with `on_display`: how many of its items are on public display."""
    return Organization.objects.filter(is_active=True).select_related("jurisdiction").annotate(
        on_display=Count("disclosure_items", filter=on_public_display("disclosure_items__"))
    )


def public_page(organization_id: int, *, page: int | str | None = 1) -> dict:
    """Everything `/disclosure/<id>/` shows, in a constant number of queries (items 20 to a page); 404 for
    an unknown or inactive organisation."""
    organization = get_object_or_404(
        Organization.objects.select_related("jurisdiction"), pk=organization_id, is_active=True
    )
    entries = list(
        entry_list_public().filter(organization=organization)
        .select_related("category")
        .prefetch_related(Prefetch("carriers", queryset=Carrier.objects.filter(is_active=True).order_by("id")))
        .order_by("category__sort_order", "id")
    )
    items = Paginator(
        item_list_public()
        .filter(organization=organization)
        .select_related("entry__category")
        .prefetch_related("attachments")
        .order_by("-published_on", "-id"),
        PUBLIC_PAGE_SIZE,
    ).get_page(page)
    carriers = list(carrier_list_public().filter(organization=organization))
    items.object_list = list(items.object_list)  # evaluated once; the template reads these same objects
    _attach_public_series(items.object_list)
    return {"organization": organization, "entries": entries, "items": items, "carriers": carriers}


def _attach_public_series(items: Iterable[Item]) -> None:
    """R15: give each shown item `.public_series`, the items of its repeated series the public may read
    (external and on display), earliest first; empty when it stands alone. One query for the whole page."""
    roots = {series_root_id(item) for item in items}
    by_root = defaultdict(list)
    if roots:
        for member in (
            item_list_public().filter(Q(pk__in=roots) | Q(series_id__in=roots))
            .only("id", "title", "publish_on", "published_on", "series_id")
            .order_by("publish_on", "id")
        ):
            by_root[series_root_id(member)].append(member)
    shown = {item.pk for item in items}
    for members in by_root.values():
        for member in members:
            member.on_page = member.pk in shown  # else it is on another page of the list
    for item in items:
        members = by_root.get(series_root_id(item), [])
        item.public_series = members if len(members) > 1 else []


def feedback_by_code(code: str | None) -> Feedback:
    """R18: the feedback a receipt code names (case-insensitive), or 404 — the code is the only key."""
    return get_object_or_404(Feedback.objects.select_related("organization", "item"), code=(code or "").strip().upper())
