"""/api/v1/disclosure/…: same scoping and rules as the portal (R13, R14, R16, R17, R20)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from disclosure import jobs
from disclosure.enums import ItemState
from disclosure.models import Item
from tests.disclosure import factories as df

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
ROLES = ["municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False)


@pytest.fixture
def world(org, entry, other_org):
    other_entry = df.EntryFactory(organization=other_org)
    return {
        "item": df.ItemFactory(entry=entry, title="麒麟区事项"),
        "other_item": df.ItemFactory(entry=other_entry, title="沾益区事项"),
        "feedback": df.FeedbackFactory(organization=org),
        "exemption": df.ExemptionFactory(organization=org),
        "finding": df.FindingFactory(organization=org),
        "rectification": df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued")),
        "entry": entry,
    }


LIST_ENDPOINTS = ["items", "catalogue", "carriers", "exemptions", "feedback", "findings", "rectifications"]
# What each role sees of the 麒麟区 organisation's rows (True) — never the neighbour's.
SEES_QILIN = {"municipal": True, "leading": True, "evaluator": False, "county_user": True,
              "other_county_user": False, "org_user": True, "other_org_user": False}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS + ["categories", "compliance"])
def test_api_requires_authentication(endpoint):
    assert api().get(f"/api/v1/disclosure/{endpoint}/").status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_item_detail_scoping(request, world, role):
    user = request.getfixturevalue(role)
    response = api(user).get(f"/api/v1/disclosure/items/{world['item'].pk}/")
    assert response.status_code == (200 if SEES_QILIN[role] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["feedback", "exemptions", "rectifications"])
def test_api_detail_scoping_other_objects(request, world, role, endpoint):
    obj = {"feedback": world["feedback"], "exemptions": world["exemption"], "rectifications": world["rectification"]}[endpoint]
    response = api(request.getfixturevalue(role)).get(f"/api/v1/disclosure/{endpoint}/{obj.pk}/")
    assert response.status_code == (200 if SEES_QILIN[role] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_findings_only_for_offices(request, world, role):
    response = api(request.getfixturevalue(role)).get(f"/api/v1/disclosure/findings/{world['finding'].pk}/")
    expected = 200 if role in ("municipal", "leading", "county_user") else 404
    assert response.status_code == expected


@pytest.mark.django_db
def test_api_county_list_never_leaks_neighbour(world, county_user):
    titles = [row["title"] for row in api(county_user).get("/api/v1/disclosure/items/").json()["results"]]
    assert titles == ["麒麟区事项"]


@pytest.mark.django_db
def test_api_r16_window_refusal_is_400_with_field_and_next_date(org_user, entry):
    with at(D(2026, 5, 20)):
        response = api(org_user).post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "title": "t", "content": "c", "publish_on": "2026-05-25", "display_until": "2026-06-30",
        }, format="json")
    assert response.status_code == 400
    assert "2026-06-01" in response.json()["publish_on"][0]
    assert response.json()["rule"] == "R16"


@pytest.mark.django_db
def test_api_r17_display_refusal(org_user, entry):
    with at(D(2026, 5, 20)):
        response = api(org_user).post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "title": "t", "content": "c", "publish_on": "2026-06-02", "display_until": "2026-06-10",
        }, format="json")
    assert response.status_code == 400
    assert "display_until" in response.json()


@pytest.mark.django_db
def test_api_posting_state_or_organisation_changes_nothing(org_user, entry, other_org):
    with at(D(2026, 5, 20)):
        response = api(org_user).post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "title": "t", "content": "c", "publish_on": "2026-06-02", "display_until": "2026-06-30",
            "state": "published", "organization": other_org.pk, "published_on": "2026-06-01",
        }, format="json")
    assert response.status_code == 201
    item = Item.objects.get(pk=response.json()["id"])
    assert (item.state, item.organization_id, item.published_on) == (ItemState.DRAFT, entry.organization_id, None)


@pytest.mark.django_db
def test_api_other_organisation_cannot_draft_under_entry(other_org_user, entry):
    with at(D(2026, 5, 20)):
        response = api(other_org_user).post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "title": "t", "content": "c", "publish_on": "2026-06-02", "display_until": "2026-06-30",
        }, format="json")
    assert response.status_code == 404


@pytest.mark.django_db
def test_api_full_procedure_to_public_api(org_user, county_user, other_county_user, entry, org):
    client = api(org_user)
    with at(D(2026, 5, 20)):
        item = client.post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "title": "6月党费收缴", "content": "应缴12人", "publish_on": "2026-06-02",
            "display_until": "2026-06-30"}, format="json").json()
        base = f"/api/v1/disclosure/items/{item['id']}"
        assert client.post(f"{base}/submit/").status_code == 200
        partial = client.post(f"{base}/initial-review/", {"approve": True, "check_content": True}, format="json")
        assert partial.status_code == 400
        assert client.post(f"{base}/initial-review/", {"approve": True, "check_content": True, "check_scope": True,
                                                       "check_form": True, "check_timing": True},
                           format="json").json()["state"] == "initial_approved"
        assert client.post(f"{base}/review/", {"approve": True}, format="json").status_code == 404
        assert api(other_county_user).post(f"{base}/review/", {"approve": True}, format="json").status_code == 404
        assert api(county_user).post(f"{base}/review/", {"approve": True}, format="json").json()["state"] == "approved"
    assert api().get("/api/v1/disclosure/public/items/", {"organization": org.pk}).json()["results"] == []
    jobs.publish_due_items(today=D(2026, 6, 2))
    public = api().get("/api/v1/disclosure/public/items/", {"organization": org.pk}).json()["results"]
    assert [row["title"] for row in public] == ["6月党费收缴"]
    with at(D(2026, 6, 10)):
        refused = client.post(f"{base}/archive/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["rule"] == "R17"


@pytest.mark.django_db
def test_api_rectification_workflow(org_user, county_user, org):
    finding = api(county_user).post("/api/v1/disclosure/findings/", {
        "organization": org.pk, "kind": "evidence", "period": "2026-11-01", "description": "公开栏未更新"},
        format="json")
    assert finding.status_code == 201
    fid = finding.json()["id"]
    notice = api(county_user).post(f"/api/v1/disclosure/findings/{fid}/issue-notice/",
                                   {"requirement": "立即更新", "deadline": "2099-01-01"}, format="json")
    assert notice.status_code == 201
    nid = notice.json()["id"]
    assert api(org_user).post(f"/api/v1/disclosure/rectifications/{nid}/report/", {"report": "已更新"},
                              format="json").json()["state"] == "reported"
    assert api(county_user).post(f"/api/v1/disclosure/rectifications/{nid}/check/", {"accept": True},
                                 format="json").json()["state"] == "closed"


@pytest.mark.django_db
def test_api_findings_create_for_neighbouring_org_is_404(other_county_user, org):
    response = api(other_county_user).post("/api/v1/disclosure/findings/", {
        "organization": org.pk, "kind": "evidence", "period": "2026-11-01", "description": "x"}, format="json")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", [("municipal", 200), ("leading", 200), ("county_user", 200),
                                           ("evaluator", 404), ("org_user", 404)])
def test_api_compliance_for_offices(request, world, role, expected, org):
    response = api(request.getfixturevalue(role)).get("/api/v1/disclosure/compliance/")
    assert response.status_code == expected
    if role == "county_user":
        assert [row["organization"] for row in response.json()] == [org.pk]
        assert len(response.json()[0]["calendar"]) == 12


@pytest.mark.django_db
def test_api_feedback_answer_shows_deadline(org_user, world):
    response = api(org_user).get(f"/api/v1/disclosure/feedback/{world['feedback'].pk}/")
    assert "工作日" in response.json()["deadline_explanation"]
    answered = api(org_user).post(f"/api/v1/disclosure/feedback/{world['feedback'].pk}/answer/", {"answer": "已办理"},
                                  format="json")
    assert answered.json()["state"] == "answered"
