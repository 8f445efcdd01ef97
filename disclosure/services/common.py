"""What the disclosure services share: the organisation an action is for, and trimmed text."""
from __future__ import annotations

from typing import TYPE_CHECKING

from qujing_disclosure.core.access import require
from qujing_disclosure.core.errors import NotPermitted
from sites.models import Organization

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User


def organization_for(actor: User | None, perm: str, organization_id: int | None) -> Organization:
    """The organisation `organization_id`, once `actor` holds `perm` on it (actor=None: a job, no check).

    An unknown organisation, or none (a county office posting to an endpoint only organisations use),
    is refused like one outside the actor's scope: NotPermitted, which every interface shows as 404."""
    organization = Organization.objects.filter(pk=organization_id).select_related("jurisdiction").first()
    if organization is None:
        raise NotPermitted()
    require(actor, perm, organization)
    return organization


def clean(text: str | None) -> str:
    """Form and API text without surrounding blanks ("" for None)."""
    return (text or "").strip()
