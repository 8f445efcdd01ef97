"""Reads of core's own rows, scoped to the user like every app's selectors."""
from __future__ import annotations

from django.db.models import QuerySet

from .access import is_municipal, is_superuser
from .models import AuditEntry, CalendarDay, User


def user_list_for(user: User | None) -> QuerySet[User]:
    """Accounts the user may manage: all for a superuser, every non-superuser account for the
    municipal office (never a superuser's: password, activation, …), none for anyone else."""
    if is_superuser(user):
        return User.objects.all()
    if is_municipal(user):
        return User.objects.filter(is_superuser=False)
    return User.objects.none()


def audit_entry_list_for(user: User | None) -> QuerySet[AuditEntry]:
    """The whole audit record for the municipal office; apps show their own histories through history_for."""
    if user is not None and user.has_perm("core.view_audit"):
        return AuditEntry.objects.select_related("actor", "content_type")
    return AuditEntry.objects.none()


def calendar_day_list_for(user: User | None) -> QuerySet[CalendarDay]:
    """The staff corrections to the working-day calendar (readable by the office that keeps them)."""
    if is_municipal(user):
        return CalendarDay.objects.select_related("updated_by")
    return CalendarDay.objects.none()
