"""Role × endpoint matrix of /api/v1/ (designation workflow).

Every endpoint and action, for every role, through both session and token authentication.
The target objects belong to 麒麟区 (`county`); 沾益区 (`other_county`) is the neighbour whose
user must get 404, never 403 and never the data. Refused requests change nothing.

`admin` is a superuser: the municipal office with admin rights, so it answers like the office (it
reads everything and screens nothing).

Status codes:
- 401: anonymous on an endpoint that needs a login (WWW-Authenticate: Token);
- 404: the object is outside the user's scope, or the user can read it (or is signed in) but it is
  not theirs to act on — the same answer as the portal gives, and as an id that does not exist;
- 400: the organisation field offers only the user's own units, so another county's unit
  is an "invalid pk" exactly like one that does not exist;
- 405: no PUT, no DELETE, no writes on read-only endpoints.
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import RoundStatus
from sites.models import Application, ApplicationMaterial
from tests import factories as f
from tests.sites.conftest import attach_material

ROLES = ["anonymous", "admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]
PDF = b"%PDF-1.4\n%%EOF\n"


def _expect(anonymous, admin, municipal, leading, evaluator, county_user, other_county_user, org_user):
    return dict(zip(ROLES, (anonymous, admin, municipal, leading, evaluator, county_user, other_county_user, org_user)))


ALL_200 = _expect(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = _expect(401, 200, 200, 200, 200, 200, 200, 200)
READ_COUNTY_OBJECT = _expect(401, 200, 200, 200, 404, 200, 404, 200)
EDIT_DRAFT = _expect(401, 404, 404, 404, 404, 200, 404, 200)
SCREEN = _expect(401, 404, 404, 404, 404, 200, 404, 404)

# name: (method, url template, payload kind, state of the application it needs, expected by role)
ENDPOINTS = {
    "jurisdictions-list": ("get", "/api/v1/jurisdictions/", None, None, ALL_200),
    "jurisdictions-detail": ("get", "/api/v1/jurisdictions/{county}/", None, None, ALL_200),
    "jurisdictions-post": ("post", "/api/v1/jurisdictions/", "json", None, _expect(405, 405, 405, 405, 405, 405, 405, 405)),
    "sites-list": ("get", "/api/v1/sites/", None, None, ALL_200),
    "sites-detail": ("get", "/api/v1/sites/{site}/", None, None, ALL_200),
    "sites-post": ("post", "/api/v1/sites/", "json", None, _expect(405, 405, 405, 405, 405, 405, 405, 405)),
    "sites-delete": ("delete", "/api/v1/sites/{site}/", None, None, _expect(405, 405, 405, 405, 405, 405, 405, 405)),
    "organizations-list": ("get", "/api/v1/organizations/", None, None, SIGNED_IN_200),
    "organizations-detail": ("get", "/api/v1/organizations/{org}/", None, None, READ_COUNTY_OBJECT),
    "organizations-post": ("post", "/api/v1/organizations/", "json", None, _expect(401, 405, 405, 405, 405, 405, 405, 405)),
    "rounds-list": ("get", "/api/v1/rounds/", None, None, SIGNED_IN_200),
    "rounds-detail": ("get", "/api/v1/rounds/{round}/", None, None, SIGNED_IN_200),
    "rounds-detail-draft": ("get", "/api/v1/rounds/{draft_round}/", None, None, _expect(401, 200, 200, 200, 404, 404, 404, 404)),
    "applications-list": ("get", "/api/v1/applications/", None, None, SIGNED_IN_200),
    "applications-detail": ("get", "/api/v1/applications/{app}/", None, "submitted", READ_COUNTY_OBJECT),
    "applications-create": ("post", "/api/v1/applications/", "create", None, _expect(401, 404, 404, 404, 404, 201, 400, 201)),
    "applications-update": ("patch", "/api/v1/applications/{app}/", "update", "draft", EDIT_DRAFT),
    "applications-put": ("put", "/api/v1/applications/{app}/", "update", "draft", _expect(401, 405, 405, 405, 405, 405, 405, 405)),
    "applications-delete": ("delete", "/api/v1/applications/{app}/", None, "draft", _expect(401, 405, 405, 405, 405, 405, 405, 405)),
    "applications-submit": ("post", "/api/v1/applications/{app}/submit/", None, "draft", EDIT_DRAFT),
    "applications-recommend": ("post", "/api/v1/applications/{app}/recommend/", "reason", "submitted", SCREEN),
    "applications-reject": ("post", "/api/v1/applications/{app}/reject/", "reason", "submitted", SCREEN),
    "applications-withdraw": ("post", "/api/v1/applications/{app}/withdraw/", "reason", "submitted", EDIT_DRAFT),
    "applications-materials": ("post", "/api/v1/applications/{app}/materials/", "upload", "draft",
                               _expect(401, 404, 404, 404, 404, 201, 404, 201)),
}

CASES = [
    pytest.param(name, role, auth, id=f"{name}-{role}-{auth}")
    for name in ENDPOINTS
    for role in ROLES
    for auth in ("session", "token")
    if not (role == "anonymous" and auth == "token")
]


@pytest.fixture
def world(open_round, org, other_org, county_user, other_county_user, org_user, admin, municipal, leading, evaluator):
    """The objects every case needs; the neighbour's data exists too."""
    draft_round = f.RoundFactory(organizer=open_round.organizer, status=RoundStatus.DRAFT, name="筹备中的轮次")
    site = f.DesignationFactory(organization=org)
    f.DesignationFactory(organization=other_org)
    neighbour_app = services.application_create(
        actor=other_county_user, round_id=open_round.pk, organization_id=other_org.pk,
        summary="沾益区的申报", contact_name="赵六", contact_phone="0874-2222222",
    )
    users = {"admin": admin, "municipal": municipal, "leading": leading, "evaluator": evaluator, "county_user": county_user,
             "other_county_user": other_county_user, "org_user": org_user}
    return {"round": open_round, "draft_round": draft_round, "site": site, "org": org,
            "county": org.jurisdiction, "neighbour_app": neighbour_app, "users": users}


