"""Case stories (evaluation.services.stories): R8a."""
import pytest

from evaluation import selectors, services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_r8a_story_published_shows_in_public_selector(municipal):
    designation = f.DesignationFactory()
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="“三务”合一公开栏", body="做法介绍")
    assert list(selectors.stories_published()) == []
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    assert [s.title for s in selectors.stories_published(designation=designation)] == ["“三务”合一公开栏"]
