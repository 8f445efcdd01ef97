"""Writes to core's own tables: accounts and the working-day calendar.

Accounts are the most security-relevant rows of all (a role and a binding decide what a person sees
and screens), so every creation, role or binding change, activation and password change goes through
here, audited with old and new values (never a password or its hash), whoever calls: the admin, the
demo loader, a script.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .access import require
from .audit import audit_record
from .errors import DomainError
from .models import CalendarDay, Role, User
from .transitions import create_recorded, fields_allowed, fields_update, lock

# What an account's editor may set (the admin's fields); the password has its own door.
USER_FIELDS = (
    "username", "first_name", "last_name", "email", "phone", "role", "jurisdiction", "organization",
    "is_active", "is_staff", "is_superuser",
)
USER_M2M = ("groups", "user_permissions")
# Changing these grants powers outside the programme's roles: superusers only.
_PRIVILEGES = ("is_superuser", *USER_M2M)


def _changed(user: User | None, values: Mapping[str, Any], m2m: Mapping[str, Iterable[Any]]) -> set[str]:
    if user is None:
        return set(values) | {name for name, ids in m2m.items() if list(ids)}
    changed = {name for name, value in values.items() if getattr(user, name) != value}
    for name, ids in m2m.items():
        if set(getattr(user, name).values_list("pk", flat=True)) != {getattr(v, "pk", v) for v in ids}:
            changed.add(name)
    return changed


def user_check(*, actor: User | None, user: User | None, values: Mapping[str, Any],
               m2m: Mapping[str, Iterable[Any]] | None = None) -> None:
    """May `actor` give the account `user` (None: a new one) these values? Writes nothing.

    The admin form's `clean()` calls it, so a refusal shows on its field; `user_create` and
    `user_update` call it again under the row lock. Refuses: anyone but the municipal office
    (`core.manage_user`; a superuser's account only for superusers); superuser status, groups or raw
    permissions changed by anyone but a superuser (`core.grant_privileges`); a county office
    account without its jurisdiction, an organisation account without its organisation."""
    m2m = m2m or {}
    require(actor, "core.manage_user", user)
    if set(_PRIVILEGES) & _changed(user, values, m2m):
        require(actor, "core.grant_privileges", user)
    role = values.get("role", user.role if user else Role.ORGANIZATION)
    jurisdiction = values.get("jurisdiction", user.jurisdiction if user else None)
    organization = values.get("organization", user.organization if user else None)
    if role == Role.COUNTY and jurisdiction is None:
        raise DomainError(_("县级党务公开办账号必须选择所属辖区。"), field="jurisdiction", code="jurisdiction_required")
    if role == Role.ORGANIZATION and organization is None:
        raise DomainError(_("党组织用户必须选择所属党组织。"), field="organization", code="organization_required")


@transaction.atomic
def user_create(*, actor: User | None, values: Mapping[str, Any], password: str | None = None,
                password_hash: str | None = None, m2m: Mapping[str, Iterable[Any]] | None = None) -> User:
    """A new account (municipal office; `actor=None` for the demo loader and scripts).

    `password` is the raw password (hashed here), `password_hash` one already hashed (the admin's
    creation form hashes it; demo accounts share one hash); with neither, password login is
    disabled. Guarantees: `user_check` holds; one audit row `core.user.create` holding every value
    as new, never the password."""
    values = fields_allowed(values, USER_FIELDS)
    m2m = dict(m2m or {})
    fields_allowed(m2m, USER_M2M)
    user_check(actor=actor, user=None, values=values, m2m=m2m)
    probe = User()
    if password is not None:
        probe.set_password(password)
    elif password_hash is not None:
        probe.password = password_hash
    else:
        probe.set_unusable_password()
    return create_recorded(User, values, actor=actor, action="core.user.create", m2m=m2m,
                           unrecorded={"password": probe.password})


@transaction.atomic
def user_update(*, actor: User | None, user_id: int, values: Mapping[str, Any],
                m2m: Mapping[str, Iterable[Any]] | None = None) -> User:
    """Edit an account: role, jurisdiction/organisation binding, activation, names, staff flags.

    Who: the municipal office (`core.manage_user`); privileges only superusers. Guarantees: the row
    is locked; `user_check` holds on the result; one audit row `core.user.update` with the old and
    new value of every changed field (groups and permissions as id lists), none when nothing changed."""
    values = fields_allowed(values, USER_FIELDS)
    m2m = dict(m2m or {})
    fields_allowed(m2m, USER_M2M)
    user = lock(User, pk=user_id)
    user_check(actor=actor, user=user, values=values, m2m=m2m)
    fields_update(user, values, actor=actor, action="core.user.update", m2m=m2m)
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user_id: int, password: str | None) -> User:
    """Set an account's password (None: disable password login). Who: the municipal office
    (`core.manage_user`). The audit row `core.user.set_password` records that it changed, not the value."""
    user = lock(User, pk=user_id)
    require(actor, "core.manage_user", user)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="core.user.set_password", target=user,
                 data={"usable_password": password is not None})
    return user


@transaction.atomic
def calendar_day_set(*, actor: User | None, date: datetime.date, is_working_day: bool, name: str,
                     note: str = "") -> CalendarDay:
    """Add or correct one day of the working-day calendar (municipal office, `core.set_calendar_day`).

    Moves every open deadline (they are computed when read). One audit row: from/to working or
    rest, the note as reason; a repeated identical correction writes nothing."""
    require(actor, "core.set_calendar_day")
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = None if day is None else {"is_working_day": day.is_working_day, "name": day.name}
    if day is None:
        day = CalendarDay(date=date)
    elif before == {"is_working_day": is_working_day, "name": name} and day.note == note:
        return day
    day.is_working_day, day.name, day.note, day.updated_by = is_working_day, name, note, actor
    day.save()
    audit_record(
        actor=actor, action="core.calendar.set", target=day,
        from_state="" if before is None else ("working" if before["is_working_day"] else "rest"),
        to_state="working" if is_working_day else "rest", reason=note, data={"date": date.isoformat(), "name": name},
    )
    return day
