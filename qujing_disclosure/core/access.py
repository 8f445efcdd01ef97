"""Who may see and do what: the one place that decides (portal, admin, API and services use it).

Roles (core.models.Role):
- municipal office: sees everything, runs rounds, awards and revokes.
- leading group: sees everything, records deliberations; changes nothing else.
- evaluator: sees only what is assigned to them (evaluation app).
- county office / dispatched committee: bound to one jurisdiction; sees and acts only there.
- organisation user: bound to one organisation; sees and acts only for it.
- anonymous: public pages only.

Reads are scoped by the selectors with `jurisdiction_filter`/`organization_filter`;
actions are checked with django-rules permissions (`user.has_perm("sites.recommend_application", app)`).
Out-of-scope objects are reported as 404 by the views, never 403, so nothing leaks.
"""
import rules
from django.db.models import Q

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


def jurisdiction_filter(user, field="jurisdiction"):
    """A Q that limits a queryset to what the user may read by jurisdiction (None = nothing)."""
    if sees_everything(user):
        return Q()
    if is_county(user):
        return Q(**{f"{field}_id": user.jurisdiction_id})
    return None


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


# --- sites permissions ------------------------------------------------------------
rules.add_perm("sites.view_application", sees_everything | in_own_jurisdiction | of_own_organization)
# R3: the unit applies (an organisation user) or its county office applies for it.
rules.add_perm("sites.create_application", in_own_jurisdiction | of_own_organization)
# Without an object: may this user ever apply (a county office or an organisation user)?
rules.add_perm("sites.add_application", is_county | is_organization_user)
rules.add_perm("sites.edit_application", in_own_jurisdiction | of_own_organization)
rules.add_perm("sites.submit_application", in_own_jurisdiction | of_own_organization)
@rules.predicate
def filed_by_own_office(user, application):
    """The county office filed this application itself (on the unit's behalf)."""
    creator = getattr(application, "created_by", None)
    return creator is not None and creator.role == Role.COUNTY and creator.jurisdiction_id == user.jurisdiction_id


# The applicant withdraws: the unit, or the county office for an application it filed itself.
# Withdrawing a unit's own application would be a rejection without a reason (R3).
rules.add_perm("sites.withdraw_application", of_own_organization | (in_own_jurisdiction & filed_by_own_office))
# R2/R3: the jurisdiction vets and recommends or rejects.
rules.add_perm("sites.screen_application", in_own_jurisdiction)
rules.add_perm("sites.manage_round", is_municipal)
rules.add_perm("sites.manage_designation", is_municipal)
rules.add_perm("sites.export_screening", is_municipal)
