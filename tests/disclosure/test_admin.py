import datetime

import pytest
from django.urls import reverse

from disclosure.enums import ItemState
from tests.disclosure import factories as df


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["category", "carrier", "catalogueentry", "item", "exemption", "feedback",
                                   "satisfactionrating", "finding", "rectification", "reminder"])
def test_admin_changelists_for_municipal_only(client, municipal, county_user, entry, model):
    df.ItemFactory(entry=entry)
    df.ExemptionFactory(organization=entry.organization)
    url = reverse(f"admin:disclosure_{model}_changelist")
    client.force_login(municipal)
    assert client.get(url).status_code == 200
    client.force_login(county_user)
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_admin_archive_action_shows_r17_refusal(client, municipal, entry):
    item = df.published_item(datetime.date.today(), entry=entry)
    client.force_login(municipal)
    response = client.post(reverse("admin:disclosure_item_changelist"),
                           {"action": "archive_selected", "_selected_action": [item.pk]}, follow=True)
    assert "R17" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED
