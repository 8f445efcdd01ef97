"""Every read of the designation workflow: the one place that decides what a user may see.

Portal, API and admin start every list and detail here: `<entity>_list_for(user)` (a queryset of what
`user` may read) and `<entity>_get_for(user, pk)` (that row, or 404: an object outside the user's
scope does not exist for them). Scoping itself comes from core.access's roles:

- municipal office (superusers included) and leading group: everything;
- county office: its own jurisdiction; organisation user: its own unit (and its jurisdiction's quota);
- evaluators read sites' rows only through evaluation's selectors; anonymous: public reads only.

Public reads (designations, the directory, plaque verification) are not scoped: titles are public
(R10: revoked ones too). Every function costs a fixed number of queries whatever the data's size.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.access import is_county, is_organization_user, scope_queryset, sees_everything
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.caching import public_version
from qujing_disclosure.core.clock import today
from qujing_disclosure.core.models import AuditEntry, User

from .enums import LIVE_STATES, RECOMMENDED_STATES, ApplicationState, DesignationStatus, RoundStatus
from .models import Application, ApplicationMaterial, Designation, Jurisdiction, Organization, Quota, Round

_NOT_SUBMITTED = (ApplicationState.DRAFT, ApplicationState.WITHDRAWN)


# --- places and units --------------------------------------------------------------------
def jurisdiction_list_for(user: User | None) -> QuerySet[Jurisdiction]:
    """Every jurisdiction: the city, its counties and committees are public filter values."""
    return Jurisdiction.objects.all()


def organization_list_for(user: User | None) -> QuerySet[Organization]:
    """Staff see every unit; a county office its jurisdiction's; an organisation user its own."""
    qs = Organization.objects.select_related("jurisdiction")
    if sees_everything(user):
        return qs
    if is_county(user):
        return qs.filter(jurisdiction_id=user.jurisdiction_id)
    if is_organization_user(user):
        return qs.filter(pk=user.organization_id)
    return qs.none()


def organization_get_for(user: User | None, pk: int) -> Organization:
    """One unit the user may read, or 404."""
    return get_object_or_404(organization_list_for(user), pk=pk)


def _own_jurisdiction_id(user: User | None) -> int | None:
    """The jurisdiction whose quota a county office or a unit works against (None for everyone else)."""
    if is_county(user):
        return user.jurisdiction_id
    if is_organization_user(user):
        return user.organization.jurisdiction_id
    return None


# --- rounds and quotas (R1, R2) ---------------------------------------------------------
def round_list_for(user: User | None) -> QuerySet[Round]:
    """Staff see every round; other signed-in users rounds once opened (drafts are internal)."""
    qs = Round.objects.select_related("organizer")
    if sees_everything(user):
        return qs
    if user is not None and user.is_authenticated:
        return qs.exclude(status=RoundStatus.DRAFT)
    return qs.none()


def round_get_for(user: User | None, pk: int) -> Round:
    """One round the user may read (a draft only for staff), or 404."""
    return get_object_or_404(round_list_for(user), pk=pk)


def round_apply_list_for(user: User | None, *, in_window: bool = False) -> QuerySet[Round]:
    """Open rounds in which the user's jurisdiction has a quota: where they may create an application.

    `in_window` keeps only rounds whose application window includes today (China time); for an
    organisation user, rounds where its unit already has a live application are left out."""
    jurisdiction_id = _own_jurisdiction_id(user)
    if jurisdiction_id is None:
        return Round.objects.none()
    qs = round_list_for(user).filter(
        Exists(Quota.objects.filter(round=OuterRef("pk"), jurisdiction_id=jurisdiction_id)), status=RoundStatus.OPEN,
    )
    if in_window:
        day = today()
        qs = qs.filter(applications_open_on__lte=day, applications_close_on__gte=day)
        if is_organization_user(user):
            qs = qs.exclude(Exists(Application.objects.filter(
                round=OuterRef("pk"), organization_id=user.organization_id, state__in=LIVE_STATES,
            )))
    return qs


def quota_list_for(user: User | None) -> QuerySet[Quota]:
    """Quotas the user may read: all for staff, its own jurisdiction's for a county office, and for an
    organisation user the quota of its organisation's jurisdiction (what the portal shows it too)."""
    qs = Quota.objects.select_related("jurisdiction")
    if is_organization_user(user) and not sees_everything(user):
        # A subquery, not user.organization: no extra query per request.
        own = Organization.objects.filter(pk=user.organization_id).values("jurisdiction_id")[:1]
        return qs.filter(jurisdiction_id=Subquery(own))
    return scope_queryset(qs, user, organization_field=None)


@dataclass(frozen=True)
class QuotaUsage:
    """R2 at a glance: `recommended` of at most `limit` (= ratio × slots); slots None without a quota."""

    slots: int | None
    limit: int
    recommended: int
    jurisdiction_name: str | None = None

    @property
    def percent(self) -> int:
        if not self.limit:
            return 100 if self.recommended else 0
        return min(100, round(100 * self.recommended / self.limit))

    @property
    def full(self) -> bool:
        return self.recommended >= self.limit


