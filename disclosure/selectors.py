"""Reads of the disclosure work, always scoped to the user (core.access), plus the public reads
and the compliance figures used by the supervising offices and the evaluation ranking (R6, R20)."""
import datetime
from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qujing_disclosure.core.access import (
    is_county,
    scope_queryset,
    sees_everything,
)
from qujing_disclosure.core.workdays import load_calendar
from sites.models import Organization
from sites.selectors import organization_list_for  # noqa: F401 - the one scoping of organisations

from . import dates
from .enums import (
    CADENCE_MONTHS,
    RECTIFICATION_OPEN_STATES,
    Cadence,
    ComplianceMark,
    FeedbackState,
    FindingKind,
    ItemState,
    RectificationState,
    Satisfaction,
    Scope,
)
from .models import (
    Carrier,
    CatalogueEntry,
    Category,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
    Reminder,
    SatisfactionRating,
)


def category_list():
    return Category.objects.filter(is_active=True)


def carrier_list_for(user):
    return scope_queryset(Carrier.objects.select_related("organization"), user)


def entry_list_for(user):
    return scope_queryset(
        CatalogueEntry.objects.select_related("organization", "category").prefetch_related("carriers"), user
    )


def item_list_for(user):
    return scope_queryset(
        Item.objects.select_related("organization", "entry__category", "created_by").prefetch_related("carriers"), user
    )


def item_get_for(user, pk):
    """One item the user may read, or 404 (never 403)."""
    qs = item_list_for(user).prefetch_related("attachments", "evidence__carrier", "evidence__recorded_by")
    return get_object_or_404(qs, pk=pk)


def item_proof(item):
    """Proof of publication per carrier of the item (R14 step 3), from its prefetched carriers and evidence:
    ([{"carrier", "evidence", "proved"}] in carrier order, [evidence recorded without a carrier])."""
    evidence = list(item.evidence.all())
    carriers = sorted(item.carriers.all(), key=lambda carrier: carrier.pk)
    ids = {carrier.pk for carrier in carriers}
    rows = []
    for carrier in carriers:
        mine = [e for e in evidence if e.carrier_id == carrier.pk]
        rows.append({"carrier": carrier, "evidence": mine, "proved": bool(mine)})
    return rows, [e for e in evidence if e.carrier_id not in ids]


def series_root_id(item):
    """The first item of a repeated (多次公开, R15) series; an item that starts or has no series is its own root."""
    return item.series_id or item.pk


def item_series_for(user, item):
    """R15: every item of `item`'s series the user may read, earliest first (publication date, then drafting order).

    Empty when the item stands alone (a series needs at least two items).
    """
    root = series_root_id(item)
    members = list(
        scope_queryset(Item.objects.all(), user)
        .filter(Q(pk=root) | Q(series_id=root))
        .only("id", "title", "state", "publish_on", "published_on", "series_id", "organization_id", "jurisdiction_id")
        .order_by("publish_on", "id")
    )
    return members if len(members) > 1 else []


def exemption_list_for(user):
    return scope_queryset(Exemption.objects.select_related("organization", "jurisdiction"), user)


def feedback_list_for(user):
    return scope_queryset(Feedback.objects.select_related("organization", "item"), user)


def finding_list_for(user):
    return scope_queryset(
        Finding.objects.select_related("organization", "entry", "item", "rectification"), user
    )


def rectification_list_for(user):
    return scope_queryset(Rectification.objects.select_related("organization", "finding"), user)


