"""R17: an item published late stays on display 15 days after its actual publication, past the asked-for
end. Every page and API answer shows that real end (what the archive job uses), never an end before
the publication date."""
import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import jobs
from disclosure.enums import ItemState, TimeType
from disclosure.models import Item
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture
def late(entry):
    """Asked for 2 June to 17 June, published only on 12 June: on display until 27 June."""
    return df.published_item(D(2026, 6, 12), entry=entry, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 17),
                             title="迟发的重要情况通报")


@pytest.mark.django_db
def test_display_end_is_what_the_archive_job_uses(late):
    assert late.display_end == D(2026, 6, 27)
    assert late.display_extended is True
    assert jobs.archive_ended_items(today=late.display_end).ids == []
    assert jobs.archive_ended_items(today=late.display_end + datetime.timedelta(days=1)).ids == [late.pk]


@pytest.mark.django_db
def test_display_end_before_publication_is_the_asked_for_end_and_long_term_has_none(entry):
    draft = df.ItemFactory(entry=entry, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 30))
    assert (draft.display_end, draft.display_extended) == (D(2026, 6, 30), False)
    long_term = df.published_item(D(2026, 6, 2), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    assert (long_term.display_end, long_term.display_extended) == (None, False)


@pytest.mark.django_db
def test_public_page_shows_the_real_end(client, org, late):
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    meta = body.split(f'id="item-{late.pk}"', 1)[1].split('class="meta"', 1)[1].split("</p>", 1)[0]
    assert "公开日期 2026-06-12" in meta and "公开至 2026-06-27" in meta
    assert "2026-06-17" not in meta


@pytest.mark.django_db
def test_public_api_shows_the_real_end(late):
    answer = APIClient().get(f"/api/v1/disclosure/public/items/{late.pk}/").json()
    assert (answer["published_on"], answer["display_until"]) == ("2026-06-12", "2026-06-27")


@pytest.mark.django_db
def test_portal_api_shows_asked_and_real_end(org_user, late):
    client = APIClient()
    client.force_authenticate(org_user)
    answer = client.get(f"/api/v1/disclosure/items/{late.pk}/").json()
    assert (answer["display_until"], answer["display_end"]) == ("2026-06-17", "2026-06-27")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user"])
def test_portal_item_page_and_list_show_the_real_end(request, client, late, who):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure_portal:item_detail", args=[late.pk])).content.decode()
    end = body.split('id="display-end"', 1)[1].split("</dd>", 1)[0]
    assert end.startswith(">2026-06-27（北京时间）")
    assert "原定截止 2026-06-17" in end and "不少于15天" in end
    listing = client.get(reverse("disclosure_portal:item_list")).content.decode()
    row = listing.split(late.title, 1)[1].split("</tr>", 1)[0]
    assert "2026-06-27" in row and "2026-06-17" not in row


@pytest.mark.django_db
def test_item_published_on_time_shows_its_own_end_without_a_note(client, org_user, entry):
    item = df.published_item(D(2026, 6, 2), entry=entry, display_until=D(2026, 6, 30))
    assert Item.objects.get(pk=item.pk).state == ItemState.PUBLISHED
    client.force_login(org_user)
    body = client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()
    end = body.split('id="display-end"', 1)[1].split("</dd>", 1)[0]
    assert end == ">2026-06-30（北京时间）"
