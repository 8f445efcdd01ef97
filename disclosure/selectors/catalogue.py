"""Reads of what an organisation keeps: categories, carriers, catalogue entries, the exemption register
and the reminders the jobs leave it — always scoped to the user (core.access.scope_queryset)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.access import is_organization_user, scope_queryset

from ..models import Carrier, CatalogueEntry, Category, Exemption, Reminder

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


def category_list() -> QuerySet[Category]:
    """The standard categories in use (R12), readable by every signed-in user."""
    return Category.objects.filter(is_active=True)


def carrier_list_for(user: User | None) -> QuerySet[Carrier]:
    """Carriers the user may read: all for staff, the jurisdiction's for a county office, its own for an
    organisation user, none for anyone else."""
    return scope_queryset(Carrier.objects.select_related("organization"), user)


def carrier_get_for(user: User | None, pk: int) -> Carrier:
    """One carrier the user may read, or 404 (never 403)."""
    return get_object_or_404(carrier_list_for(user), pk=pk)


def entry_list_for(user: User | None) -> QuerySet[CatalogueEntry]:
    """Catalogue entries the user may read (same scope as carriers), with category and carriers loaded."""
    return scope_queryset(
        CatalogueEntry.objects.select_related("organization", "category").prefetch_related("carriers"), user
    )


def entry_get_for(user: User | None, pk: int) -> CatalogueEntry:
    """One catalogue entry the user may read, or 404."""
    return get_object_or_404(entry_list_for(user), pk=pk)


def exemption_list_for(user: User | None) -> QuerySet[Exemption]:
    """The exemption register (R11) as far as the user may read it (staff: every jurisdiction)."""
    return scope_queryset(Exemption.objects.select_related("organization", "jurisdiction"), user)


def exemption_get_for(user: User | None, pk: int) -> Exemption:
    """One register entry the user may read, or 404."""
    return get_object_or_404(exemption_list_for(user), pk=pk)


def reminder_list_for(user: User | None) -> QuerySet[Reminder]:
    """The reminders of the user's own organisation (window opening/closing, exemption reviews).

    Reminders are addressed to an organisation: only its users read them; offices and staff get none."""
    if not is_organization_user(user):
        return Reminder.objects.none()
    return Reminder.objects.select_related("organization").filter(organization_id=user.organization_id)