def rectification_exchange(notice, history):
    """R20: the whole exchange of a rectification notice, oldest first: each report the organisation sent
    and what the office answered (sent back with a reason, or closed).

    [{"n", "report", "reported_at", "reported_by", "outcome": "returned"|"closed"|None, "note",
      "checked_at", "checked_by"}], read from the notice's audit `history` (core.audit.history_for).
    A notice reported before reports were kept in the record shows its latest report alone."""
    rounds = []
    for entry in history:
        if entry.action == "disclosure.rectification.report":
            rounds.append({
                "n": len(rounds) + 1, "report": entry.reason or (entry.data or {}).get("report", ""),
                "reported_at": entry.created_at, "reported_by": entry.actor, "outcome": None, "note": "",
                "checked_at": None, "checked_by": None,
            })
        elif entry.action in ("disclosure.rectification.return", "disclosure.rectification.close") and rounds:
            rounds[-1].update(
                outcome="returned" if entry.action.endswith("return") else "closed", note=entry.reason,
                checked_at=entry.created_at, checked_by=entry.actor,
            )
    if not rounds and notice.report:
        outcome = {RectificationState.RETURNED: "returned", RectificationState.CLOSED: "closed"}.get(notice.state)
        rounds.append({"n": 1, "report": notice.report, "reported_at": notice.reported_at, "reported_by": None,
                       "outcome": outcome, "note": notice.check_note, "checked_at": None, "checked_by": None})
    return rounds


def reminder_list_for(user):
    return scope_queryset(Reminder.objects.select_related("organization"), user, jurisdiction_field="organization__jurisdiction")


# --- public reads: external items on display only ---------------------------------------
def item_list_public():
    """R13: only external items now on display, of active organisations. Internal items never."""
    return Item.objects.filter(
        scope=Scope.EXTERNAL, state=ItemState.PUBLISHED, organization__is_active=True
    )


PUBLIC_PAGE_SIZE = 20


def public_page(organization_id, *, page=1):
    """Everything `/disclosure/<id>/` shows, in a constant number of queries (items 20 to a page)."""
    from django.core.paginator import Paginator

    organization = get_object_or_404(
        Organization.objects.select_related("jurisdiction"), pk=organization_id, is_active=True
    )
    entries = list(
        CatalogueEntry.objects.filter(organization=organization, is_active=True, scope=Scope.EXTERNAL)
        .select_related("category")
        .prefetch_related(Prefetch("carriers", queryset=Carrier.objects.filter(is_active=True).order_by("id")))
        .order_by("category__sort_order", "id")
    )
    items = Paginator(
        item_list_public()
        .filter(organization=organization)
        .select_related("entry__category")
        .prefetch_related("attachments")
        .order_by("-published_on", "-id"),
        PUBLIC_PAGE_SIZE,
    ).get_page(page)
    carriers = list(Carrier.objects.filter(organization=organization, is_active=True))
    items.object_list = list(items.object_list)  # evaluated once; the template reads these same objects
    _attach_public_series(items.object_list)
    return {"organization": organization, "entries": entries, "items": items, "carriers": carriers}


def _attach_public_series(items):
    """R15: give each shown item `.public_series`, the items of its repeated series the public may read
    (external and on display), earliest first; empty when it stands alone. One query for the whole page."""
    roots = {series_root_id(item) for item in items}
    by_root = defaultdict(list)
    if roots:
        for member in (
            item_list_public().filter(Q(pk__in=roots) | Q(series_id__in=roots))
            .only("id", "title", "publish_on", "published_on", "series_id")
            .order_by("publish_on", "id")
        ):
            by_root[series_root_id(member)].append(member)
    shown = {item.pk for item in items}
    for members in by_root.values():
        for member in members:
            member.on_page = member.pk in shown  # else it is on another page of the list
    for item in items:
        members = by_root.get(series_root_id(item), [])
        item.public_series = members if len(members) > 1 else []


def feedback_by_code(code):
    return get_object_or_404(Feedback.objects.select_related("organization", "item"), code=(code or "").strip().upper())


def feedback_with_deadlines(feedback_rows, calendar=None, today=None):
    """Attach `.deadline` (Deadline: due + explanation) and `.overdue` to each feedback (R18)."""
    from django.conf import settings

    calendar = calendar or load_calendar()
    today = today or timezone.localdate()
    rows = list(feedback_rows)
    for row in rows:
        row.deadline = calendar.add_working_days(row.received_on, settings.FEEDBACK_ANSWER_WORKING_DAYS)
        done_on = row.answered_on if row.state == FeedbackState.ANSWERED else None
        row.overdue = (done_on or today) > row.deadline.due
    return rows


