"""Every read of the disclosure work, split like the services; always scoped to the user.

- catalogue.py    categories, carriers, catalogue entries, the exemption register, reminders
- items.py        items, their proof per carrier, their series, the review queue
- feedback.py     feedback and its working-day deadline (R18)
- supervision.py  findings, rectification notices, overdue and the exchange of reports (R20)
- public.py       what the public may read: the one "on public display" rule (R13)
- compliance.py   the compliance calendar, the inspection record (R6, R20) and the board

Every list starts from `<entity>_list_for(user)` and every detail from `<entity>_get_for(user, pk)`
(404 outside the user's scope, never 403); portal, API, admin and services read through them.
Organisations are scoped once, by `sites.selectors.organization_list_for` (re-exported here).
"""
from sites.selectors import organization_list_for

from .catalogue import (
    carrier_get_for,
    carrier_list_for,
    category_list,
    entry_get_for,
    entry_list_for,
    exemption_get_for,
    exemption_list_for,
    reminder_list_for,
)
from .compliance import (
    CITY_WIDE,
    board_for,
    board_jurisdiction_for,
    board_totals,
    compliance_calendar,
    compliance_list_for,
    inspection_record_for,
    jurisdiction_choices_for,
    record_between,
    summary_by_jurisdiction,
)
from .feedback import (
    feedback_deadline,
    feedback_get_for,
    feedback_list_for,
    feedback_with_deadlines,
    open_feedback_overdue_for,
)
from .items import (
    carriers_without_evidence,
    item_get_for,
    item_list_for,
    item_proof,
    item_review_queue_for,
    item_series_for,
    series_root_id,
    waiting_state_for,
)
from .public import (
    PUBLIC_PAGE_SIZE,
    carrier_list_public,
    entry_list_public,
    feedback_by_code,
    item_list_public,
    on_public_display,
    organization_list_public,
    public_page,
)
from .supervision import (
    finding_get_for,
    finding_list_for,
    rectification_exchange,
    rectification_get_for,
    rectification_is_overdue,
    rectification_list_for,
)

__all__ = [
    "CITY_WIDE", "PUBLIC_PAGE_SIZE", "board_for", "board_jurisdiction_for", "board_totals", "carrier_get_for",
    "carrier_list_for", "carrier_list_public", "carriers_without_evidence", "category_list", "compliance_calendar",
    "compliance_list_for", "entry_get_for", "entry_list_for", "entry_list_public", "exemption_get_for",
    "exemption_list_for", "feedback_by_code", "feedback_deadline", "feedback_get_for", "feedback_list_for",
    "feedback_with_deadlines", "finding_get_for", "finding_list_for", "inspection_record_for", "item_get_for",
    "item_list_for", "item_list_public", "item_proof", "item_review_queue_for", "item_series_for",
    "jurisdiction_choices_for", "on_public_display", "open_feedback_overdue_for", "organization_list_for",
    "organization_list_public", "public_page", "record_between", "rectification_exchange", "rectification_get_for",
    "rectification_is_overdue", "rectification_list_for", "reminder_list_for", "series_root_id",
    "summary_by_jurisdiction", "waiting_state_for",
]