def quota_usage(*, round_: Round, jurisdiction: Jurisdiction | int) -> QuotaUsage:
    """One jurisdiction's R2 usage in one round (two queries). For a row the caller may already read."""
    quota = Quota.objects.filter(round=round_, jurisdiction=jurisdiction).select_related("jurisdiction").first()
    recommended = Application.objects.filter(
        round=round_, jurisdiction=jurisdiction, state__in=RECOMMENDED_STATES
    ).count()
    if quota is None:
        return QuotaUsage(slots=None, limit=0, recommended=recommended)
    return QuotaUsage(slots=quota.slots, limit=quota.slots * round_.ratio, recommended=recommended,
                      jurisdiction_name=quota.jurisdiction.name)


def quota_usage_for(user: User | None, *, round_: Round) -> QuotaUsage | None:
    """The usage of the user's own jurisdiction in `round_` (county office, unit), else None."""
    jurisdiction_id = _own_jurisdiction_id(user)
    if jurisdiction_id is None:
        return None
    return quota_usage(round_=round_, jurisdiction=jurisdiction_id)


def round_usage_list_for(user: User | None, *, status: str | None = None) -> list[Round]:
    """The rounds the user may read, each with `.usage` (QuotaUsage) and the counts
    `.usage_applications` (submitted or later) and `.usage_pending` (waiting for screening):
    their own jurisdiction's for a county office or a unit, the city's totals for staff, None
    for anyone else. One query whatever the number of rounds."""
    rounds = round_list_for(user)
    if status is not None:
        rounds = rounds.filter(status=status)
    jurisdiction_id = _own_jurisdiction_id(user)
    if jurisdiction_id is not None:
        slots = quota_list_for(user).filter(round=OuterRef("pk")).values("slots")[:1]
        in_scope = Q(applications__jurisdiction_id=jurisdiction_id)
    elif sees_everything(user):
        slots = (
            Quota.objects.filter(round=OuterRef("pk")).order_by().values("round")
            .annotate(total=Sum("slots")).values("total")[:1]
        )
        in_scope = Q()
    else:
        rows = list(rounds)
        for round_ in rows:
            round_.usage = None
        return rows
    rows = list(rounds.annotate(
        usage_slots=Subquery(slots, output_field=IntegerField()),
        usage_recommended=Count("applications", filter=in_scope & Q(applications__state__in=RECOMMENDED_STATES)),
        usage_applications=Count("applications", filter=in_scope & ~Q(applications__state__in=_NOT_SUBMITTED)),
        usage_pending=Count("applications", filter=in_scope & Q(applications__state=ApplicationState.SUBMITTED)),
    ))
    for round_ in rows:
        round_.usage = QuotaUsage(
            slots=round_.usage_slots, limit=(round_.usage_slots or 0) * round_.ratio, recommended=round_.usage_recommended,
        )
    return rows


def round_with_quotas_list_for(user: User | None) -> QuerySet[Round]:
    """Rounds the user may read, each with `visible_quotas`: the quotas the user may read, ordered like
    the jurisdictions and annotated with `recommended` (R2). Two queries whatever the size."""
    recommended = (
        Application.objects.filter(
            round_id=OuterRef("round_id"), jurisdiction_id=OuterRef("jurisdiction_id"), state__in=RECOMMENDED_STATES
        )
        .order_by().values("round_id").annotate(n=Count("id")).values("n")
    )
    quotas = (
        quota_list_for(user).order_by("jurisdiction__sort_order", "jurisdiction_id")
        .annotate(recommended=Coalesce(Subquery(recommended, output_field=IntegerField()), Value(0)))
    )
    return round_list_for(user).prefetch_related(Prefetch("quotas", queryset=quotas, to_attr="visible_quotas"))


def screening_summary(*, round_: Round) -> list[dict]:
    """The 2:1 screening summary (R2): one dict per quota of the round, ordered like the jurisdictions:
    jurisdiction, slots, applications (submitted or later), recommended, limit (ratio × slots), awarded.

    For staff (the portal's round page, the admin and the Excel export). A site counts as awarded
    when the round holds a Designation for it, whether or not an application exists (rounds run
    before the system have designations but no applications). Three queries per round."""
    quotas = list(
        Quota.objects.filter(round=round_).select_related("jurisdiction").order_by("jurisdiction__sort_order", "jurisdiction_id")
    )
    application_counts = {
        row["jurisdiction_id"]: row
        for row in Application.objects.filter(round=round_)
        .values("jurisdiction_id")
        .annotate(
            applications=Count("id", filter=~Q(state__in=_NOT_SUBMITTED)),
            recommended=Count("id", filter=Q(state__in=RECOMMENDED_STATES)),
            # Awarded applications whose designation is not (yet) recorded still count once.
            awarded_without_designation=Count(
                "id", filter=Q(state=ApplicationState.AWARDED, designation__isnull=True)
            ),
        )
        .order_by()
    }
    # Every title granted in the round counts as awarded, even if revoked later (R10 keeps history).
    designations = dict(
        Designation.objects.filter(round=round_)
        .values("jurisdiction_id").annotate(n=Count("id")).order_by().values_list("jurisdiction_id", "n")
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
                "awarded": designations.get(quota.jurisdiction_id, 0) + counts.get("awarded_without_designation", 0),
            }
        )
    return rows


