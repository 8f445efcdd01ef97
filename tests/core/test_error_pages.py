import pytest
from django.test import override_settings

from tests import factories as f

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_not_found_page_is_in_chinese_with_navigation(client):
    response = client.get("/sites/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "示范点名录" in body


@override_settings(DEBUG=False)
def test_not_found_page_in_english(client):
    client.cookies["django_language"] = "en"
    body = client.get("/sites/999999/").content.decode()
    assert "页面不存在" not in body
    assert "Page not found" in body


def test_api_not_found_names_no_model(client, county_user, other_org, open_round):
    app = f.ApplicationFactory(round=open_round, organization=other_org)
    client.force_login(county_user)
    response = client.get(f"/api/v1/applications/{app.pk}/")
    assert response.status_code == 404
    assert "Application" not in response.content.decode()


def test_csrf_failure_page_is_friendly(county_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county_user)
    response = client.post("/portal/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
