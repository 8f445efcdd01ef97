"""R8a case stories on the public pages: an excerpt with 阅读全文 on the home and site pages, the whole story
on its own page, and never a revoked site's story on the home page (its own page keeps the history)."""
import pytest

from evaluation import services
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "把党务、政务、财务公开栏合并设置，按决策、执行、监督、结果分栏。" * 6 + "（全文结尾）"


@pytest.fixture
def story(municipal):
    site = f.DesignationFactory(organization=f.OrganizationFactory(name="麒麟区示范社区党委"))
    item = services.story_save(actor=municipal, designation_id=site.pk, title="“三务”合一公开栏", body=BODY)
    return services.story_set_status(actor=municipal, story_id=item.pk, status="published")


def test_home_shows_an_excerpt_with_a_link_to_the_whole_story(client, story):
    home = client.get("/").content.decode()
    assert "“三务”合一公开栏" in home and "（全文结尾）" not in home
    assert f'<a class="read-more" href="/stories/{story.pk}/">阅读全文</a>' in home


def test_the_story_page_shows_the_whole_story(client, story):
    response = client.get(f"/stories/{story.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "（全文结尾）" in body and "麒麟区示范社区党委" in body
    assert f'href="/sites/{story.designation_id}/"' in body


def test_site_page_excerpt_links_to_the_story(client, story):
    page = client.get(f"/sites/{story.designation_id}/").content.decode()
    assert f'href="/stories/{story.pk}/"' in page and "阅读全文" in page


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_an_unpublished_story_has_no_public_page(client, municipal, story, status):
    if status == "withdrawn":
        services.story_set_status(actor=municipal, story_id=story.pk, status="withdrawn")
        pk = story.pk
    else:
        pk = services.story_save(actor=municipal, designation_id=story.designation_id, title="草稿", body="草稿正文").pk
    assert client.get(f"/stories/{pk}/").status_code == 404
    client.force_login(municipal)
    assert client.get(f"/stories/{pk}/").status_code == 404  # the public page shows published stories only


def test_a_revoked_sites_story_leaves_the_home_page_but_keeps_its_page(client, municipal, story):
    services.designation_revoke_with_decision(actor=municipal, designation_id=story.designation_id, reason="复评不合格",
                                              decision_ref="曲党务公开办〔2026〕1号")
    assert "“三务”合一公开栏" not in client.get("/").content.decode()
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "该示范点的称号已撤销，本文作为历史记录保留。" in page and "（全文结尾）" in page


def test_the_home_page_keeps_the_stories_of_active_sites(client, municipal, story):
    other = f.DesignationFactory()
    services.story_set_status(actor=municipal, story_id=services.story_save(actor=municipal, designation_id=other.pk, title="明白卡",
                                                                            body="明白卡送到党员手中").pk, status="published")
    services.designation_revoke_with_decision(actor=municipal, designation_id=story.designation_id, reason="复评不合格",
                                              decision_ref="曲党务公开办〔2026〕1号")
    home = client.get("/").content.decode()
    assert "明白卡" in home and "“三务”合一公开栏" not in home
