"""Reads of the designation workflow, always scoped to the user (see core/access.py)."""
from django.db.models import Count, Q, Subquery
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.access import (
    is_county,
    is_organization_user,
    scope_queryset,
    sees_everything,
)

from .enums import RECOMMENDED_STATES, ApplicationState, DesignationStatus, RoundStatus
from .models import Application, Designation, Jurisdiction, Organization, Quota, Round


def jurisdiction_list():
    return Jurisdiction.objects.all()


def organization_list_for(user):
    """Staff see every unit; a county office its jurisdiction's; an organisation user its own."""
    qs = Organization.objects.select_related("jurisdiction")
    if sees_everything(user):
        return qs
    if is_county(user):
        return qs.filter(jurisdiction_id=user.jurisdiction_id)
    if is_organization_user(user):
        return qs.filter(pk=user.organization_id)
    return qs.none()


def round_list_for(user):
    """Staff see every round; others see rounds once opened (drafts are internal)."""
    qs = Round.objects.select_related("organizer").prefetch_related("quotas__jurisdiction")
    if sees_everything(user):
        return qs
    if user is not None and user.is_authenticated:
        return qs.exclude(status=RoundStatus.DRAFT)
    return qs.none()


def quota_list_for(user):
    """Quotas the user may read: all for staff, its own jurisdiction's for a county office, and for an
    organisation user the quota of its organisation's jurisdiction (what the portal shows it too)."""
    qs = Quota.objects.select_related("jurisdiction")
    if is_organization_user(user) and not sees_everything(user):
        # A subquery, not user.organization: no extra query per request.
        own = Organization.objects.filter(pk=user.organization_id).values("jurisdiction_id")[:1]
        return qs.filter(jurisdiction_id=Subquery(own))
    return scope_queryset(qs, user, organization_field=None)


def application_list_for(user):
    qs = Application.objects.select_related("round", "organization", "jurisdiction", "created_by")
    return scope_queryset(qs, user)


def application_get_for(user, pk):
    """One application the user may read, or 404 (never 403: out-of-scope objects do not exist)."""
    return get_object_or_404(application_list_for(user), pk=pk)


def organization_get_for(user, pk):
    return get_object_or_404(organization_list_for(user), pk=pk)


def designation_list_public():
    """Every site, active and revoked (R10: history stays visible). Readable by anyone."""
    return Designation.objects.select_related("organization", "jurisdiction", "round")


def designation_counts():
    """Programme at a glance: active sites by level and by jurisdiction (two aggregate queries)."""
    active = Designation.objects.filter(status=DesignationStatus.ACTIVE)
    by_level = dict(active.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    by_jurisdiction = list(
        Jurisdiction.objects.annotate(
            city=Count("designations", filter=Q(designations__status=DesignationStatus.ACTIVE, designations__level="city")),
            county=Count("designations", filter=Q(designations__status=DesignationStatus.ACTIVE, designations__level="county")),
            revoked=Count("designations", filter=Q(designations__status=DesignationStatus.REVOKED)),
        ).order_by("sort_order", "id")
    )
    return {
        "total": sum(by_level.values()),
        "city": by_level.get("city", 0),
        "county": by_level.get("county", 0),
        "by_jurisdiction": by_jurisdiction,
    }


def material_download_allowed(user, path):
    """Media checker for `applications/` (core.media): a material is served to whoever may
    read its application, with the same scoping as the portal pages."""
    from .models import ApplicationMaterial

    return ApplicationMaterial.objects.filter(file=path, application__in=application_list_for(user).values("pk")).exists()


def screening_summary(*, round_):
    """The 2:1 screening summary (R2): one dict per quota of the round, ordered like the jurisdictions:
    jurisdiction, slots, applications (submitted or later), recommended, limit (ratio × slots), awarded.

    A site counts as awarded when the round holds a Designation for it, whether or not an
    application exists (rounds run before the system have designations but no applications).
    Three queries per round, however many jurisdictions."""
    quotas = list(
        Quota.objects.filter(round=round_).select_related("jurisdiction").order_by("jurisdiction__sort_order", "jurisdiction_id")
    )
    application_counts = {
        row["jurisdiction_id"]: row
        for row in Application.objects.filter(round=round_)
        .values("jurisdiction_id")
        .annotate(
            applications=Count("id", filter=~Q(state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN])),
            recommended=Count("id", filter=Q(state__in=RECOMMENDED_STATES)),
            # Awarded applications whose designation is not (yet) recorded still count once.
            awarded_without_designation=Count(
                "id", filter=Q(state=ApplicationState.AWARDED, designation__isnull=True)
            ),
        )
        .order_by()
    }
    # Every title granted in the round counts as awarded, even if revoked later (R10 keeps history).
    designation_counts = dict(
        Designation.objects.filter(round=round_)
        .values("jurisdiction_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("jurisdiction_id", "n")
    )
    rows = []
    for quota in quotas:
        counts = application_counts.get(quota.jurisdiction_id, {})
        rows.append(
            {
                "jurisdiction": quota.jurisdiction.name,
                "slots": quota.slots,
                "applications": counts.get("applications", 0),
                "recommended": counts.get("recommended", 0),
                "limit": quota.slots * round_.ratio,
                "awarded": designation_counts.get(quota.jurisdiction_id, 0)
                + counts.get("awarded_without_designation", 0),
            }
        )
    return rows
