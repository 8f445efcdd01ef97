"""The catalogue an organisation keeps (R12): its carriers, its catalogue entries, and the standard
categories the municipal office maintains. Scope and forms (R13) are checked here for entries and items."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.transitions import fields_update, lock

from ..enums import CARRIER_LOCATING_FIELD, INTERNAL_FORMS, CarrierKind, Form, Scope
from ..models import Carrier, CatalogueEntry, Category
from .common import clean, organization_for

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User

CARRIER_FIELDS = ("kind", "name", "location", "url", "handle", "maintainer", "note")
CATEGORY_FIELDS = ("code", "name", "description", "sort_order", "is_active")


# --- carriers (R12, R13) ------------------------------------------------------------------
def _check_carrier_locating(values: dict) -> None:
    """R12: a board, screen or kiosk names its location, a web page its address, an account its name/handle."""
    if not clean(values.get("name")):
        raise DomainError(_("请填写载体“名称”。"), field="name", code="name_required")
    field = CARRIER_LOCATING_FIELD.get(values.get("kind"))
    if field and not clean(values.get(field)):
        raise DomainError(
            _("%(kind)s须填写“%(field)s”，便于群众找到、检查人员核查（R12）。")
            % {"kind": CarrierKind(values["kind"]).label, "field": Carrier._meta.get_field(field).verbose_name},
            field=field, code="locating_required", rule="R12",
        )


@transaction.atomic
def carrier_create(*, actor: User | None, organization_id: int, kind: str, name: str, location: str = "",
                   url: str = "", handle: str = "", maintainer: str = "", note: str = "") -> Carrier:
    """Register a carrier of the organisation, with what locates it (R12).

    Who: the organisation's own users (`disclosure.manage_catalogue`). Guarantees: the carrier names
    its location, address or account as its kind needs; one audit row `disclosure.carrier.create`."""
    organization = organization_for(actor, "disclosure.manage_catalogue", organization_id)
    values = {"kind": kind, "name": clean(name), "location": clean(location), "url": clean(url),
              "handle": clean(handle), "maintainer": clean(maintainer), "note": clean(note)}
    _check_carrier_locating(values)
    carrier = Carrier.objects.create(organization=organization, jurisdiction_id=organization.jurisdiction_id, **values)
    audit_record(actor=actor, action="disclosure.carrier.create", target=carrier,
                 data={"name": carrier.name, "kind": kind})
    return carrier


@transaction.atomic
def carrier_update(*, actor: User | None, carrier_id: int, kind: str | None = None, name: str | None = None,
                   location: str | None = None, url: str | None = None, handle: str | None = None,
                   maintainer: str | None = None, note: str | None = None, is_active: bool | None = None) -> Carrier:
    """Change a carrier's details, or retire / re-activate it (None leaves a field as it is).

    Who: the organisation's own users. Guarantees: a changed carrier still names what locates it (R12),
    while retiring or re-activating is never blocked by what it lacks; one audit row
    `disclosure.carrier.update` with old and new values, none when nothing changed."""
    carrier = lock(Carrier, pk=carrier_id)
    require(actor, "disclosure.manage_catalogue", carrier)
    given = {"kind": kind, "name": name, "location": location, "url": url, "handle": handle,
             "maintainer": maintainer, "note": note}
    values = {field: clean(value) for field, value in given.items() if value is not None}
    if {"kind", "name", "location", "url", "handle"} & set(values):
        _check_carrier_locating({field: values.get(field, getattr(carrier, field)) for field in CARRIER_FIELDS})
    if is_active is not None:
        values["is_active"] = is_active
    fields_update(carrier, values, actor=actor, action="disclosure.carrier.update")
    return carrier


# --- scope, forms and carriers of an entry or an item (R13) ---------------------------------------
def clean_forms(forms: Iterable[str] | None, scope: str) -> list[str]:
    """The forms of disclosure without repeats; R13: an internal item or entry uses internal forms only."""
    forms = list(dict.fromkeys(forms or []))
    unknown = [code for code in forms if code not in Form.values]
    if unknown:
        raise DomainError(_("未知的公开形式：%(codes)s。") % {"codes": _("、").join(unknown)}, field="forms",
                          code="unknown_form")
    if scope == Scope.INTERNAL:
        # R13: internal items use party meetings, documents, briefings, organisational life — never public carriers.
        public = [str(Form(code).label) for code in forms if code not in INTERNAL_FORMS]
        if public:
            raise DomainError(
                _("对内公开事项只能采用党内会议、印发文件、定期通报、组织生活会等形式（R13），不能采用：%(forms)s。")
                % {"forms": _("、").join(public)},
                field="forms", code="internal_public_form", rule="R13",
            )
    return forms


def clean_carriers(organization_id: int, carrier_ids: Iterable[int] | None, scope: str) -> list[Carrier]:
    """The organisation's own carriers in use; R13: internal items are not published on external carriers."""
    carrier_ids = list(dict.fromkeys(carrier_ids or []))
    carriers = list(Carrier.objects.filter(pk__in=carrier_ids, organization_id=organization_id, is_active=True))
    if len(carriers) != len(carrier_ids):
        raise DomainError(_("只能选择本单位在用的公开载体。"), field="carriers", code="carrier_foreign")
    if scope == Scope.INTERNAL and carriers:
        raise DomainError(_("对内公开事项不在公开栏、网页等对外载体上发布（R13）。"), field="carriers",
                          code="internal_carrier", rule="R13")
    return carriers