# --- compliance (R16, R17, R18, R19, R20) ---------------------------------------------
def _period(year, today):
    if year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return dates.add_months(today, -11), today


def compliance_calendar(organization_ids, *, today=None, months=12):
    """{org_id: [(month_start, ComplianceMark)]} for the last `months` months (two queries).

    A month is missed when a due staged/periodic entry had nothing published in it, late when
    something due was published after the window (or after its asked-for window), on time otherwise;
    the running month only counts as missed once its window has closed.
    """
    today = today or timezone.localdate()
    month_starts = dates.last_months(today, months)
    start, end = month_starts[0], today
    entries = defaultdict(list)
    for entry_id, org_id, cadence, created_at in CatalogueEntry.objects.filter(
        organization_id__in=organization_ids, is_active=True
    ).exclude(cadence=Cadence.AS_NEEDED).values_list("id", "organization_id", "cadence", "created_at"):
        entries[org_id].append((entry_id, cadence, timezone.localdate(created_at)))
    published = defaultdict(list)
    for org_id, entry_id, published_on, due_by in Item.objects.filter(
        organization_id__in=organization_ids, published_on__gte=start, published_on__lte=end
    ).values_list("organization_id", "entry_id", "published_on", "due_by"):
        published[org_id].append((entry_id, published_on, due_by))
    result = {}
    for org_id in organization_ids:
        marks = []
        for month in month_starts:
            window_end = dates.window_end(month)
            month_end = dates.add_months(month, 1) - datetime.timedelta(days=1)
            in_month = [(e, p, d) for e, p, d in published[org_id] if month <= p <= month_end]
            late = any(p > d for _e, p, d in in_month)
            missed = False
            due_any = False
            for entry_id, cadence, created_on in entries[org_id]:
                if month.month not in CADENCE_MONTHS[cadence] or created_on >= month:
                    continue
                due_any = True
                mine = [p for e, p, _d in in_month if e == entry_id]
                if any(p <= window_end for p in mine):
                    continue
                if mine:
                    late = True
                elif today > window_end:
                    missed = True
            if missed:
                mark = ComplianceMark.MISSED
            elif late:
                mark = ComplianceMark.LATE
            elif due_any or in_month:
                mark = ComplianceMark.ON_TIME
            else:
                mark = ComplianceMark.NONE_DUE
            marks.append((month, mark))
        result[org_id] = marks
    return result


def inspection_record_for(organization_ids, *, year=None, today=None):
    """The compliance figures of many organisations in a few queries, for supervising offices and
    for the evaluation ranking's inspection record (R6, R20).

    Period: the calendar `year` when given, else the 12 months up to today (China time).
    Returns {org_id: {
        "published": int,            # items published in the period (internal and external)
        "on_time": int,              # of which published within their window (R16; prompt items at once)
        "late": int,                 # published after their window
        "on_time_rate": float|None,  # on_time / published, 0–1; None when nothing was published
        "missed": int,               # findings: due catalogue entries with nothing published (the 11th check)
        "display_breaches": int,     # findings: shown less than 15 days (R17)
        "findings": int,             # all findings in the period
        "entries": int,              # active catalogue entries
        "entries_covered": int,      # of which with at least one item published in the period
        "coverage_rate": float|None,
        "feedback": int,             # feedback received in the period (R18)
        "feedback_answered_in_time": int,
        "feedback_overdue": int,     # answered late, or open past the deadline
        "rectifications": int,       # notices issued in the period (R20)
        "rectifications_open": int,
        "rectifications_overdue": int,  # open past the deadline, or closed after it — count against the unit
        "satisfaction": {"satisfied": int, "basic": int, "dissatisfied": int, "total": int,
                          "rate": float|None},  # (satisfied + basic) / total (R19)
    }} — every requested id is present, with zeros when there is no data.
    """
    today = today or timezone.localdate()
    start, end = _period(year, today)
    return record_between(organization_ids, start=start, end=end, today=today)


