"""The register of information temporarily unsuitable for disclosure (暂不宜公开信息备案, R11):
disclosure is the rule, non-disclosure the exception — each entry names its reason, basis, approver
and a review date, and each review keeps it (with a new date), releases it or closes it."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply, transition_check

from ..enums import EXEMPTION_TRANSITIONS, ExemptionState
from ..models import Exemption
from .common import clean, organization_for

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User

REVIEW_DECISIONS = {"keep": ExemptionState.ACTIVE, "release": ExemptionState.RELEASED, "close": ExemptionState.CLOSED}


@transaction.atomic
def exemption_create(*, actor: User | None, organization_id: int, title: str, reason: str, basis: str,
                     approver: str, approved_on: datetime.date, review_by: datetime.date) -> Exemption:
    """File information held back in the register (R11).

    Who: the organisation's own users (`disclosure.manage_exemption`). Guarantees: a reason, a basis and
    an approver, and a review date not before the approval; one audit row `disclosure.exemption.create`."""
    organization = organization_for(actor, "disclosure.manage_exemption", organization_id)
    for name, value in (("reason", reason), ("basis", basis), ("approver", approver)):
        if not clean(value):
            raise DomainError(_("暂不宜公开备案须写明理由、依据和批准人（R11）。"), field=name,
                              code=f"{name}_required", rule="R11")
    if review_by < approved_on:
        raise DomainError(_("复核期限不能早于批准日期。"), field="review_by", code="review_before_approval", rule="R11")
    exemption = Exemption.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, title=title, reason=reason,
        basis=basis, approver=approver, approved_on=approved_on, review_by=review_by, created_by=actor,
    )
    audit_record(actor=actor, action="disclosure.exemption.create", target=exemption, to_state=exemption.state)
    return exemption


@transaction.atomic
def exemption_review(*, actor: User | None, exemption_id: int, decision: str, note: str,
                     review_by: datetime.date | None = None) -> Exemption:
    """Review a held-back item: keep it (with a new review date after today), release it for
    disclosure, or close it.

    Who: the organisation's own users. Guarantees: only an entry still held back is reviewed; the note
    is kept; one audit row `disclosure.exemption.review` with the decision and the old and new values."""
    exemption = lock(Exemption, pk=exemption_id)
    require(actor, "disclosure.manage_exemption", exemption)
    target = REVIEW_DECISIONS.get(decision)
    if exemption.state != ExemptionState.ACTIVE:
        transition_check(exemption, target or exemption.state, EXEMPTION_TRANSITIONS)
    if not clean(note):
        raise DomainError(_("请填写复核意见。"), field="note", code="note_required")
    if target is None:
        raise DomainError(_("未知的复核结论。"), field="decision", code="unknown_decision")
    fields = {"review_note": note, "reviewed_at": timezone.now()}
    if target == ExemptionState.ACTIVE:
        if review_by is None or review_by <= clock.today():
            raise DomainError(_("继续暂缓公开须设定新的复核期限（晚于今天）。"), field="review_by",
                              code="review_by_required", rule="R11")
        fields_update(exemption, {**fields, "review_by": review_by}, actor=actor,
                      action="disclosure.exemption.review", reason=note, data={"decision": decision})
        return exemption
    return transition_apply(exemption, target, transitions=EXEMPTION_TRANSITIONS, actor=actor,
                            action="disclosure.exemption.review", reason=note, fields=fields,
                            data={"decision": decision})
