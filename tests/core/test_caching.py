import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sites import services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_anonymous_directory_is_served_from_cache_until_a_site_changes(client, municipal):
    site = f.DesignationFactory(organization__name="会泽县某社区党委")
    first = client.get("/sites/")
    assert "会泽县某社区党委" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/sites/")
    assert len(queries) == 0  # served from the cache
    assert again.content == first.content

    # A revocation bumps the version: the next reader sees it at once.
    services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不合格")
    after = client.get("/sites/").content.decode()
    assert "复评不合格" in after


def test_signed_in_users_are_never_served_from_the_public_cache(client, county_user):
    f.DesignationFactory()
    client.force_login(county_user)
    client.get("/sites/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/sites/")
    assert len(queries) > 0


def test_public_pages_set_no_cookie_for_anonymous_readers(client):
    response = client.get("/sites/")
    assert response.cookies == {}


def test_api_sites_list_is_cached_for_anonymous_and_invalidated(client, municipal):
    site = f.DesignationFactory()
    assert client.get("/api/v1/sites/").json()["results"][0]["status"] == "active"
    services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不合格")
    assert client.get("/api/v1/sites/").json()["results"][0]["status"] == "revoked"


def test_language_switch_by_get_sets_cookie_and_returns(client):
    response = client.get("/i18n/switch/", {"language": "en", "next": "/sites/"})
    assert response.status_code == 302
    assert response["Location"] == "/sites/"
    assert response.cookies["django_language"].value == "en"


def test_language_switch_refuses_foreign_redirects(client):
    response = client.get("/i18n/switch/", {"language": "en", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"
