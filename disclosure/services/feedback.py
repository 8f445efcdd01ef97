"""What the public sends: opinions and suggestions answered by the organisation (R18), read back by
receipt code, and satisfaction ratings, one per person per organisation per month (R19)."""
from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.receipts import create_with_receipt_code
from qujing_disclosure.core.transitions import lock, transition_apply
from sites.models import Organization

from .. import dates
from ..enums import FEEDBACK_TRANSITIONS, FeedbackState, Satisfaction
from ..models import Feedback, SatisfactionRating
from ..selectors import item_list_public
from .common import clean

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User

_PHONE = re.compile(r"^1[3-9]\d{9}$")


def _public_organization(organization_id: int) -> Organization:
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        raise DomainError(_("找不到该党组织。"), field="organization", code="organization_unknown")
    return organization


@transaction.atomic
def feedback_submit(*, organization_id: int, content: str, item_id: int | None = None, name: str = "",
                    contact: str = "") -> Feedback:
    """A member of the public leaves feedback (R18) and gets a receipt code to read the answer.

    Who: anyone (the public pages and API, rate-limited there). Guarantees: an active organisation; an
    item named only while it is on public display (never an internal one); a fresh receipt code from
    core.receipts (drawn again on a collision); one audit row `disclosure.feedback.submit` without actor."""
    content = clean(content)
    if not content:
        raise DomainError(_("请填写意见建议。"), field="content", code="content_required")
    organization = _public_organization(organization_id)
    if item_id is not None and not item_list_public().filter(pk=item_id, organization_id=organization.pk).exists():
        raise DomainError(
            _("该公开事项已不在公开期内，不能再针对它提意见建议；您填写的内容已保留，可以直接向本单位提交。"),
            field="item", code="item_not_on_display", rule="R18",
        )
    feedback = create_with_receipt_code(lambda code: Feedback.objects.create(
        code=code, organization=organization, jurisdiction_id=organization.jurisdiction_id, item_id=item_id,
        name=name, contact=contact, content=content, received_on=clock.today(),
    ))
    audit_record(actor=None, action="disclosure.feedback.submit", target=feedback, to_state=feedback.state)
    return feedback


@transaction.atomic
def feedback_mark_handling(*, actor: User | None, feedback_id: int) -> Feedback:
    """Mark received feedback as being handled (办理中).

    Who: the feedback's organisation (`disclosure.answer_feedback`). Guarantees: only received feedback
    moves; feedback being handled or already answered stays as it is."""
    feedback = lock(Feedback, pk=feedback_id)
    require(actor, "disclosure.answer_feedback", feedback)
    if feedback.state != FeedbackState.RECEIVED:
        return feedback
    return transition_apply(feedback, FeedbackState.HANDLING, transitions=FEEDBACK_TRANSITIONS, actor=actor,
                            action="disclosure.feedback.handling")


@transaction.atomic
def feedback_answer(*, actor: User | None, feedback_id: int, answer: str) -> Feedback:
    """The organisation answers (R18); the writer reads it by receipt code.

    Who: the feedback's organisation. Guarantees: one answer per feedback (a second is refused, never
    overwrites the first); the answer is dated today (China time), so a late answer stays counted as late."""
    answer = clean(answer)
    if not answer:
        raise DomainError(_("请填写答复内容。"), field="answer", code="answer_required")
    feedback = lock(Feedback, pk=feedback_id)
    require(actor, "disclosure.answer_feedback", feedback)
    if feedback.state == FeedbackState.ANSWERED:
        raise InvalidTransition(_("该意见建议已答复。"), field="state")
    return transition_apply(feedback, FeedbackState.ANSWERED, transitions=FEEDBACK_TRANSITIONS, actor=actor,
                            action="disclosure.feedback.answer",
                            fields={"answer": answer, "answered_on": clock.today(), "answered_at": timezone.now(),
                                    "answered_by": actor})


def phone_hash(phone: str) -> str:
    """A keyed hash of a normalised mobile number: the number itself is never stored (R19)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _PHONE.match(digits):
        raise DomainError(_("请填写11位手机号码。手机号只用于确认每人每月评价一次，不会保存原号码。"), field="phone",
                          code="phone_invalid")
    return hmac.new(settings.DISCLOSURE_SATISFACTION_SECRET.encode(), digits.encode(), hashlib.sha256).hexdigest()


def rating_submit(*, organization_id: int, phone: str, rating: str, comment: str = "") -> SatisfactionRating:
    """R19: one rating per person (hashed phone) per organisation per month (China time).

    Who: anyone (the public pages and API, rate-limited there). Guarantees: the phone number is kept only
    as a keyed hash; a database constraint refuses a second rating of the month."""
    if rating not in Satisfaction.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), field="rating", code="rating_invalid")
    voter = phone_hash(phone)
    organization = _public_organization(organization_id)
    month = dates.first_of_month(clock.today())
    try:
        with transaction.atomic():
            return SatisfactionRating.objects.create(
                organization=organization, jurisdiction_id=organization.jurisdiction_id, month=month,
                rating=rating, voter_hash=voter, comment=comment,
            )
    except IntegrityError:
        raise DomainError(
            _("本月您已对该单位评价过（每人每月一次，R19），下月可再次评价。"), field="phone", code="already_rated", rule="R19"
        ) from None
