"""R18: feedback on an item that has left display is refused with a visible Chinese message, the typed
text is kept, and the visitor can send it to the organisation instead — on the page and in the API."""
import datetime
import html

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure.enums import ItemState, Scope
from disclosure.models import Feedback
from tests.disclosure import factories as df

D = datetime.date
MESSAGE = "该公开事项已不在公开期内，不能再针对它提意见建议；您填写的内容已保留，可以直接向本单位提交。"


@pytest.fixture(autouse=True)
def _clear_ratelimit_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archived(entry):
    return df.ItemFactory(entry=entry, state=ItemState.ARCHIVED, published_on=D(2026, 1, 2), title="已归档事项")


def _post(client, org, **data):
    return client.post(reverse("disclosure_public:feedback_create", args=[org.pk]), {"website": "", **data})


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["archived", "internal", "other_org"])
def test_feedback_on_an_item_not_on_display_shows_a_visible_error_and_keeps_the_text(client, org, entry, archived,
                                                                                      other_org, which):
    item = {
        "archived": archived,
        "internal": df.published_item(D(2026, 11, 3), entry=df.EntryFactory(organization=org, scope=Scope.INTERNAL,
                                                                             forms=["meeting"]), scope=Scope.INTERNAL),
        "other_org": df.published_item(D(2026, 11, 3), entry=df.EntryFactory(organization=other_org)),
    }[which]
    response = _post(client, org, content="建议延长公示时间<b>", name="王先生", item=item.pk)
    assert response.status_code == 400
    body = response.content.decode()
    alert = body.split('<div class="msg error" role="alert">', 1)[1].split("</div>", 1)[0]
    assert MESSAGE in html.unescape(alert)
    assert "建议延长公示时间&lt;b&gt;</textarea>" in body
    assert 'value="王先生"' in body
    assert '<input type="hidden" name="item" id="id_item">' in body  # the next submit goes to the unit itself
    assert Feedback.objects.count() == 0


@pytest.mark.django_db
def test_resubmitting_sends_the_feedback_to_the_organisation(client, org, archived):
    _post(client, org, content="建议延长公示时间", item=archived.pk)
    response = _post(client, org, content="建议延长公示时间", item="")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.organization_id, feedback.item_id, feedback.content) == (org.pk, None, "建议延长公示时间")


@pytest.mark.django_db
def test_feedback_on_an_item_on_display_still_names_the_item(client, org, entry):
    shown = df.published_item(D(2026, 11, 3), entry=entry)
    assert _post(client, org, content="很好", item=shown.pk).status_code == 302
    assert Feedback.objects.get().item_id == shown.pk


@pytest.mark.django_db
def test_public_api_refusal_is_400_on_item(org, archived):
    response = APIClient().post("/api/v1/disclosure/public/feedback/",
                                {"organization": org.pk, "item": archived.pk, "content": "意见"}, format="json")
    assert response.status_code == 400
    assert response.json()["item"] == [MESSAGE]
