import datetime

import pytest
from django.urls import reverse

from disclosure.enums import ItemState
from tests.disclosure import factories as df


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["municipal", "admin"])
@pytest.mark.parametrize("model", ["category", "carrier", "catalogueentry", "item", "exemption", "feedback",
                                   "satisfactionrating", "finding", "rectification", "reminder"])
def test_admin_changelists_for_municipal_only(request, client, county_user, entry, model, who):
    df.ItemFactory(entry=entry)
    df.ExemptionFactory(organization=entry.organization)
    url = reverse(f"admin:disclosure_{model}_changelist")
    client.force_login(request.getfixturevalue(who))
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


MODELS = ["category", "carrier", "catalogueentry", "item", "exemption", "feedback", "satisfactionrating", "finding",
          "rectification", "reminder"]


def test_every_disclosure_admin_uses_the_core_access_mixin():
    from django.contrib import admin

    from qujing_disclosure.core.admin_access import MunicipalAdminMixin, ReadOnlyAdminMixin

    disclosure_admins = {model._meta.model_name: type(model_admin) for model, model_admin in admin.site._registry.items()
                         if model._meta.app_label == "disclosure"}
    assert sorted(disclosure_admins) == sorted(MODELS)
    assert [name for name, cls in disclosure_admins.items() if not issubclass(cls, MunicipalAdminMixin)] == []
    # Only the standard categories are edited here; everything else changes through services.
    assert [name for name, cls in disclosure_admins.items() if not issubclass(cls, ReadOnlyAdminMixin)] == ["category"]


@pytest.fixture
def admin_world(entry, org):
    """One row of every model, so change pages can be opened."""
    from disclosure.models import Reminder, SatisfactionRating

    finding = df.FindingFactory(organization=org)
    return {
        "category": entry.category, "carrier": entry.carriers.get(), "catalogueentry": entry,
        "item": df.ItemFactory(entry=entry), "exemption": df.ExemptionFactory(organization=org),
        "feedback": df.FeedbackFactory(organization=org),
        "satisfactionrating": SatisfactionRating.objects.create(
            organization=org, jurisdiction=org.jurisdiction, month=datetime.date(2026, 6, 1), rating="satisfied",
            voter_hash="x" * 64),
        "finding": finding, "rectification": df.RectificationFactory(finding=finding),
        "reminder": Reminder.objects.create(organization=org, kind="window_opening", period=datetime.date(2026, 6, 1),
                                            message="提醒"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_municipal_office_staff_reach_disclosure_admin_pages(client, municipal, admin_world, model):
    assert municipal.is_staff and not municipal.is_superuser
    client.force_login(municipal)
    assert client.get(reverse(f"admin:disclosure_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:disclosure_{model}_change", args=[admin_world[model].pk])).status_code == 200
    # Nothing official is deleted; only categories are added here.
    assert client.get(reverse(f"admin:disclosure_{model}_add")).status_code == (200 if model == "category" else 403)
    assert client.get(reverse(f"admin:disclosure_{model}_delete", args=[admin_world[model].pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_reaches_disclosure_admin_pages_like_the_office(client, admin, admin_world, model):
    """A superuser is the municipal office with admin rights: the same pages, nothing official deleted."""
    client.force_login(admin)
    assert client.get(reverse(f"admin:disclosure_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:disclosure_{model}_change", args=[admin_world[model].pk])).status_code == 200
    assert client.get(reverse(f"admin:disclosure_{model}_delete", args=[admin_world[model].pk])).status_code == 403


@pytest.mark.django_db
def test_category_edits_in_the_admin_go_through_the_service_with_old_and_new_values(client, municipal, entry):
    from qujing_disclosure.core.audit import history_for

    category = entry.category
    client.force_login(municipal)
    response = client.post(reverse("admin:disclosure_category_change", args=[category.pk]),
                           {"name": category.name, "code": category.code, "description": category.description, "sort_order": 7,
                            "is_active": "on"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.sort_order == 7
    assert [(e.action, e.actor, e.data["changes"]) for e in history_for(category)] == [
        ("disclosure.category.update", municipal, {"sort_order": {"old": 1, "new": 7}})]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_county_account_marked_staff_is_refused_every_disclosure_admin_page(client, county, admin_world, model):
    from tests import factories as f

    staff_county = f.county_user(county, username="staff_county", is_staff=True)
    client.force_login(staff_county)
    assert client.get(reverse(f"admin:disclosure_{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:disclosure_{model}_add")).status_code == 403
    assert client.get(reverse(f"admin:disclosure_{model}_change", args=[admin_world[model].pk])).status_code == 403
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "/admin/disclosure/" not in index.content.decode()


@pytest.mark.django_db
def test_county_account_marked_staff_cannot_edit_categories(client, county, entry):
    from tests import factories as f

    category = entry.category
    client.force_login(f.county_user(county, username="staff_county", is_staff=True))
    response = client.post(reverse("admin:disclosure_category_change", args=[category.pk]),
                           {"name": "改名", "code": category.code, "sort_order": 1, "is_active": "on"})
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "“三重一大”事项"
