"""Good-practice case stories of sites (R8a), written and published by the municipal office."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply
from sites import services as site_services

from ..enums import STORY_TRANSITIONS, StoryStatus
from ..models import CaseStory


def story_check(*, title: str, body: str, photo=None) -> None:
    """The checks of a case story (title, body, an image as photo), without writing; the admin form's clean() calls them."""
    if not (title or "").strip():
        raise DomainError(_("请填写标题。"), field="title", code="title_required")
    if not (body or "").strip():
        raise DomainError(_("请填写正文。"), field="body", code="body_required")
    if photo is not None:
        try:
            family = site_services.validate_upload(photo)
        except DomainError as error:
            raise DomainError(error.message, field="photo", code=error.code) from None
        if family not in ("JPEG", "PNG", "GIF", "WEBP"):
            raise DomainError(_("照片只接受 JPG、PNG、GIF、WEBP 图片。"), field="photo", code="not_an_image")


@transaction.atomic
def story_save(*, actor: User | None, designation_id: int, title: str, body: str, photo=None, story_id: int | None = None) -> CaseStory:
    """R8a: write or correct a case story (a draft until published with story_set_status).

    The municipal office. A correction records old and new values; a new photo replaces the old one."""
    require(actor, "evaluation.manage")
    story_check(title=title, body=body, photo=photo)
    if story_id:
        story = lock(CaseStory, pk=story_id)
        values = {"title": title, "body": body}
        if photo is not None:
            values["photo"] = photo
        fields_update(story, values, actor=actor, action="evaluation.story.save")
        return story
    story = CaseStory.objects.create(designation_id=designation_id, title=title, body=body, photo=photo or "", created_by=actor)
    audit_record(actor=actor, action="evaluation.story.save", target=story, data={"designation": designation_id, "title": title})
    return story


@transaction.atomic
def story_set_status(*, actor: User | None, story_id: int, status: str) -> CaseStory:
    """R8a: publish or take down a case story (the home and site pages follow). The municipal office."""
    story = lock(CaseStory, pk=story_id)
    require(actor, "evaluation.manage", story)
    fields = {"published_at": timezone.now()} if status == StoryStatus.PUBLISHED and story.published_at is None else {}
    return transition_apply(story, status, transitions=STORY_TRANSITIONS, actor=actor, state_field="status",
                            action=f"evaluation.story.{status}", fields=fields)
