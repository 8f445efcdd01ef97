"""Places and units: jurisdictions (the city, its counties, the dispatched committees) and party
organisations. The municipal office keeps them (`sites.manage_places`); every edit is audited with
old and new values, because a unit's jurisdiction decides which county office sees and screens it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import create_recorded, fields_allowed, fields_update, lock

from ..models import Jurisdiction, Organization

JURISDICTION_FIELDS = ("name", "kind", "code", "parent", "sort_order")
ORGANIZATION_FIELDS = (
    "name", "jurisdiction", "parent", "sector", "address", "contact_name", "contact_phone", "is_active",
)


def _refuse_parent_circle(obj: models.Model | None, parent: models.Model | None, message: str) -> None:
    """A parent may not be the row itself or one of its descendants (the tree R5 walks stays a tree)."""
    if obj is None or obj.pk is None or parent is None:
        return
    seen, node = set(), parent
    while node is not None and node.pk not in seen:
        if node.pk == obj.pk:
            raise DomainError(message, field="parent", code="parent_circle")
        seen.add(node.pk)
        node = node.parent


def jurisdiction_check(*, actor: User | None, jurisdiction: Jurisdiction | None, values: Mapping[str, Any]) -> None:
    """May `actor` give `jurisdiction` (None: a new one) these values? Writes nothing (the admin form's
    `clean()` calls it; `jurisdiction_save` again under the row lock)."""
    require(actor, "sites.manage_places", jurisdiction)
    _refuse_parent_circle(jurisdiction, values.get("parent"), _("上级辖区不能是本辖区或其下级。"))


def organization_check(*, actor: User | None, organization: Organization | None, values: Mapping[str, Any]) -> None:
    """May `actor` give `organization` (None: a new one) these values? Writes nothing."""
    require(actor, "sites.manage_places", organization)
    _refuse_parent_circle(organization, values.get("parent"), _("上级党组织不能是本组织或其下级组织。"))


def _save(model: type[models.Model], *, actor: User | None, pk: int | None, values: dict[str, Any], check,
          action: str) -> models.Model:
    """Create (pk None) or edit one row of `model`: `check(target, values)` first, then one audit row."""
    if pk is None:
        check(None, values)
        return create_recorded(model, values, actor=actor, action=f"{action}.create")
    obj = lock(model, pk=pk)
    check(obj, values)
    fields_update(obj, values, actor=actor, action=f"{action}.update")
    return obj


@transaction.atomic
def jurisdiction_save(*, actor: User | None, jurisdiction_id: int | None, values: Mapping[str, Any]) -> Jurisdiction:
    """Create or edit a jurisdiction (municipal office). Only JURISDICTION_FIELDS change; one audit row
    (`sites.jurisdiction.create` / `.update`) with old and new values, none when nothing changed."""
    return _save(Jurisdiction, actor=actor, pk=jurisdiction_id, values=fields_allowed(values, JURISDICTION_FIELDS),
                 action="sites.jurisdiction",
                 check=lambda target, v: jurisdiction_check(actor=actor, jurisdiction=target, values=v))


@transaction.atomic
def organization_save(*, actor: User | None, organization_id: int | None, values: Mapping[str, Any]) -> Organization:
    """Create or edit a party organisation (municipal office). Only ORGANIZATION_FIELDS change; one
    audit row (`sites.organization.create` / `.update`) with old and new values (a move to another
    jurisdiction or a deactivation included), none when nothing changed."""
    return _save(Organization, actor=actor, pk=organization_id, values=fields_allowed(values, ORGANIZATION_FIELDS),
                 action="sites.organization",
                 check=lambda target, v: organization_check(actor=actor, organization=target, values=v))
