"""Every write of the disclosure work, split by sub-domain; the only door through which state changes.

- catalogue.py    carriers, catalogue entries, the standard categories (R12, R13)
- items.py        an item's four steps (R14) with the window, display, scope and series checks (R13–R17)
- publishing.py   going on display: the one publishing function the portal and the publish job share (R16)
- exemptions.py   the register of information held back (R11)
- feedback.py     public feedback with receipt codes (R18) and satisfaction ratings (R19)
- supervision.py  findings and rectification notices (R20)

Services are keyword-only, `<entity>_<action>(*, actor, …)`; `actor=None` is a scheduled job. Each locks
its row, returns quietly when the change is already made, refuses a state the tables in enums.py do not
allow, checks the actor's permission (rules.py), saves only what changed and writes the audit record in
the same transaction (core.transitions); side effects go out on commit (Celery by task name, core.queue).
Time-driven sweeps over many rows live in jobs.py. Callers use the package: `services.item_publish(…)`.
"""
from .catalogue import (
    CARRIER_FIELDS,
    CATEGORY_FIELDS,
    carrier_create,
    carrier_update,
    category_save,
    entry_create,
    entry_update,
)
from .exemptions import exemption_create, exemption_review
from .feedback import feedback_answer, feedback_mark_handling, feedback_submit, phone_hash, rating_submit
from .items import (
    check_schedule,
    item_add_attachment,
    item_archive,
    item_create,
    item_initial_review,
    item_inspect,
    item_record_evidence,
    item_review,
    item_submit,
    item_update,
    item_withdraw,
)
from .publishing import item_publish, items_publish_due, publication_due
from .supervision import (
    finding_dismiss,
    finding_record,
    rectification_check,
    rectification_issue,
    rectification_report,
)

__all__ = [
    "CARRIER_FIELDS", "CATEGORY_FIELDS", "carrier_create", "carrier_update", "category_save", "check_schedule",
    "entry_create", "entry_update", "exemption_create", "exemption_review", "feedback_answer",
    "feedback_mark_handling", "feedback_submit", "finding_dismiss", "finding_record", "item_add_attachment",
    "item_archive", "item_create", "item_initial_review", "item_inspect", "item_publish", "item_record_evidence",
    "item_review", "item_submit", "item_update", "item_withdraw", "items_publish_due", "phone_hash",
    "publication_due", "rating_submit", "rectification_check", "rectification_issue", "rectification_report",
]
