"""How the disclosure app plugs into the shared pieces, called once from DisclosureConfig.ready():
who may download its uploads (core.media), its portal link and dashboard block (core.portal), and the
words for its audit actions in history views (core.audit)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from qujing_disclosure.core.audit import register_action_label
from qujing_disclosure.core.media import register_media_prefix
from qujing_disclosure.core.portal import register_dashboard_block, register_portal_link

from . import selectors
from .enums import FEEDBACK_OPEN_STATES, ItemState
from .models import Attachment, Evidence

if TYPE_CHECKING:
    from django.http import HttpRequest

    from qujing_disclosure.core.models import User

ACTION_LABELS = {
    "disclosure.item.create": _("拟稿"),
    "disclosure.item.update": _("修改"),
    "disclosure.item.add_attachment": _("上传附件"),
    "disclosure.item.submit": _("提交初审"),
    "disclosure.item.initial_review": _("单位初审通过"),
    "disclosure.item.initial_return": _("初审退回"),
    "disclosure.item.review": _("领导小组审查通过"),
    "disclosure.item.review_return": _("审查退回"),
    "disclosure.item.publish": _("实施公开"),
    "disclosure.item.evidence": _("记录公开佐证"),
    "disclosure.item.inspect": _("监督检查"),
    "disclosure.item.supersede": _("被新一期替换"),
    "disclosure.item.archive": _("整理归档"),
    "disclosure.item.withdraw": _("撤下"),
    "disclosure.rectification.issue": _("下发整改通知"),
    "disclosure.rectification.report": _("报告整改情况"),
    "disclosure.rectification.return": _("复查：退回重改"),
    "disclosure.rectification.close": _("复查：销号"),
}


def attachment_download_allowed(user: User, path: str) -> bool:
    """R13: attachments of external items on display are public; others only for readers of the item."""
    attachments = Attachment.objects.filter(file=path)
    if attachments.filter(item__in=selectors.item_list_public().values("pk")).exists():
        return True
    return attachments.filter(item__in=selectors.item_list_for(user).values("pk")).exists()


def evidence_download_allowed(user: User, path: str) -> bool:
    """Proof of publication is never public: only users who may read the item."""
    return Evidence.objects.filter(file=path, item__in=selectors.item_list_for(user).values("pk")).exists()


def dashboard_block(request: HttpRequest) -> tuple[str, dict] | None:
    """The portal dashboard's disclosure summary: what needs doing now (None for users without the portal)."""
    user = request.user
    if not user.has_perm("disclosure.use_portal"):
        return None
    items = selectors.item_list_for(user)
    waiting_state = selectors.waiting_state_for(user)
    open_feedback = selectors.feedback_with_deadlines(
        selectors.feedback_list_for(user).filter(state__in=FEEDBACK_OPEN_STATES)[:200]
    )
    return "disclosure/blocks/dashboard.html", {
        "disclosure_waiting": items.filter(state=waiting_state).count(),
        "disclosure_waiting_label": waiting_state.label,
        "disclosure_waiting_state": waiting_state,
        "disclosure_on_display": items.filter(state=ItemState.PUBLISHED).count(),
        "disclosure_feedback_open": len(open_feedback),
        "disclosure_feedback_overdue": sum(1 for fb in open_feedback if fb.overdue),
        "disclosure_reminders": list(selectors.reminder_list_for(user)[:3]),
    }


def connect() -> None:
    """Register everything above; called once, from DisclosureConfig.ready()."""
    register_media_prefix("disclosure/items/", attachment_download_allowed)
    register_media_prefix("disclosure/evidence/", evidence_download_allowed)
    register_portal_link(_("党务公开"), "disclosure_portal:home", order=30,
                         visible=lambda user: user.has_perm("disclosure.use_portal"))
    register_dashboard_block(dashboard_block, order=30)
    for action, label in ACTION_LABELS.items():
        register_action_label(action, label)
