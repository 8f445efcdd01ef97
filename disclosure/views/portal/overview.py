"""The disclosure portal's overview pages: the home page (what waits on this user), the supervising
office's compliance board (R16–R20) and its monthly Excel report."""
from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse

from qujing_disclosure.core import clock

from ... import charts, selectors
from ...enums import FEEDBACK_OPEN_STATES, RECTIFICATION_OPEN_STATES, FindingState, ItemState
from ...exports import monthly_compliance_workbook
from .common import page, render_page


@page()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    items = selectors.item_list_for(user)
    counts = dict(items.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    state_counts = [{"state": s, "label": s.label, "count": counts.get(s.value, 0)} for s in ItemState]
    open_feedback = selectors.feedback_with_deadlines(
        selectors.feedback_list_for(user).filter(state__in=FEEDBACK_OPEN_STATES).order_by("received_on")[:20],
        today=today,
    )
    return render_page(request, "disclosure/portal/home.html", {
        "state_counts": state_counts,
        "open_feedback": open_feedback,
        "awaiting_review": selectors.item_review_queue_for(user)[:20],
        "reminders": selectors.reminder_list_for(user)[:10],
        "rectifications": selectors.rectification_list_for(user).filter(state__in=RECTIFICATION_OPEN_STATES)[:20],
        "open_findings": selectors.finding_list_for(user).filter(state=FindingState.OPEN).count(),
        "today": today,
    })


@page("disclosure.view_board")
def board(request: HttpRequest) -> HttpResponse:
    """The compliance board: the whole city (全市, by default for staff) or one jurisdiction; a county
    office sees only its own (any other choice is 404)."""
    user = request.user
    jurisdiction = selectors.board_jurisdiction_for(user, request.GET.get("jurisdiction"))
    jurisdiction_id = jurisdiction.pk if jurisdiction else None
    data = selectors.board_for(user, jurisdiction_id=jurisdiction_id)
    for row in data["rows"]:
        row["svg"] = charts.compliance_strip(row["calendar"])
    return render_page(request, "disclosure/portal/board.html", {
        **data,
        "jurisdictions": selectors.jurisdiction_choices_for(user),
        "jurisdiction": jurisdiction,
        "jurisdiction_id": jurisdiction_id,
        # What the export and the picker send back: "all" for the whole city, else the jurisdiction's id.
        "scope_value": str(jurisdiction_id) if jurisdiction_id else selectors.CITY_WIDE,
        "city_wide": jurisdiction is None,
        "legend": charts.LEGEND,
        "overdue_feedback": selectors.open_feedback_overdue_for(user, jurisdiction_id=jurisdiction_id)[:50],
        "month_options": data["months"],
    })


@page("disclosure.export_report")
def board_export(request: HttpRequest) -> HttpResponse:
    """The month's compliance report as Excel, for the same scope as the board (404 outside it)."""
    jurisdiction = selectors.board_jurisdiction_for(request.user, request.GET.get("jurisdiction"))
    return monthly_compliance_workbook(request.user, month=request.GET.get("month", ""), jurisdiction=jurisdiction)
