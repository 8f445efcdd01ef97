"""OpenAPI schema at /api/schema/ and interactive docs at /api/docs/ (drf-spectacular)."""
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

SITES_PATHS = [
    "/api/v1/jurisdictions/",
    "/api/v1/jurisdictions/{id}/",
    "/api/v1/organizations/",
    "/api/v1/organizations/{id}/",
    "/api/v1/rounds/",
    "/api/v1/rounds/{id}/",
    "/api/v1/applications/",
    "/api/v1/applications/{id}/",
    "/api/v1/applications/{id}/submit/",
    "/api/v1/applications/{id}/recommend/",
    "/api/v1/applications/{id}/reject/",
    "/api/v1/applications/{id}/withdraw/",
    "/api/v1/applications/{id}/materials/",
    "/api/v1/sites/",
    "/api/v1/sites/{id}/",
    "/api/v1/auth/token/",
]


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Qujing Disclosure API / 曲靖市党务公开示范点管理系统 API"


@pytest.mark.parametrize("path", SITES_PATHS)
def test_schema_lists_the_designation_endpoints(schema, path):
    assert path in schema["paths"]


def test_schema_offers_no_delete_or_put_on_the_designation_workflow(schema):
    methods = {
        (path, method) for path, ops in schema["paths"].items() if path in SITES_PATHS for method in ops
    }
    assert not {m for _, m in methods} & {"put", "delete"}
    assert ("/api/v1/applications/{id}/", "patch") in methods


def test_schema_documents_the_sites_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/sites/"]["get"]["parameters"]}
    assert names == {"level", "jurisdiction", "year", "status", "q", "page"}


def test_schema_marks_workflow_fields_read_only(schema):
    application = schema["components"]["schemas"]["Application"]["properties"]
    for field in ("state", "jurisdiction", "created_by", "decision_reason", "organization"):
        assert application[field].get("readOnly") is True, field
    create = schema["components"]["schemas"]["ApplicationCreateRequest"]["properties"]
    assert sorted(create) == ["contact_name", "contact_phone", "organization", "round", "summary"]
    update = schema["components"]["schemas"]["PatchedApplicationUpdateRequest"]["properties"]
    assert sorted(update) == ["contact_name", "contact_phone", "summary"]


def test_schema_generates_without_warnings(db, tmp_path):
    # Same as `manage.py spectacular --validate --fail-on-warn`: raises on any warning or invalid schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").startswith("openapi: 3.0.3")


def test_docs_page_is_served_and_points_at_the_schema(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    assert "/api/schema/" in response.content.decode()
