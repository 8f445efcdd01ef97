"""Supervision (R20): findings recorded for the supervising office, and the rectification notices
(整改通知) with deadlines they lead to — issued, reported on, sent back or closed (销号).

Every report and every send-back stays in the audit record (the report's text as the reason), so the
whole exchange reads back (selectors.rectification_exchange)."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_context, audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.transitions import lock, transition_apply, transition_check

from .. import dates
from ..enums import FINDING_TRANSITIONS, RECTIFICATION_TRANSITIONS, FindingState, RectificationState
from ..models import Finding, Rectification
from .common import clean, organization_for

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


@transaction.atomic
def finding_record(*, actor: User | None, organization_id: int, kind: str, period: datetime.date, description: str,
                   item_id: int | None = None, entry_id: int | None = None) -> Finding:
    """Record a finding against an organisation for its supervising office (R20).

    Who: the supervising office of the organisation's jurisdiction or the municipal office
    (`disclosure.record_finding`), or an inspection of an item. (The scheduled checks write their
    findings set-based in jobs.py.) Guarantees: a described problem dated in its month; one audit row
    `disclosure.finding.record`."""
    organization = organization_for(actor, "disclosure.record_finding", organization_id)
    if not clean(description):
        raise DomainError(_("请写明问题。"), field="description", code="description_required")
    finding = Finding.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, kind=kind,
        period=dates.first_of_month(period), description=description, item_id=item_id, entry_id=entry_id,
        created_by=actor,
    )
    audit_record(actor=actor, action="disclosure.finding.record", target=finding, to_state=finding.state)
    return finding


@transaction.atomic
def finding_dismiss(*, actor: User | None, finding_id: int, reason: str) -> Finding:
    """Dismiss (核销) an open finding, with a reason.

    Who: the supervising office (`disclosure.record_finding`). Guarantees: only an open finding, never one
    that became a notice; a repeated dismissal changes nothing."""
    finding = lock(Finding, pk=finding_id)
    require(actor, "disclosure.record_finding", finding)
    if finding.state == FindingState.DISMISSED:
        return finding
    transition_check(finding, FindingState.DISMISSED, FINDING_TRANSITIONS)
    if not clean(reason):
        raise DomainError(_("核销问题必须说明理由。"), field="reason", code="reason_required")
    return transition_apply(finding, FindingState.DISMISSED, transitions=FINDING_TRANSITIONS, actor=actor,
                            action="disclosure.finding.dismiss", reason=reason)


@transaction.atomic
def rectification_issue(*, actor: User | None, finding_id: int, requirement: str,
                        deadline: datetime.date | None) -> Rectification:
    """R20: turn an open finding into a rectification notice with a deadline after today (China time).

    Who: the supervising office (`disclosure.issue_rectification`). Guarantees: one notice per finding (a
    repeated request returns it); two audit rows in one batch, `disclosure.finding.notice` on the finding and
    `disclosure.rectification.issue` on the notice."""
    finding = lock(Finding, pk=finding_id)
    require(actor, "disclosure.issue_rectification", finding)
    if finding.state == FindingState.NOTICE_ISSUED:
        return finding.rectification
    transition_check(finding, FindingState.NOTICE_ISSUED, FINDING_TRANSITIONS)
    if not clean(requirement):
        raise DomainError(_("请写明整改要求。"), field="requirement", code="requirement_required", rule="R20")
    if deadline is None or deadline <= clock.today():
        raise DomainError(_("整改期限须晚于今天（北京时间）。"), field="deadline", code="deadline_past", rule="R20")
    rectification = Rectification.objects.create(
        finding=finding, organization_id=finding.organization_id, jurisdiction_id=finding.jurisdiction_id,
        requirement=requirement, deadline=deadline, issued_by=actor,
    )
    with audit_context():  # the finding's change and the notice are one action
        transition_apply(finding, FindingState.NOTICE_ISSUED, transitions=FINDING_TRANSITIONS, actor=actor,
                         action="disclosure.finding.notice")
        audit_record(actor=actor, action="disclosure.rectification.issue", target=rectification,
                     to_state=rectification.state, data={"deadline": deadline.isoformat()})
    return rectification


@transaction.atomic
def rectification_report(*, actor: User | None, rectification_id: int, report: str) -> Rectification:
    """The organisation reports what it changed; the office then re-checks.

    Who: the notice's organisation (`disclosure.report_rectification`). Guarantees: `report` on the notice
    holds the latest report and every report stays in the audit record (its text as the reason and in
    `data["report"]`), so the whole exchange of reports and send-backs can be read back (R20)."""
    rectification = lock(Rectification, pk=rectification_id)
    require(actor, "disclosure.report_rectification", rectification)
    if rectification.state == RectificationState.REPORTED:
        return rectification
    transition_check(rectification, RectificationState.REPORTED, RECTIFICATION_TRANSITIONS)
    report = clean(report)
    if not report:
        raise DomainError(_("请写明整改情况。"), field="report", code="report_required")
    return transition_apply(rectification, RectificationState.REPORTED, transitions=RECTIFICATION_TRANSITIONS,
                            actor=actor, action="disclosure.rectification.report", reason=report,
                            fields={"report": report, "reported_at": timezone.now()}, data={"report": report})


@transaction.atomic
def rectification_check(*, actor: User | None, rectification_id: int, accept: bool, note: str = "") -> Rectification:
    """The office re-checks a reported rectification: close it (销号) or send it back for more work.

    Who: the supervising office (`disclosure.check_rectification`). Guarantees: only a reported notice is
    checked; a send-back carries its reason; closing dates it today (China time)."""
    rectification = lock(Rectification, pk=rectification_id)
    require(actor, "disclosure.check_rectification", rectification)
    target = RectificationState.CLOSED if accept else RectificationState.RETURNED
    if rectification.state == target:
        return rectification
    transition_check(rectification, target, RECTIFICATION_TRANSITIONS)
    if not accept and not clean(note):
        raise DomainError(_("退回重改必须写明理由。"), field="note", code="reason_required")
    fields = {"check_note": note}
    if accept:
        fields["closed_on"] = clock.today()
    return transition_apply(rectification, target, transitions=RECTIFICATION_TRANSITIONS, actor=actor,
                            action="disclosure.rectification.close" if accept else "disclosure.rectification.return",
                            reason=note, fields=fields)