def _client(world, role, auth):
    client = APIClient()
    if role == "anonymous":
        return client
    user = world["users"][role]
    if auth == "session":
        client.force_login(user)
    else:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _application(world, state):
    county_user = world["users"]["county_user"]
    app = services.application_create(
        actor=county_user, round_id=world["round"].pk, organization_id=world["org"].pk,
        summary="麒麟区的申报", contact_name="王五", contact_phone="0874-1111111",
    )
    attach_material(app, county_user)  # a draft that may be submitted
    if state == "submitted":
        app = services.application_submit(actor=county_user, application_id=app.pk)
    return app


def _payload(kind, world):
    if kind == "json":
        return {"name": "新"}, "json"
    if kind == "create":
        return {"round": world["round"].pk, "organization": world["org"].pk, "summary": "新申报",
                "contact_name": "李四", "contact_phone": "13800000000"}, "json"
    if kind == "update":
        return {"summary": "改过的情况"}, "json"
    if kind == "reason":
        return {"reason": "审核意见"}, "json"
    if kind == "upload":
        return {"title": "方案", "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")}, "multipart"
    return None, None


def _snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "summary", "decision_reason")),
        ApplicationMaterial.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name, role, auth", CASES)
def test_role_endpoint_matrix(world, name, role, auth):
    method, template, payload_kind, app_state, expected = ENDPOINTS[name]
    app = _application(world, app_state) if app_state else None
    url = template.format(
        county=world["county"].pk, site=world["site"].pk, org=world["org"].pk, round=world["round"].pk,
        draft_round=world["draft_round"].pk, app=app.pk if app else 0,
    )
    data, fmt = _payload(payload_kind, world)
    before = _snapshot()

    response = getattr(_client(world, role, auth), method)(url, data, format=fmt) if data is not None \
        else getattr(_client(world, role, auth), method)(url)

    assert response.status_code == expected[role], response.content
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == "Token"
    if response.status_code >= 400 or method == "get":
        assert _snapshot() == before  # refused (or read) → nothing changed
    if response.status_code == 404:
        assert "麒麟区" not in response.content.decode()


