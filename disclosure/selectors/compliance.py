"""The compliance figures (R16–R20): the 12-month calendar per organisation, the inspection record the
supervising offices and the evaluation ranking read (R6), and the supervising office's board.

Every figure is computed for many organisations in a constant number of queries, judged in China time."""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import is_county, sees_everything
from sites.models import Jurisdiction
from sites.selectors import organization_list_for

from .. import dates
from ..enums import (
    CADENCE_MONTHS,
    RECTIFICATION_OPEN_STATES,
    Cadence,
    ComplianceMark,
    FeedbackState,
    FindingKind,
    RectificationState,
    Satisfaction,
)
from ..models import CatalogueEntry, Feedback, Finding, Item, Rectification, SatisfactionRating
from .feedback import feedback_with_deadlines

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


def _period(year: int | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return dates.add_months(today, -11), today


def compliance_calendar(organization_ids: Iterable[int], *, today: datetime.date | None = None,
                        months: int = 12) -> dict[int, list[tuple[datetime.date, ComplianceMark]]]:
    """{org_id: [(month_start, ComplianceMark)]} for the last `months` months (two queries).

    A month is missed when a due staged/periodic entry had nothing published in it, late when
    something due was published after the window (or after its asked-for window), on time otherwise;
    the running month only counts as missed once its window has closed.
    """
    today = today or clock.today()
    organization_ids = list(organization_ids)
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


def inspection_record_for(organization_ids: Iterable[int], *, year: int | None = None,
                          today: datetime.date | None = None) -> dict[int, dict]:
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
    today = today or clock.today()
    start, end = _period(year, today)
    return record_between(organization_ids, start=start, end=end, today=today)


def record_between(organization_ids: Iterable[int], *, start: datetime.date, end: datetime.date,
                   today: datetime.date | None = None) -> dict[int, dict]:
    """The figures of inspection_record_for over any period [start, end] (e.g. one month for the report)."""
    today = today or clock.today()
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


def board_jurisdiction_for(user: User | None, value: str | None) -> Jurisdiction | None:
    """The jurisdiction a compliance board or monthly report covers, from the `jurisdiction` parameter.

    Returns None for the whole city (全市) or a Jurisdiction. Staff who see everything get the whole
    city by default ("" or "all") and may pick any jurisdiction; a county office only ever gets its own
    (no parameter, or its own id). Anything else — another county, the whole city, garbage — is 404,
    as if it did not exist.
    """
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


def board_totals(rows: list[dict]) -> dict:
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


def summary_by_jurisdiction(rows: list[dict]) -> list[dict]:
    """[{"jurisdiction", "totals"}] for the organisations' rows, in jurisdiction order (no query:
    the rows' organisations carry their jurisdiction)."""
    groups = {}
    for row in rows:
        jurisdiction = row["organization"].jurisdiction
        groups.setdefault(jurisdiction.pk, (jurisdiction, []))[1].append(row)
    ordered = sorted(groups.values(), key=lambda group: (group[0].sort_order, group[0].pk))
    return [{"jurisdiction": jurisdiction, "totals": board_totals(members)} for jurisdiction, members in ordered]


def board_for(user: User | None, *, jurisdiction_id: int | None = None, today: datetime.date | None = None) -> dict:
    """The compliance board of a supervising office: its organisations with their record and calendar,
    the totals, and a per-jurisdiction summary. `jurisdiction_id=None` is the user's whole scope (the
    whole city for staff). A constant number of queries, whatever the number of organisations."""
    today = today or clock.today()
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


def jurisdiction_choices_for(user: User | None) -> list[Jurisdiction]:
    """The jurisdictions a user may pick on the board and the exemption register: every one for staff
    (the whole city and the leading group), none for anyone else (a county office has only its own)."""
    if not sees_everything(user):
        return []
    return list(Jurisdiction.objects.order_by("sort_order", "id"))


def compliance_list_for(user: User | None, *, jurisdiction: str | None = None, year: int | None = None) -> list[dict]:
    """The compliance figures and 12-month calendar of every active organisation in the user's scope, for
    the API: `jurisdiction` as the board takes it (board_jurisdiction_for: 404 outside the user's scope),
    `year` the calendar year of the record (default: the last 12 months).

    [{"organization", "name", "record", "calendar": [{"month": "YYYY-MM", "mark"}]}]"""
    chosen = board_jurisdiction_for(user, jurisdiction)
    organizations = organization_list_for(user).filter(is_active=True)
    if chosen is not None:
        organizations = organizations.filter(jurisdiction_id=chosen.pk)
    rows = list(organizations.order_by("jurisdiction__sort_order", "name").values_list("id", "name"))
    ids = [pk for pk, _name in rows]
    record = inspection_record_for(ids, year=year)
    calendar = compliance_calendar(ids)
    return [
        {"organization": pk, "name": name, "record": record[pk],
         "calendar": [{"month": m.strftime("%Y-%m"), "mark": mark} for m, mark in calendar[pk]]}
        for pk, name in rows
    ]
