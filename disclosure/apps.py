from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("党务公开")

    def ready(self):
        from qujing_disclosure.core.access import (
            is_county,
            is_organization_user,
            sees_everything,
        )
        from qujing_disclosure.core.media import register_media_prefix
        from qujing_disclosure.core.portal import (
            register_dashboard_block,
            register_portal_link,
        )

        register_media_prefix("disclosure/items/", _attachment_download_allowed)
        register_media_prefix("disclosure/evidence/", _evidence_download_allowed)
        register_portal_link(
            _("党务公开"), "disclosure_portal:home", order=30,
            visible=lambda user: is_organization_user(user) or is_county(user) or sees_everything(user),
        )
        register_dashboard_block(_dashboard_block, order=30)


def _attachment_download_allowed(user, path):
    """R13: attachments of external items on display are public; others only for readers of the item."""
    from .models import Attachment
    from .selectors import item_list_for, item_list_public

    attachments = Attachment.objects.filter(file=path)
    if attachments.filter(item__in=item_list_public().values("pk")).exists():
        return True
    return attachments.filter(item__in=item_list_for(user).values("pk")).exists()


def _evidence_download_allowed(user, path):
    """Proof of publication is never public: only users who may read the item."""
    from .models import Evidence
    from .selectors import item_list_for

    return Evidence.objects.filter(file=path, item__in=item_list_for(user).values("pk")).exists()


def _dashboard_block(request):
    """The portal dashboard's disclosure summary: what needs doing now."""
    from qujing_disclosure.core.access import (
        is_county,
        is_organization_user,
        sees_everything,
    )

    from .enums import FEEDBACK_OPEN_STATES, ItemState
    from .selectors import (
        feedback_list_for,
        feedback_with_deadlines,
        item_list_for,
        reminder_list_for,
    )

    user = request.user
    if not (is_organization_user(user) or is_county(user) or sees_everything(user)):
        return None
    items = item_list_for(user)
    waiting_state = ItemState.SUBMITTED if is_organization_user(user) else ItemState.INITIAL_APPROVED
    open_feedback = feedback_with_deadlines(feedback_list_for(user).filter(state__in=FEEDBACK_OPEN_STATES)[:200])
    return "disclosure/blocks/dashboard.html", {
        "disclosure_waiting": items.filter(state=waiting_state).count(),
        "disclosure_waiting_label": _("待初审") if is_organization_user(user) else _("待审查"),
        "disclosure_waiting_state": waiting_state,
        "disclosure_on_display": items.filter(state=ItemState.PUBLISHED).count(),
        "disclosure_feedback_open": len(open_feedback),
        "disclosure_feedback_overdue": sum(1 for fb in open_feedback if fb.overdue),
        "disclosure_reminders": list(reminder_list_for(user)[:3]) if is_organization_user(user) else [],
    }
