"""Roles and scoping: the predicates every app's rules and selectors are built from, and `require`.

Roles (core.models.Role):
- municipal office: sees everything, runs rounds, awards and revokes.
- leading group: sees everything, records deliberations; changes nothing else.
- evaluator: sees only what is assigned to them (evaluation app).
- county office / dispatched committee: bound to one jurisdiction; sees and acts only there.
- organisation user: bound to one organisation; sees and acts only for it.
- anonymous: public pages only.

This module holds the role predicates and the scoping helpers every app builds on. Each app's
permissions are django-rules predicates in its own `rules.py` (`core/rules.py`, `sites/rules.py`,
`evaluation/rules.py`, `disclosure/rules.py`), and its reads start from its selectors
(`<entity>_list_for(user)` / `<entity>_get_for(user, pk)`); services check with `require`.
Out-of-scope objects, and objects the user may not act on, are 404 everywhere (portal, API,
admin), never 403, so nothing leaks.

Superusers: a superuser is the municipal office with admin rights. `User.has_perm` asks the
rules for every permission they declare (Django would answer True for a superuser before any
rule is asked), so rules that name who decides — a county's screening, the leading group's
deliberation, an evaluator's score — hold for superusers too.
"""
import rules

from .errors import NotPermitted
from .models import Role


def role_of(user):
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.MUNICIPAL
    return user.role


@rules.predicate
def is_municipal(user):
    return role_of(user) == Role.MUNICIPAL


@rules.predicate
def is_leading_group(user):
    return role_of(user) == Role.LEADING_GROUP


@rules.predicate
def is_evaluator(user):
    return role_of(user) == Role.EVALUATOR


@rules.predicate
def is_county(user):
    return role_of(user) == Role.COUNTY and user.jurisdiction_id is not None


@rules.predicate
def is_organization_user(user):
    return role_of(user) == Role.ORGANIZATION and user.organization_id is not None


@rules.predicate
def is_superuser(user):
    """A superuser: the municipal office with admin rights (grants superuser status and raw permissions)."""
    return user is not None and user.is_authenticated and user.is_superuser


@rules.predicate
def sees_everything(user):
    """Commission staff and the leading group read every jurisdiction."""
    return role_of(user) in (Role.MUNICIPAL, Role.LEADING_GROUP)


def _jurisdiction_id_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "jurisdiction_id"):
        return obj.jurisdiction_id
    return getattr(obj, "pk", None)


def _organization_id_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "organization_id"):
        return obj.organization_id
    return getattr(obj, "pk", None)


@rules.predicate
def in_own_jurisdiction(user, obj):
    """The object (application, organisation, quota, …) lies in the county user's jurisdiction."""
    return obj is not None and is_county(user) and _jurisdiction_id_of(obj) == user.jurisdiction_id


@rules.predicate
def of_own_organization(user, obj):
    return obj is not None and is_organization_user(user) and _organization_id_of(obj) == user.organization_id


def scope_queryset(queryset, user, *, jurisdiction_field="jurisdiction", organization_field="organization"):
    """Limit `queryset` to rows the user may read: all for staff, own jurisdiction for a
    county office, own organisation for an organisation user, nothing for anyone else."""
    if sees_everything(user):
        return queryset
    if is_county(user):
        return queryset.filter(**{f"{jurisdiction_field}_id": user.jurisdiction_id})
    if is_organization_user(user) and organization_field:
        return queryset.filter(**{f"{organization_field}_id": user.organization_id})
    return queryset.none()


def require(actor, perm, obj=None):
    """Refuse with NotPermitted unless `actor` holds `perm` (on `obj`).

    `actor=None` is a scheduled job acting under the rules themselves: no permission check.
    Services call this first thing after loading (and locking) their object."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise NotPermitted()