def record_between(organization_ids, *, start, end, today=None):
    """The figures of inspection_record_for over any period [start, end] (e.g. one month for the report)."""
    today = today or timezone.localdate()
    ids = list(organization_ids)
    record = {
        pk: {
            "published": 0, "on_time": 0, "late": 0, "on_time_rate": None, "missed": 0, "display_breaches": 0,
            "findings": 0, "entries": 0, "entries_covered": 0, "coverage_rate": None, "feedback": 0,
            "feedback_answered_in_time": 0, "feedback_overdue": 0, "rectifications": 0, "rectifications_open": 0,
            "rectifications_overdue": 0,
            "satisfaction": {"satisfied": 0, "basic": 0, "dissatisfied": 0, "total": 0, "rate": None},
        }
        for pk in ids
    }
    if not ids:
        return record
    for row in (
        Item.objects.filter(organization_id__in=ids, published_on__gte=start, published_on__lte=end)
        .values("organization_id")
        .annotate(published=Count("id"), on_time=Count("id", filter=Q(published_on__lte=F("due_by"))))
    ):
        r = record[row["organization_id"]]
        r["published"], r["on_time"] = row["published"], row["on_time"]
        r["late"] = row["published"] - row["on_time"]
        r["on_time_rate"] = row["on_time"] / row["published"] if row["published"] else None
    for row in (
        CatalogueEntry.objects.filter(organization_id__in=ids, is_active=True)
        .values("organization_id")
        .annotate(
            entries=Count("id", distinct=True),
            covered=Count("id", distinct=True, filter=Q(items__published_on__gte=start, items__published_on__lte=end)),
        )
    ):
        r = record[row["organization_id"]]
        r["entries"], r["entries_covered"] = row["entries"], row["covered"]
        r["coverage_rate"] = row["covered"] / row["entries"] if row["entries"] else None
    for row in (
        Finding.objects.filter(organization_id__in=ids, period__gte=dates.first_of_month(start), period__lte=end)
        .values("organization_id", "kind")
        .annotate(n=Count("id"))
    ):
        r = record[row["organization_id"]]
        r["findings"] += row["n"]
        if row["kind"] == FindingKind.MISSED:
            r["missed"] += row["n"]
        elif row["kind"] == FindingKind.DISPLAY_BREACH:
            r["display_breaches"] += row["n"]
    for row in (
        Rectification.objects.filter(organization_id__in=ids, issued_at__date__gte=start, issued_at__date__lte=end)
        .values("organization_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(state__in=RECTIFICATION_OPEN_STATES)),
            overdue=Count(
                "id",
                filter=Q(state__in=RECTIFICATION_OPEN_STATES, deadline__lt=today)
                | Q(state=RectificationState.CLOSED, closed_on__gt=F("deadline")),
            ),
        )
    ):
        r = record[row["organization_id"]]
        r["rectifications"], r["rectifications_open"], r["rectifications_overdue"] = row["total"], row["open"], row["overdue"]
    feedback = list(
        Feedback.objects.filter(organization_id__in=ids, received_on__gte=start, received_on__lte=end).only(
            "id", "organization_id", "received_on", "answered_on", "state"
        )
    )
    if feedback:
        for row in feedback_with_deadlines(feedback, today=today):
            r = record[row.organization_id]
            r["feedback"] += 1
            if row.overdue:
                r["feedback_overdue"] += 1
            elif row.state == FeedbackState.ANSWERED:
                r["feedback_answered_in_time"] += 1
    for row in (
        SatisfactionRating.objects.filter(organization_id__in=ids, month__gte=dates.first_of_month(start), month__lte=end)
        .values("organization_id", "rating")
        .annotate(n=Count("id"))
    ):
        s = record[row["organization_id"]]["satisfaction"]
        s[row["rating"]] = row["n"]
        s["total"] += row["n"]
    for r in record.values():
        s = r["satisfaction"]
        if s["total"]:
            s["rate"] = (s[Satisfaction.SATISFIED] + s[Satisfaction.BASIC]) / s["total"]
    return record


CITY_WIDE = "all"


