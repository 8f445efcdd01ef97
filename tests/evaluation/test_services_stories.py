"""Case stories (evaluation.services.stories): R8a."""
import pytest

from evaluation import selectors, services
from evaluation.enums import StoryStatus
from qujing_disclosure.core.errors import InvalidTransition
from qujing_disclosure.core.models import AuditEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_r8a_story_published_shows_in_public_selector(municipal):
    designation = f.DesignationFactory()
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="“三务”合一公开栏", body="做法介绍")
    assert list(selectors.stories_published()) == []
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    assert [s.title for s in selectors.stories_published(designation=designation)] == ["“三务”合一公开栏"]


def test_r8a_a_story_is_corrected_with_old_and_new_values_and_never_goes_back_to_draft(municipal):
    story = services.story_save(actor=municipal, designation_id=f.DesignationFactory().pk, title="明白卡", body="做法")
    services.story_save(actor=municipal, designation_id=story.designation_id, title="明白卡送到党员手中", body="做法", story_id=story.pk)
    services.story_save(actor=municipal, designation_id=story.designation_id, title="明白卡送到党员手中", body="做法", story_id=story.pk)
    edit = AuditEntry.objects.filter(action="evaluation.story.save", object_id=str(story.pk)).order_by("pk").last()
    assert edit.data["changes"] == {"title": {"old": "明白卡", "new": "明白卡送到党员手中"}}
    assert AuditEntry.objects.filter(action="evaluation.story.save", object_id=str(story.pk)).count() == 2  # the unchanged save wrote nothing
    services.story_set_status(actor=municipal, story_id=story.pk, status=StoryStatus.PUBLISHED)
    with pytest.raises(InvalidTransition, match="当前状态为“已发布”，不能变更为“草稿”"):
        services.story_set_status(actor=municipal, story_id=story.pk, status=StoryStatus.DRAFT)