# --- catalogue entries (R12) ----------------------------------------------------------------------
@transaction.atomic
def entry_create(*, actor: User | None, organization_id: int, category_id: int, title: str, scope: str,
                 time_type: str, cadence: str, field: str = "party", description: str = "",
                 forms: Iterable[str] | None = None, carrier_ids: Iterable[int] | None = None) -> CatalogueEntry:
    """Add a line to the organisation's catalogue (R12) with its scope, forms and carriers (R13), time
    type (R15) and cadence (checked on the 11th).

    Who: the organisation's own users. Guarantees: an active standard category, forms and carriers that
    fit the scope; one audit row `disclosure.entry.create`."""
    organization = organization_for(actor, "disclosure.manage_catalogue", organization_id)
    Category.objects.get(pk=category_id, is_active=True)
    forms = clean_forms(forms, scope)
    carriers = clean_carriers(organization.pk, carrier_ids, scope)
    entry = CatalogueEntry.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, category_id=category_id,
        title=title, description=description, field=field, scope=scope, forms=forms, time_type=time_type,
        cadence=cadence,
    )
    entry.carriers.set(carriers)
    audit_record(actor=actor, action="disclosure.entry.create", target=entry, data={"title": title})
    return entry


@transaction.atomic
def entry_update(*, actor: User | None, entry_id: int, category_id: int | None = None, title: str | None = None,
                 description: str | None = None, field: str | None = None, scope: str | None = None,
                 forms: Iterable[str] | None = None, time_type: str | None = None, cadence: str | None = None,
                 carrier_ids: Iterable[int] | None = None, is_active: bool | None = None) -> CatalogueEntry:
    """Change a catalogue entry, or retire / re-activate it (None leaves a field as it is).

    Who: the organisation's own users. Guarantees: forms and carriers still fit the (new) scope (R13);
    one audit row `disclosure.entry.update` with old and new values (carriers as id lists), none when
    nothing changed."""
    entry = lock(CatalogueEntry, pk=entry_id)
    require(actor, "disclosure.manage_catalogue", entry)
    given = {"category_id": category_id, "title": title, "description": description, "field": field,
             "scope": scope, "forms": forms, "time_type": time_type, "cadence": cadence, "is_active": is_active}
    values = {name: value for name, value in given.items() if value is not None}
    scope = values.get("scope", entry.scope)
    if "forms" in values:
        values["forms"] = clean_forms(values["forms"], scope)
    else:
        clean_forms(entry.forms, scope)
    m2m = None
    if carrier_ids is not None:
        m2m = {"carriers": clean_carriers(entry.organization_id, carrier_ids, scope)}
    fields_update(entry, values, actor=actor, action="disclosure.entry.update", m2m=m2m)
    return entry


# --- the standard categories (R12), kept by the municipal office ------------------------------------
@transaction.atomic
def category_save(*, actor: User | None, category_id: int | None = None, code: str, name: str,
                  description: str = "", sort_order: int = 0, is_active: bool = True) -> Category:
    """Add a standard category (category_id=None) or change one: rename, reorder, retire.

    Who: the municipal office (`disclosure.manage_categories`; the admin's category pages). Guarantees:
    one audit row, `disclosure.category.create` or `disclosure.category.update` with old and new values."""
    require(actor, "disclosure.manage_categories")
    values = {"code": clean(code), "name": clean(name), "description": description or "",
              "sort_order": sort_order, "is_active": is_active}
    if category_id is None:
        category = Category.objects.create(**values)
        audit_record(actor=actor, action="disclosure.category.create", target=category, data={"code": category.code})
        return category
    category = lock(Category, pk=category_id)
    fields_update(category, values, actor=actor, action="disclosure.category.update")
    return category
