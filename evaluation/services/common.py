"""What every evaluation service shares: the round lock, the round-status guard and side effects on commit."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.caching import bump_public_version
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.mail import send_mail_on_commit
from qujing_disclosure.core.transitions import lock
from sites.models import Round

# The language the data is written in (gettext source strings are Simplified Chinese).
SOURCE_LANGUAGE = "zh-hans"


def round_locked(round_id: int) -> Round:
    """The round, locked for the transaction: the one serialisation point of a round's evaluation steps."""
    return lock(Round, pk=round_id)


def require_round_status(round_: Round, *statuses: str, field: str = "round") -> None:
    """Refuse a step the round's stage does not allow, naming the stage."""
    if round_.status not in statuses:
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不能进行此操作。") % {"round": round_.name, "status": round_.get_status_display()},
            field=field, code="round_status",
        )


def mail_on_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Send a notice once the transaction commits (never for a change that was rolled back), by Celery."""
    send_mail_on_commit(subject=subject, body=body, recipients=recipients)


def public_pages_changed() -> None:
    """The home and site pages (cached for anonymous readers by core.caching) show the publicity and
    the stories: after the commit, their cache version moves on. Signals cover single saves; bulk
    updates (the publicity sweeper) call this."""
    transaction.on_commit(lambda: bump_public_version("sites"))
