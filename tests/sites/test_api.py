"""The /api/v1/ designation workflow: the same rules as the portal, through sites.services."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState, DesignationStatus, Level
from sites.models import Application, ApplicationMaterial
from tests import factories as f
from tests.sites.conftest import attach_material

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _token_client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _create(client, round_, org, **extra):
    payload = {"round": round_.pk, "organization": org.pk, "summary": "公开栏规范，目录齐全",
               "contact_name": "李四", "contact_phone": "13800000000", **extra}
    return client.post("/api/v1/applications/", payload, format="json")


def _submitted_app(round_, org, actor):
    app = services.application_create(actor=actor, round_id=round_.pk, organization_id=org.pk,
                                      summary="情况", contact_name="王五", contact_phone="0874-1111111")
    attach_material(app, actor)
    return services.application_submit(actor=actor, application_id=app.pk)


def _draft_app(round_, org, actor):
    return services.application_create(actor=actor, round_id=round_.pk, organization_id=org.pk,
                                       summary="情况", contact_name="王五", contact_phone="0874-1111111")


# --- the workflow ------------------------------------------------------------------------
def test_county_creates_submits_and_recommends_up_to_the_limit_then_is_refused(open_round, county, county_user):
    # R2: quota 2 at 2:1 → at most 4 recommendations for 麒麟区.
    client = _client(county_user)
    ids = []
    for i in range(5):
        org = f.OrganizationFactory(jurisdiction=county, name=f"麒麟区第{i + 2}党支部")
        response = _create(client, open_round, org)
        assert response.status_code == 201
        assert response.json()["state"] == "draft"
        ids.append(response.json()["id"])
        upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
        response = client.post(f"/api/v1/applications/{ids[-1]}/materials/", {"title": "方案", "file": upload},
                               format="multipart")
        assert response.status_code == 201, response.content
        response = client.post(f"/api/v1/applications/{ids[-1]}/submit/")
        assert response.status_code == 200
        assert response.json()["state"] == "submitted"
    for pk in ids[:4]:
        response = client.post(f"/api/v1/applications/{pk}/recommend/", {"reason": "材料齐全"}, format="json")
        assert response.status_code == 200
        assert response.json()["state"] == "recommended"
        assert response.json()["decision_reason"] == "材料齐全"
    entries_before = AuditEntry.objects.count()

    response = client.post(f"/api/v1/applications/{ids[4]}/recommend/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "state": ["按2:1比例，本轮麒麟区名额2个，最多推荐4个，已推荐4个，不能再推荐。"],
        "code": "quota_exceeded",
        "rule": "R2",
    }
    assert Application.objects.get(pk=ids[4]).state == ApplicationState.SUBMITTED
    assert Application.objects.filter(state=ApplicationState.RECOMMENDED).count() == 4
    assert AuditEntry.objects.count() == entries_before


def test_round_quota_shows_the_recommendation_count_and_limit(open_round, county, county_user):
    for _ in range(3):
        app = _submitted_app(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
        services.application_recommend(actor=county_user, application_id=app.pk)

    response = _client(county_user).get(f"/api/v1/rounds/{open_round.pk}/")

    assert response.status_code == 200
    assert response.json()["quotas"] == [
        {"jurisdiction": county.pk, "jurisdiction_name": "麒麟区", "slots": 2, "limit": 4, "recommended": 3}
    ]


def test_municipal_sees_every_quota_of_a_round(open_round, county, other_county, municipal, county_user):
    app = _submitted_app(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    services.application_recommend(actor=county_user, application_id=app.pk)

    quotas = _client(municipal).get(f"/api/v1/rounds/{open_round.pk}/").json()["quotas"]

    assert [(q["jurisdiction_name"], q["limit"], q["recommended"]) for q in quotas] == [
        ("麒麟区", 4, 1), ("沾益区", 4, 0)
    ]


def test_neighbouring_county_sees_only_its_own_quota(open_round, other_county_user):
    quotas = _client(other_county_user).get(f"/api/v1/rounds/{open_round.pk}/").json()["quotas"]
    assert [q["jurisdiction_name"] for q in quotas] == ["沾益区"]


def test_reject_requires_a_reason(open_round, org, county_user):
    app = _submitted_app(open_round, org, county_user)
    client = _client(county_user)

    for payload in ({}, {"reason": "   "}):
        response = client.post(f"/api/v1/applications/{app.pk}/reject/", payload, format="json")
        assert response.status_code == 400
        assert response.json()["reason"] == ["不推荐时必须填写理由。"]
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED

    response = client.post(f"/api/v1/applications/{app.pk}/reject/", {"reason": "创建工作情况不实"}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["decision_reason"]) == ("rejected", "创建工作情况不实")


def test_unit_withdraws_its_submitted_application(open_round, org, org_user):
    app = _submitted_app(open_round, org, org_user)

    response = _client(org_user).post(f"/api/v1/applications/{app.pk}/withdraw/", {"reason": "材料需重新准备"}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert AuditEntry.objects.filter(object_id=str(app.pk)).last().reason == "材料需重新准备"


def test_recommending_a_draft_is_an_illegal_transition(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)

    response = _client(county_user).post(f"/api/v1/applications/{app.pk}/recommend/")

    assert response.status_code == 400
    assert response.json()["state"] == ["申报当前状态为“草稿”，不能变更为“已推荐”。"]


def test_submit_after_the_window_is_refused_in_china_time(open_round, org, county_user, time_machine):
    app = _draft_app(open_round, org, county_user)
    # The window closes on applications_close_on; 00:30 the next day in Shanghai is already past it.
    close = open_round.applications_close_on + datetime.timedelta(days=1)
    time_machine.move_to(datetime.datetime(close.year, close.month, close.day, 0, 30,
                                           tzinfo=datetime.timezone(datetime.timedelta(hours=8))))

    response = _client(county_user).post(f"/api/v1/applications/{app.pk}/submit/")

    assert response.status_code == 400
    assert response.json()["round"] == [f"申报已于 {open_round.applications_close_on.isoformat()} 截止（北京时间）。"]


# --- uploads -------------------------------------------------------------------------------
def test_upload_accepts_a_pdf(open_round, org, org_user):
    app = _draft_app(open_round, org, org_user)

    response = _client(org_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"title": "创建方案", "file": SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")},
        format="multipart",
    )

    assert response.status_code == 201
    assert (response.json()["title"], response.json()["size"]) == ("创建方案", len(PDF))
    detail = _client(org_user).get(f"/api/v1/applications/{app.pk}/").json()
    assert [m["title"] for m in detail["materials"]] == ["创建方案"]


def test_upload_refuses_a_file_type_that_is_not_allowed(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)

    response = _client(county_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"title": "程序", "file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["文件“setup.exe”类型不支持：只接受 PDF、图片（JPG/PNG/GIF/WEBP）和 Office/WPS 文件。"]
    assert ApplicationMaterial.objects.count() == 0


def test_upload_refuses_a_renamed_file(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)

    response = _client(county_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["文件“report.pdf”的内容与扩展名不符，请上传真实的 PDF 文件。"]
    assert ApplicationMaterial.objects.count() == 0


def test_upload_refuses_a_file_over_the_size_limit(open_round, org, county_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # 1 MB
    app = _draft_app(open_round, org, county_user)
    big = PDF + b"0" * (1024 * 1024)

    response = _client(county_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"title": "图片集", "file": SimpleUploadedFile("big.pdf", big, content_type="application/pdf")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["文件“big.pdf”大小为 1.0 MB，超过上限 1 MB。"]
    assert ApplicationMaterial.objects.count() == 0


def test_upload_to_a_submitted_application_is_refused(open_round, org, county_user):
    app = _submitted_app(open_round, org, county_user)

    response = _client(county_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["只有草稿状态的申报可以上传材料。"]


def test_upload_without_a_file_names_the_field(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)

    response = _client(county_user).post(f"/api/v1/applications/{app.pk}/materials/", {"title": "空"}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["file"]


# --- mass assignment -----------------------------------------------------------------------
def test_create_ignores_state_jurisdiction_creator_and_decision(open_round, county, other_county, org, county_user, municipal):
    response = _create(
        _client(county_user), open_round, org,
        state="recommended", jurisdiction=other_county.pk, created_by=municipal.pk,
        decision_reason="自己推荐自己", submitted_at="2020-01-01T00:00:00Z",
    )

    assert response.status_code == 201
    app = Application.objects.get(pk=response.json()["id"])
    assert (app.state, app.jurisdiction_id, app.created_by_id, app.decision_reason, app.submitted_at) == (
        ApplicationState.DRAFT, county.pk, county_user.pk, "", None
    )


def test_update_changes_only_the_text_of_a_draft(open_round, county, other_county, org, county_user, municipal):
    app = _draft_app(open_round, org, county_user)
    same_county_org = f.OrganizationFactory(jurisdiction=county, name="麒麟区第九党支部")

    response = _client(county_user).patch(
        f"/api/v1/applications/{app.pk}/",
        {"summary": "新的工作情况", "state": "recommended", "organization": same_county_org.pk,
         "jurisdiction": other_county.pk, "created_by": municipal.pk, "decision_reason": "x", "round": 999},
        format="json",
    )

    assert response.status_code == 200
    app.refresh_from_db()
    assert (app.summary, app.state, app.organization_id, app.jurisdiction_id, app.created_by_id, app.decision_reason,
            app.round_id) == ("新的工作情况", ApplicationState.DRAFT, org.pk, county.pk, county_user.pk, "", open_round.pk)


def test_posting_only_organization_on_update_changes_nothing(open_round, county, org, county_user):
    app = _draft_app(open_round, org, county_user)
    other_unit = f.OrganizationFactory(jurisdiction=county)
    entries_before = AuditEntry.objects.count()

    response = _client(county_user).patch(f"/api/v1/applications/{app.pk}/", {"organization": other_unit.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["organization"] == org.pk
    assert AuditEntry.objects.count() == entries_before


def test_submit_ignores_a_posted_state(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)
    attach_material(app, county_user)

    response = _client(county_user).post(f"/api/v1/applications/{app.pk}/submit/", {"state": "awarded"}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "submitted"


def test_editing_a_submitted_application_is_refused(open_round, org, county_user):
    app = _submitted_app(open_round, org, county_user)

    response = _client(county_user).patch(f"/api/v1/applications/{app.pk}/", {"summary": "改"}, format="json")

    assert response.status_code == 400
    assert response.json()["state"] == ["只有草稿状态的申报可以修改。"]
    app.refresh_from_db()
    assert app.summary == "情况"


def test_creating_for_a_neighbouring_countys_unit_looks_like_an_unknown_id(open_round, other_org, county_user):
    # The organisation field offers only the user's own units: another county's unit and a
    # unit that does not exist get the same answer, so nothing is revealed.
    client = _client(county_user)
    foreign = _create(client, open_round, other_org)
    missing = client.post("/api/v1/applications/", {"round": open_round.pk, "organization": 999999, "summary": "s",
                                                     "contact_name": "n", "contact_phone": "p"}, format="json")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["organization"] == [f"无效主键 “{other_org.pk}” － 对象不存在。"]
    assert missing.json()["organization"] == ["无效主键 “999999” － 对象不存在。"]
    assert Application.objects.count() == 0


def test_unit_user_cannot_apply_for_another_unit_of_its_county(open_round, county, org_user):
    sibling = f.OrganizationFactory(jurisdiction=county)

    response = _create(_client(org_user), open_round, sibling)

    assert response.status_code == 400
    assert list(response.json()) == ["organization"]


def test_a_second_live_application_for_the_same_unit_is_refused(open_round, org, county_user):
    client = _client(county_user)
    assert _create(client, open_round, org).status_code == 201

    response = _create(client, open_round, org)

    assert response.status_code == 400
    assert response.json()["organization"] == ["麒麟区第一党支部在本轮已有申报，不能重复申报。"]


def test_put_and_delete_are_not_offered(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)
    client = _client(county_user)

    assert client.put(f"/api/v1/applications/{app.pk}/", {"summary": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/applications/{app.pk}/").status_code == 405
    assert Application.objects.filter(pk=app.pk).exists()


# --- public sites ----------------------------------------------------------------------------
@pytest.fixture
def directory(county, other_county):
    """Four sites with different level, place, year and status."""
    d = datetime.date
    return {
        "city_2019": f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county, name="麒麟区人民医院党委"),
                                          level=Level.CITY, awarded_on=d(2019, 12, 31)),
        "county_2020": f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county, name="麒麟区第一中学党总支"),
                                            level=Level.COUNTY, awarded_on=d(2020, 1, 1)),
        "other_2020": f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=other_county, name="沾益区花山街道党工委"),
                                           level=Level.COUNTY, awarded_on=d(2020, 6, 1)),
        "revoked": f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=other_county, name="沾益区某公司党支部"),
                                        level=Level.COUNTY, awarded_on=d(2016, 5, 1), status=DesignationStatus.REVOKED,
                                        revoked_on=d(2019, 3, 1), revoke_reason="复评不达标"),
    }


def _site_names(response):
    assert response.status_code == 200
    return sorted(row["organization_name"] for row in response.json()["results"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["沾益区某公司党支部", "沾益区花山街道党工委", "麒麟区人民医院党委", "麒麟区第一中学党总支"]),
        ("level=city", ["麒麟区人民医院党委"]),
        ("level=county", ["沾益区某公司党支部", "沾益区花山街道党工委", "麒麟区第一中学党总支"]),
        ("year=2020", ["沾益区花山街道党工委", "麒麟区第一中学党总支"]),
        ("year=2019", ["麒麟区人民医院党委"]),
        ("status=revoked", ["沾益区某公司党支部"]),
        ("status=active&level=county", ["沾益区花山街道党工委", "麒麟区第一中学党总支"]),
        ("q=中学", ["麒麟区第一中学党总支"]),
        ("q=沾益区&status=active", ["沾益区花山街道党工委"]),
    ],
)
def test_sites_filters_match_the_public_directory(directory, query, expected):
    assert _site_names(APIClient().get(f"/api/v1/sites/?{query}")) == expected


def test_sites_filter_by_jurisdiction(directory, county, other_county):
    client = APIClient()
    assert _site_names(client.get(f"/api/v1/sites/?jurisdiction={county.pk}")) == ["麒麟区人民医院党委", "麒麟区第一中学党总支"]
    assert _site_names(client.get(f"/api/v1/sites/?jurisdiction={other_county.pk}")) == ["沾益区某公司党支部", "沾益区花山街道党工委"]


def test_sites_filter_with_a_bad_value_answers_400(directory):
    response = APIClient().get("/api/v1/sites/?level=province")
    assert response.status_code == 400
    assert list(response.json()) == ["level"]


def test_a_revoked_site_shows_its_date_and_reason(directory):
    body = APIClient().get(f"/api/v1/sites/{directory['revoked'].pk}/").json()
    assert (body["status"], body["status_display"], body["revoked_on"], body["revoke_reason"]) == (
        "revoked", "已撤销", "2019-03-01", "复评不达标"
    )


# --- authentication --------------------------------------------------------------------------
def test_token_is_issued_for_valid_credentials_and_authenticates(county_user):
    response = APIClient().post("/api/v1/auth/token/", {"username": "qilin_office", "password": "pass-Word-123"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=county_user).key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/applications/").status_code == 200


def test_token_is_refused_for_a_wrong_password(county_user):
    response = APIClient().post("/api/v1/auth/token/", {"username": "qilin_office", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_a_bad_token_answers_401(county_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/applications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_gets_401_asking_for_a_token():
    response = APIClient().get("/api/v1/applications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_requests_need_no_csrf_but_session_posts_do(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)
    attach_material(app, county_user)
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(county_user)
    assert session.post(f"/api/v1/applications/{app.pk}/submit/").status_code == 403
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT

    assert _token_client(county_user).post(f"/api/v1/applications/{app.pk}/submit/").status_code == 200


# --- pagination and query counts ----------------------------------------------------------------
def test_pagination_shape(county):
    f.DesignationFactory.create_batch(51, organization__jurisdiction=county)

    body = APIClient().get("/api/v1/sites/").json()

    assert sorted(body) == ["count", "next", "previous", "results"]
    assert (body["count"], len(body["results"]), body["previous"]) == (51, 50, None)
    assert body["next"] == "http://testserver/api/v1/sites/?page=2"
    second = APIClient().get("/api/v1/sites/?page=2").json()
    assert (len(second["results"]), second["next"]) == (1, None)


@pytest.mark.parametrize("rows", [2, 20])
def test_sites_list_query_count_is_constant(county, rows, django_assert_num_queries):
    f.DesignationFactory.create_batch(rows, organization__jurisdiction=county)
    client = APIClient()
    # count + page
    with django_assert_num_queries(2):
        response = client.get("/api/v1/sites/")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_applications_list_query_count_is_constant(open_round, county, county_user, rows, django_assert_num_queries):
    for _ in range(rows):
        app = f.ApplicationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=county),
                                   created_by=county_user)
        ApplicationMaterial.objects.create(application=app, title="方案", file="applications/x.pdf", uploaded_by=county_user)
    client = _token_client(county_user)
    # token + user, count, page, materials
    with django_assert_num_queries(4):
        response = client.get("/api/v1/applications/")
    assert response.json()["count"] == rows
    assert all(len(row["materials"]) == 1 for row in response.json()["results"])


@pytest.mark.parametrize("rounds", [2, 20])
def test_rounds_list_query_count_is_constant(city, county, other_county, municipal, rounds, django_assert_num_queries):
    for _ in range(rounds):
        r = f.RoundFactory(organizer=city)
        f.QuotaFactory(round=r, jurisdiction=county, slots=1)
        f.QuotaFactory(round=r, jurisdiction=other_county, slots=2)
    client = _token_client(municipal)
    # token + user, count, page, quotas with counts
    with django_assert_num_queries(4):
        response = client.get("/api/v1/rounds/")
    assert response.json()["count"] == rounds
    assert all(len(row["quotas"]) == 2 for row in response.json()["results"])


# --- filters on the scoped lists ---------------------------------------------------------------
def test_applications_filter_by_state_and_round(open_round, city, county, county_user):
    other_round = f.RoundFactory(organizer=city, name="另一轮")
    f.QuotaFactory(round=other_round, jurisdiction=county, slots=1)
    draft = _draft_app(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    submitted = _submitted_app(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    elsewhere = _draft_app(other_round, f.OrganizationFactory(jurisdiction=county), county_user)
    client = _client(county_user)

    def ids(query):
        return sorted(row["id"] for row in client.get(f"/api/v1/applications/?{query}").json()["results"])

    assert ids("state=submitted") == [submitted.pk]
    assert ids("state=draft&state=submitted") == sorted([draft.pk, submitted.pk, elsewhere.pk])
    assert ids(f"round={other_round.pk}") == [elsewhere.pk]
    assert ids(f"round={open_round.pk}&state=draft") == [draft.pk]
    assert client.get("/api/v1/applications/?round=abc").status_code == 400


def test_organizations_filter_by_jurisdiction_and_name(county, other_county, municipal):
    f.OrganizationFactory(jurisdiction=county, name="麒麟区教育局党组")
    f.OrganizationFactory(jurisdiction=county, name="麒麟区卫健局党组")
    f.OrganizationFactory(jurisdiction=other_county, name="沾益区教育局党组")
    client = _client(municipal)

    def names(query):
        return sorted(row["name"] for row in client.get(f"/api/v1/organizations/?{query}").json()["results"])

    assert names(f"jurisdiction={county.pk}") == ["麒麟区卫健局党组", "麒麟区教育局党组"]
    assert names("q=教育") == ["沾益区教育局党组", "麒麟区教育局党组"]
    assert names(f"q=教育&jurisdiction={other_county.pk}") == ["沾益区教育局党组"]


# --- uploaded materials are downloadable only within scope ---------------------------------------
def test_uploaded_material_url_is_served_only_to_users_who_may_read_the_application(
    open_round, org, org_user, county_user, other_county_user
):
    app = _draft_app(open_round, org, org_user)
    body = _client(org_user).post(
        f"/api/v1/applications/{app.pk}/materials/",
        {"title": "方案", "file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
        format="multipart",
    ).json()
    path = body["file"].removeprefix("http://testserver")
    assert path.startswith(f"/media/applications/{app.pk}/")

    own = _client(county_user).get(path)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert _client(other_county_user).get(path).status_code == 404
    assert APIClient().get(path).status_code == 404


def test_submitting_without_materials_returns_400_on_materials(open_round, org, county_user):
    app = _draft_app(open_round, org, county_user)

    response = _client(county_user).post(f"/api/v1/applications/{app.pk}/submit/")

    assert response.status_code == 400
    assert response.json()["materials"] == ["请先上传申报材料再提交。"]
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_an_inactive_organisation_cannot_apply_through_the_api(open_round, org, county_user):
    org.is_active = False
    org.save(update_fields=["is_active"])

    response = _create(_client(county_user), open_round, org)

    assert response.status_code == 400
    assert response.json()["organization"] == [f"{org.name}已停用，不能申报。"]
    assert not Application.objects.filter(organization=org).exists()