def board_jurisdiction_for(user, value):
    """The jurisdiction a compliance board or monthly report covers, from the `jurisdiction` parameter.

    Returns None for the whole city (全市) or a Jurisdiction. Staff who see everything get the whole
    city by default ("" or "all") and may pick any jurisdiction; a county office only ever gets its own
    (no parameter, or its own id). Anything else — another county, the whole city, garbage — is 404,
    as if it did not exist.
    """
    from django.http import Http404

    from sites.models import Jurisdiction

    value = (value or "").strip()
    if sees_everything(user):
        if value in ("", CITY_WIDE):
            return None
        if value.isdigit():
            jurisdiction = Jurisdiction.objects.filter(pk=int(value)).first()
            if jurisdiction is not None:
                return jurisdiction
        raise Http404()
    if is_county(user) and value in ("", str(user.jurisdiction_id)):
        return Jurisdiction.objects.get(pk=user.jurisdiction_id)
    raise Http404()


def board_totals(rows):
    """The board's headline figures summed over `rows` (one per organisation)."""
    totals = {key: sum(r["record"][key] for r in rows) for key in (
        "published", "on_time", "late", "missed", "display_breaches", "feedback", "feedback_answered_in_time",
        "feedback_overdue", "rectifications_open", "rectifications_overdue", "entries", "entries_covered",
    )}
    ratings = {key: sum(r["record"]["satisfaction"][key] for r in rows) for key in ("satisfied", "basic", "dissatisfied", "total")}
    totals["organizations"] = len(rows)
    totals["on_time_rate"] = totals["on_time"] / totals["published"] if totals["published"] else None
    totals["coverage_rate"] = totals["entries_covered"] / totals["entries"] if totals["entries"] else None
    totals["feedback_rate"] = (
        totals["feedback_answered_in_time"] / totals["feedback"] if totals["feedback"] else None
    )
    totals["satisfaction_rate"] = (ratings["satisfied"] + ratings["basic"]) / ratings["total"] if ratings["total"] else None
    totals["ratings"] = ratings
    return totals


def summary_by_jurisdiction(rows):
    """[{"jurisdiction", "totals"}] for the organisations' rows, in jurisdiction order (no query:
    the rows' organisations carry their jurisdiction)."""
    groups = {}
    for row in rows:
        jurisdiction = row["organization"].jurisdiction
        groups.setdefault(jurisdiction.pk, (jurisdiction, []))[1].append(row)
    ordered = sorted(groups.values(), key=lambda group: (group[0].sort_order, group[0].pk))
    return [{"jurisdiction": jurisdiction, "totals": board_totals(members)} for jurisdiction, members in ordered]


def board_for(user, *, jurisdiction_id=None, today=None):
    """The compliance board of a supervising office: its organisations with their record and calendar,
    the totals, and a per-jurisdiction summary. `jurisdiction_id=None` is the user's whole scope (the
    whole city for staff). A constant number of queries, whatever the number of organisations."""
    today = today or timezone.localdate()
    organizations = organization_list_for(user).filter(is_active=True)
    if jurisdiction_id:
        organizations = organizations.filter(jurisdiction_id=jurisdiction_id)
    organizations = list(organizations.order_by("jurisdiction__sort_order", "jurisdiction_id", "name"))
    ids = [o.pk for o in organizations]
    record = inspection_record_for(ids, today=today)
    calendar = compliance_calendar(ids, today=today)
    rows = [{"organization": o, "record": record[o.pk], "calendar": calendar[o.pk]} for o in organizations]
    return {"rows": rows, "totals": board_totals(rows), "by_jurisdiction": summary_by_jurisdiction(rows),
            "months": dates.last_months(today, 12)}


def open_feedback_overdue_for(user, *, jurisdiction_id=None, today=None):
    """Open feedback past its working-day deadline in the user's scope (flagged to the supervising office),
    optionally of one jurisdiction only."""
    qs = feedback_list_for(user).filter(state__in=(FeedbackState.RECEIVED, FeedbackState.HANDLING))
    if jurisdiction_id:
        qs = qs.filter(jurisdiction_id=jurisdiction_id)
    rows = feedback_with_deadlines(qs, today=today)
    return [row for row in rows if row.overdue]
