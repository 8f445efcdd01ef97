"""Every portal page of the designation workflow × every role → the status a person gets.

The application belongs to 麒麟区 (`county`); the neighbouring county's office must
get 404 for it, never 403 and never the page. `admin` is a superuser: the municipal office with
admin rights, so it reads what the office reads and screens nothing. "login" means a redirect to the
login page, "done" a redirect back to the application after a successful change.
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qujing_disclosure.core import media
from sites import services
from sites.enums import ApplicationState, RoundStatus
from sites.selectors import material_download_allowed
from tests import factories as f
from tests.sites.conftest import attach_material

ROLES = ["anonymous", "admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]
BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def _expect(default, **overrides):
    table = {role: default for role in ROLES}
    table["anonymous"] = "login"
    table.update(overrides)
    return table


# (url name, method, object the URL is about, expected by role).
PAGES = [
    ("portal:dashboard", "get", None, _expect(200)),
    ("portal:round_list", "get", None, _expect(200)),
    ("portal:round_detail", "get", "round", _expect(200)),
    ("portal:round_detail", "get", "draft_round", _expect(404, admin=200, municipal=200, leading=200)),
    ("portal:application_list", "get", None, _expect(200, evaluator=404)),
    ("portal:application_create", "get", None, _expect(200, admin=404, municipal=404, leading=404, evaluator=404)),
    ("portal:application_detail", "get", "draft", _expect(200, evaluator=404, other_county_user=404)),
    ("portal:application_edit", "get", "draft", _expect(404, county_user=200, org_user=200)),
    ("portal:application_materials", "get", "draft", _expect(404, county_user=200, org_user=200)),
    ("portal:application_submit", "post", "draft", _expect(404, county_user="done", org_user="done")),
    ("portal:application_withdraw", "post", "draft", _expect(404, county_user="done", org_user="done")),
    ("portal:application_recommend", "post", "submitted", _expect(404, county_user="done")),
    ("portal:application_reject", "post", "submitted", _expect(404, county_user="done")),
    ("media", "get", "material", _expect(200, anonymous=404, evaluator=404, other_county_user=404)),
]

STATE_AFTER = {
    "portal:application_submit": ApplicationState.SUBMITTED,
    "portal:application_withdraw": ApplicationState.WITHDRAWN,
    "portal:application_recommend": ApplicationState.RECOMMENDED,
    "portal:application_reject": ApplicationState.REJECTED,
}

CASES = [
    pytest.param(url_name, method, key, role, expected[role], id=f"{url_name}-{key or ''}-{role}")
    for url_name, method, key, expected in PAGES
    for role in ROLES
]


@pytest.fixture
def objects(open_round, city, county, org, county_user):
    draft = services.application_create(
        actor=county_user, round_id=open_round.pk, organization_id=org.pk,
        summary="情况", contact_name="李四", contact_phone="13800000000",
    )
    material = services.application_add_material(
        actor=county_user, application_id=draft.pk, title="总结",
        uploaded_file=SimpleUploadedFile("总结.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    second = f.OrganizationFactory(jurisdiction=county, name="麒麟区第二党支部")
    submitted = services.application_create(
        actor=county_user, round_id=open_round.pk, organization_id=second.pk,
        summary="情况", contact_name="李四", contact_phone="13800000000",
    )
    attach_material(submitted, county_user)
    services.application_submit(actor=county_user, application_id=submitted.pk)
    draft_round = f.RoundFactory(organizer=city, status=RoundStatus.DRAFT, name="筹备中的轮次")
    return {"round": open_round, "draft_round": draft_round, "draft": draft, "submitted": submitted, "material": material}


@pytest.fixture
def only_portal_media_checker(monkeypatch):
    """Serve application files through this portal's checker, whatever else is registered."""
    monkeypatch.setattr(media, "_checkers", [("applications/", material_download_allowed)])


def _url(url_name, key, objects):
    if url_name == "media":
        return "/media/" + objects[key].file.name
    return reverse(url_name, args=[objects[key].pk] if key else [])


@pytest.mark.parametrize(("url_name", "method", "key", "role", "expected"), CASES)
def test_portal_access(request, client, objects, only_portal_media_checker, url_name, method, key, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role), backend=BACKEND)
    url = _url(url_name, key, objects)

    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"reject-reason": "材料不全"})

    if expected == "login":
        assert (response.status_code, response.url) == (302, f"{reverse('portal:login')}?next={url}")
    elif expected == "done":
        assert (response.status_code, response.url) == (302, reverse("portal:application_detail", args=[objects[key].pk]))
        objects[key].refresh_from_db()
        assert objects[key].state == STATE_AFTER[url_name]
    else:
        assert response.status_code == expected


def test_refused_roles_change_nothing(client, objects, other_county_user, org_user, municipal, admin):
    for user in (other_county_user, org_user, municipal, admin):
        client.force_login(user, backend=BACKEND)
        client.post(reverse("portal:application_recommend", args=[objects["submitted"].pk]))
        client.post(reverse("portal:application_reject", args=[objects["submitted"].pk]), {"reject-reason": "x"})
    objects["submitted"].refresh_from_db()
    assert objects["submitted"].state == ApplicationState.SUBMITTED


def test_neighbouring_county_does_not_see_the_application_in_lists(client, objects, other_county_user):
    client.force_login(other_county_user, backend=BACKEND)

    response = client.get(reverse("portal:application_list"))

    assert list(response.context["page"].object_list) == []
    assert "麒麟区第一党支部" not in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("admin", True), ("municipal", True), ("leading", True), ("evaluator", False),
    ("county_user", True), ("other_county_user", False), ("org_user", True),
])
def test_material_download_allowed(request, objects, role, allowed):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert material_download_allowed(user, objects["material"].file.name) is allowed
    assert material_download_allowed(user, "applications/999/不存在.pdf") is False