# --- applications (R3) -------------------------------------------------------------------
def application_list_for(user: User | None) -> QuerySet[Application]:
    """Applications the user may read: all for staff, own jurisdiction's, own unit's, else none."""
    qs = Application.objects.select_related("round", "organization", "jurisdiction", "created_by")
    return scope_queryset(qs, user)


def application_get_for(user: User | None, pk: int) -> Application:
    """One application the user may read, or 404 (never 403: out-of-scope objects do not exist)."""
    return get_object_or_404(application_list_for(user), pk=pk)


def application_state_counts(applications: QuerySet[Application]) -> dict[str, int]:
    """{state: count} of an already scoped queryset (one query)."""
    return dict(applications.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))


def material_list_for(user: User | None) -> QuerySet[ApplicationMaterial]:
    """Materials of the applications the user may read."""
    return ApplicationMaterial.objects.filter(
        application__in=application_list_for(user).values("pk")
    ).select_related("uploaded_by")


def material_download_allowed(user: User | None, path: str) -> bool:
    """Media checker for `applications/` (core.media): a material is served to whoever may
    read its application, with the same scoping as the portal pages."""
    return material_list_for(user).filter(file=path).exists()


# --- designations: public (R9, R10) -----------------------------------------------------
# A plaque number is at most this long (Designation.plaque_number).
PLAQUE_MAX_LENGTH = Designation._meta.get_field("plaque_number").max_length


def designation_list_for(user: User | None = None) -> QuerySet[Designation]:
    """Every site, active and revoked (R10: history stays visible). Readable by anyone."""
    return Designation.objects.select_related("organization", "jurisdiction", "round")


def designation_get_for(user: User | None, pk: int) -> Designation:
    """One site, active or revoked (public), or 404."""
    return get_object_or_404(designation_list_for(user), pk=pk)


def designation_counts() -> dict:
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


def designation_overview() -> dict:
    """The programme at a glance: active sites by level and jurisdiction, and revocations (3 queries)."""
    counts = designation_counts()
    revoked_by_level = dict(
        Designation.objects.filter(status=DesignationStatus.REVOKED)
        .order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    counts["revoked"] = sum(revoked_by_level.values())
    counts["revoked_city"] = revoked_by_level.get("city", 0)
    counts["revoked_county"] = revoked_by_level.get("county", 0)
    # Only jurisdictions that hold or held a title appear in the chart and its table.
    counts["by_jurisdiction"] = [j for j in counts["by_jurisdiction"] if j.city or j.county or j.revoked]
    return counts


def designation_latest(*, limit: int = 8) -> list[Designation]:
    """The most recently awarded titles (1 query)."""
    return list(designation_list_for().order_by("-awarded_on", "-id")[:limit])


def designation_directory() -> QuerySet[Designation]:
    """Every site for the public directory: active first, newest award first, then by place and name."""
    return designation_list_for().order_by("status", "-awarded_on", "jurisdiction__sort_order", "organization__name", "id")


def designation_award_years() -> list[int]:
    """Years in which titles were awarded, newest first (for the directory's year filter).

    Listing distinct years reads every row, and they change only when a title is awarded,
    so the list is cached under the public pages' version (bumped on every save of a site)."""
    key = f"sites:award-years:{public_version('sites')}"
    return cache.get_or_set(
        key, lambda: [d.year for d in Designation.objects.dates("awarded_on", "year", order="DESC")], 24 * 3600
    )


def designation_unit_history(designation: Designation) -> list[Designation]:
    """Every title the same unit has held, oldest first (R10: history stays visible; 1 query)."""
    return list(
        Designation.objects.filter(organization_id=designation.organization_id)
        .select_related("round").order_by("awarded_on", "id")
    )


def designation_audit_history(designation: Designation) -> list[AuditEntry]:
    """The designation's audit entries, oldest first, actors loaded (1 query once content types are cached).

    The view decides which entries and which fields the public may see."""
    return list(history_for(designation))


def normalize_plaque(raw: str | None) -> str:
    """What a person typed or scanned, as a plaque number: full-width forms folded
    (NFKC, for phone input methods) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", raw or "").strip()


def designation_find_by_plaque(plaque: str | None) -> Designation | None:
    """The designation with this plaque number, case-insensitive, or None (at most 1 query)."""
    plaque = normalize_plaque(plaque)
    if not plaque or len(plaque) > PLAQUE_MAX_LENGTH:
        return None
    return designation_list_for().filter(plaque_number__iexact=plaque).first()
