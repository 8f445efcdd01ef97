"""Reads behind the public pages (`/`, `/sites/`, `/sites/<id>/`, `/sites/verify/`).

Designations are public (R10: revoked ones too, with date and reason), so nothing here
is scoped by user. Every function costs a fixed number of queries, whatever the number
of sites, so the public pages keep a constant query count.
"""
import unicodedata

from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import get_object_or_404

from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.caching import public_version

from .enums import DesignationStatus
from .models import Designation
from .selectors import designation_counts, designation_list_public

# A plaque number is at most this long (Designation.plaque_number).
PLAQUE_MAX_LENGTH = Designation._meta.get_field("plaque_number").max_length


def designation_overview():
    """The programme at a glance: active sites by level and jurisdiction, and revocations (3 queries)."""
    counts = designation_counts()
    revoked_by_level = dict(
        Designation.objects.filter(status=DesignationStatus.REVOKED)
        .order_by()
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    counts["revoked"] = sum(revoked_by_level.values())
    counts["revoked_city"] = revoked_by_level.get("city", 0)
    counts["revoked_county"] = revoked_by_level.get("county", 0)
    # Only jurisdictions that hold or held a title appear in the chart and its table.
    counts["by_jurisdiction"] = [
        j for j in counts["by_jurisdiction"] if j.city or j.county or j.revoked
    ]
    return counts


def designation_latest(*, limit=8):
    """The most recently awarded titles (1 query)."""
    return list(designation_list_public().order_by("-awarded_on", "-id")[:limit])


def designation_directory():
    """Every site for the public directory: active first, newest award first, then by place and name."""
    return designation_list_public().order_by(
        "status", "-awarded_on", "jurisdiction__sort_order", "organization__name", "id"
    )


def designation_award_years():
    """Years in which titles were awarded, newest first (for the directory's year filter).

    Listing distinct years reads every row, and they change only when a title is awarded,
    so the list is cached under the public pages' version (bumped on every save of a site).
    """
    key = f"sites:award-years:{public_version('sites')}"
    return cache.get_or_set(
        key, lambda: [d.year for d in Designation.objects.dates("awarded_on", "year", order="DESC")], 24 * 3600
    )


def designation_get_public(pk):
    return get_object_or_404(designation_list_public(), pk=pk)


def designation_unit_history(designation):
    """Every title the same unit has held, oldest first (R10: history stays visible; 1 query)."""
    return list(
        Designation.objects.filter(organization_id=designation.organization_id)
        .select_related("round")
        .order_by("awarded_on", "id")
    )


def designation_audit_history(designation):
    """The designation's audit entries, oldest first, actors loaded (1 query once content types are cached).

    The view decides which entries and which fields the public may see.
    """
    return list(history_for(designation))


def normalize_plaque(raw):
    """What a person typed or scanned, as a plaque number: full-width forms folded
    (NFKC, for phone input methods) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", raw or "").strip()


def designation_find_by_plaque(plaque):
    """The designation with this plaque number, case-insensitive, or None (at most 1 query)."""
    plaque = normalize_plaque(plaque)
    if not plaque or len(plaque) > PLAQUE_MAX_LENGTH:
        return None
    return designation_list_public().filter(plaque_number__iexact=plaque).first()