# --- what each role's lists contain --------------------------------------------------------
@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", ["沾益区的申报", "麒麟区的申报"]),
        ("municipal", ["沾益区的申报", "麒麟区的申报"]),
        ("leading", ["沾益区的申报", "麒麟区的申报"]),
        ("evaluator", []),  # issue 3 adds the applications assigned to them
        ("county_user", ["麒麟区的申报"]),
        ("other_county_user", ["沾益区的申报"]),
        ("org_user", ["麒麟区的申报"]),
    ],
)
def test_application_list_is_scoped(world, role, expected):
    _application(world, "submitted")
    for auth in ("session", "token"):
        body = _client(world, role, auth).get("/api/v1/applications/").json()
        assert sorted(row["summary"] for row in body["results"]) == expected


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", ["曲靖市", "麒麟区", "沾益区"]),
        ("municipal", ["曲靖市", "麒麟区", "沾益区"]),
        ("leading", ["曲靖市", "麒麟区", "沾益区"]),
        ("evaluator", []),
        ("county_user", ["麒麟区"]),
        ("other_county_user", ["沾益区"]),
        ("org_user", ["麒麟区"]),
    ],
)
def test_organization_list_is_scoped(world, city, role, expected):
    f.OrganizationFactory(jurisdiction=city, name="市直机关工委")
    body = _client(world, role, "session").get("/api/v1/organizations/").json()
    assert sorted({row["jurisdiction_name"] for row in body["results"]}, key=["曲靖市", "麒麟区", "沾益区"].index) == expected
    if role == "org_user":
        assert [row["name"] for row in body["results"]] == ["麒麟区第一党支部"]


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", ["麒麟区", "沾益区"]),
        ("municipal", ["麒麟区", "沾益区"]),
        ("leading", ["麒麟区", "沾益区"]),
        ("evaluator", []),
        ("county_user", ["麒麟区"]),
        ("other_county_user", ["沾益区"]),
        ("org_user", ["麒麟区"]),  # its organisation's jurisdiction, as on the portal
    ],
)
def test_round_quotas_are_scoped(world, role, expected):
    body = _client(world, role, "session").get(f"/api/v1/rounds/{world['round'].pk}/").json()
    assert [q["jurisdiction_name"] for q in body["quotas"]] == expected


@pytest.mark.parametrize("role", ROLES)
def test_round_list_hides_draft_rounds_from_everyone_but_staff(world, role):
    response = _client(world, role, "session").get("/api/v1/rounds/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    names = {row["name"] for row in response.json()["results"]}
    assert "2026年县级示范点创建" in names
    assert ("筹备中的轮次" in names) == (role in ("admin", "municipal", "leading"))


def test_neighbouring_county_cannot_see_or_act_on_the_application_anywhere(world):
    """Every route to 麒麟区's application answers the neighbour with the same 404 as a missing id."""
    app = _application(world, "submitted")
    client = _client(world, "other_county_user", "session")
    missing = client.get("/api/v1/applications/999999/")
    for method, suffix, data in [
        ("get", "", None), ("patch", "", {"summary": "x"}), ("post", "submit/", {}), ("post", "recommend/", {}),
        ("post", "reject/", {"reason": "x"}), ("post", "withdraw/", {}), ("post", "materials/", {}),
    ]:
        response = getattr(client, method)(f"/api/v1/applications/{app.pk}/{suffix}", data, format="json")
        assert (response.status_code, response.json()) == (missing.status_code, missing.json())
    assert client.get(f"/api/v1/applications/?organization={world['org'].pk}").json()["count"] == 0
    assert client.get(f"/api/v1/organizations/?jurisdiction={world['county'].pk}").json()["count"] == 0
