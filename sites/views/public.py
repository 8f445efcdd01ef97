"""The public pages of the designation programme: readable by anyone, signed in or not.

- `/`                   the programme at a glance (counts, chart by jurisdiction, latest titles)
- `/sites/`             every site, active and revoked (R10), filterable, 50 per page
- `/sites/<id>/`        one site: its title, its unit's history, public audit record, QR code
- `/sites/verify/`      is the title on plaque N still valid? (HTML, or JSON with ?format=json)

Each page costs a fixed number of queries whatever the number of sites.
"""
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from qujing_disclosure.core.access import role_of
from qujing_disclosure.core.caching import cache_public_page
from qujing_disclosure.core.models import Role
from qujing_disclosure.core.portal import render_blocks

from .. import selectors
from ..charts import qr_svg, stacked_hbar_svg
from ..enums import DesignationStatus, Level
from ..filters import DesignationFilter
from ..wiring import home_blocks as registered_home_blocks
from ..wiring import public_action_label, site_detail_blocks

SITES_PER_PAGE = 50
LATEST_ON_HOME = 8

CITY_COLOUR = "#b3261e"
COUNTY_COLOUR = "#e59a2f"

# Who did it, as the public may read it: an office, never a person's name or username.
PUBLIC_ROLE_WORDS = {
    Role.MUNICIPAL: gettext_lazy("市党务公开办"),
    Role.LEADING_GROUP: gettext_lazy("市党务公开工作领导小组"),
    Role.EVALUATOR: gettext_lazy("考评组"),
    Role.COUNTY: gettext_lazy("县（市、区）党务公开办"),
    Role.ORGANIZATION: gettext_lazy("申报单位"),
}


def public_actor_word(actor):
    """The office behind an audit entry; scheduled jobs (no actor) are the system."""
    if actor is None:
        return _("系统自动处理")
    return PUBLIC_ROLE_WORDS.get(role_of(actor), _("市党务公开办"))


def public_audit_entries(entries):
    """Audit entries the public may read: only registered public actions (see sites.wiring),
    each as date, action in words, reason, and the acting office."""
    rows = []
    for entry in entries:
        label = public_action_label(entry.action)
        if label is None:
            continue
        rows.append(
            {
                "created_at": entry.created_at,
                "action": label,
                "reason": entry.reason,
                "office": public_actor_word(entry.actor),
            }
        )
    return rows


def unit_timeline(designations):
    """The unit's titles as dated events, oldest first: each award, and each revocation (R10)."""
    events = []
    for d in designations:
        events.append({"date": d.awarded_on, "kind": "awarded", "designation": d})
        if d.status == DesignationStatus.REVOKED and d.revoked_on:
            events.append({"date": d.revoked_on, "kind": "revoked", "designation": d})
    # On the same day a revocation comes before a new award.
    return sorted(events, key=lambda e: (e["date"], e["kind"] == "awarded", e["designation"].pk))


def site_verify_url(request, plaque_number):
    """Absolute URL of the verify page for one plaque: what the plaque's QR code encodes.

    `PUBLIC_BASE_URL` (e.g. https://dwgk.qj.gov.cn), when set, wins over the request's host,
    because a printed plaque must point at the public address whichever host served the page.
    """
    path = reverse("public:site_verify") + "?" + urlencode({"plaque": plaque_number})
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def plaque_qr_svg(request, designation):
    return qr_svg(site_verify_url(request, designation.plaque_number), title=_("扫码核验示范点称号"))


def jurisdiction_chart(by_jurisdiction):
    return stacked_hbar_svg(
        rows=[(j.name, [j.city, j.county]) for j in by_jurisdiction],
        series=[(str(Level.CITY.label), CITY_COLOUR), (str(Level.COUNTY.label), COUNTY_COLOUR)],
        title=_("各辖区现有示范点数量"),
        desc=_("按辖区统计的有效示范点，分市级和县级；具体数字见下表。"),
        chart_id="chart-jurisdiction",
    )


@require_safe
@cache_public_page("sites")
def home(request):
    overview = selectors.designation_overview()
    context = {
        "overview": overview,
        "chart": jurisdiction_chart(overview["by_jurisdiction"]),
        "latest": selectors.designation_latest(limit=LATEST_ON_HOME),
        "extra_blocks": render_blocks(request, registered_home_blocks(request)),
    }
    return render(request, "public/home.html", context)


@require_safe
@cache_public_page("sites")
def site_list(request):
    filterset = DesignationFilter(request.GET or None, queryset=selectors.designation_directory())
    page = Paginator(filterset.qs, SITES_PER_PAGE).get_page(request.GET.get("page"))
    # Links to other pages keep the filters but not the page number.
    query = request.GET.copy()
    query.pop("page", None)
    # Filters whose value did not validate (an unknown jurisdiction id, say) are ignored.
    cleaned = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    context = {
        "filterset": filterset,
        "page": page,
        "query_string": query.urlencode(),
        "jurisdictions": selectors.jurisdiction_list_for(request.user),
        "years": selectors.designation_award_years(),
        "levels": Level.choices,
        "statuses": DesignationStatus.choices,
        "selected": {
            "level": request.GET.get("level", ""),
            "jurisdiction": request.GET.get("jurisdiction", ""),
            "year": request.GET.get("year", ""),
            "status": request.GET.get("status", ""),
            "q": request.GET.get("q", "").strip(),
        },
        "is_filtered": any(cleaned.get(name) not in (None, "") for name in DesignationFilter.base_filters),
    }
    return render(request, "public/site_list.html", context)


@require_safe
@cache_public_page("sites")
def site_detail(request, pk):
    designation = selectors.designation_get_for(request.user, pk)
    context = {
        "designation": designation,
        "timeline": unit_timeline(selectors.designation_unit_history(designation)),
        "audit": public_audit_entries(selectors.designation_audit_history(designation)),
        "verify_url": site_verify_url(request, designation.plaque_number),
        "qr": plaque_qr_svg(request, designation),
        "extra_blocks": render_blocks(request, site_detail_blocks(request, designation)),
    }
    return render(request, "public/site_detail.html", context)


def _verify_json(plaque, designation):
    if designation is None:
        return JsonResponse(
            {
                "plaque": plaque, "valid": False, "status": None, "organization": None, "level": None,
                "revoked_on": None, "revoke_reason": None,
                "message": _("未找到该牌匾编号。") if plaque else _("请提供牌匾编号（plaque）。"),
            },
            status=404 if plaque else 400,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        {
            "plaque": designation.plaque_number,
            "valid": designation.status == DesignationStatus.ACTIVE,
            "status": designation.status,
            "organization": designation.organization.name,
            "jurisdiction": designation.jurisdiction.name,
            "level": designation.level,
            "title": designation.title,
            "awarded_on": designation.awarded_on.isoformat(),
            "revoked_on": designation.revoked_on.isoformat() if designation.revoked_on else None,
            "revoke_reason": designation.revoke_reason or None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def site_verify(request):
    """R9/R10: anyone holding or scanning a plaque checks whether its title is still valid."""
    plaque = selectors.normalize_plaque(request.GET.get("plaque", ""))
    designation = selectors.designation_find_by_plaque(plaque) if plaque else None
    if request.GET.get("format") == "json":
        return _verify_json(plaque, designation)
    context = {
        "plaque": plaque,
        "asked": bool(plaque),
        "designation": designation,
        "plaque_max_length": selectors.PLAQUE_MAX_LENGTH,
    }
    return render(request, "public/site_verify.html", context)
