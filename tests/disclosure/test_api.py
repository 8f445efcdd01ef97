"""/api/v1/disclosure/…: the same scoping, rules and messages as the portal (R12–R20). Reads start from the
selectors (outside scope is 404, never 403); the public endpoints show external items on display only."""
import re

import pytest
from rest_framework.test import APIClient

from disclosure import jobs, services
from disclosure.enums import EvidenceKind, FeedbackState, ItemState
from disclosure.models import Feedback, Item, Reminder
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, api, at


ROLES = ["admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]


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


SEES_QILIN = {"admin": True, "municipal": True, "leading": True, "evaluator": False, "county_user": True,
              "other_county_user": False, "org_user": True, "other_org_user": False}


# --- scoping --------------------------------------------------------------------------


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
    expected = 200 if role in ("admin", "municipal", "leading", "county_user") else 404
    assert response.status_code == expected


@pytest.mark.django_db
def test_api_county_list_never_leaks_neighbour(world, county_user):
    titles = [row["title"] for row in api(county_user).get("/api/v1/disclosure/items/").json()["results"]]
    assert titles == ["麒麟区事项"]


# --- items: the rules' messages on their fields ------------------------------------------


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
def test_api_bogus_link_is_400_on_previous(org_user, entry, long_term_elsewhere):
    client = APIClient()
    client.force_authenticate(org_user)
    with at(D(2026, 5, 20)):
        response = client.post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "previous": long_term_elsewhere.pk, "title": "t", "content": "c",
            "publish_on": "2026-06-03", "display_until": "2026-06-30"}, format="json")
    assert response.status_code == 400
    assert response.json()["previous"][0].startswith("“前一期”必须属于同一目录条目")


@pytest.mark.django_db
def test_api_submit_without_carriers_is_400_on_the_carriers_field(org_user, entry):
    item = df.ItemFactory(entry=entry, carriers=[])
    response = api(org_user).post(f"/api/v1/disclosure/items/{item.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["carriers"][0].startswith("对外公开事项须在“公开载体”中至少选择一个")


@pytest.mark.django_db
def test_api_inspection_refusal_and_evidence_refusal_are_400_with_field(org_user, county_user, on_two_carriers, unused):
    refused = api(county_user).post(f"/api/v1/disclosure/items/{on_two_carriers.pk}/inspect/", {"result": "passed"}, format="json")
    assert refused.status_code == 400
    assert "网页·党务公开网页专栏" in refused.json()["result"][0]
    wrong = api(org_user).post(f"/api/v1/disclosure/items/{on_two_carriers.pk}/evidence/",
                               {"carrier": unused.pk, "kind": "photo", "note": "拍照"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["carrier"] == ["“公开载体”只能选择本事项选用的、在用的载体。"]


@pytest.mark.django_db
def test_portal_api_shows_asked_and_real_end(org_user, late):
    client = APIClient()
    client.force_authenticate(org_user)
    answer = client.get(f"/api/v1/disclosure/items/{late.pk}/").json()
    assert (answer["display_until"], answer["display_end"]) == ("2026-06-17", "2026-06-27")


@pytest.mark.django_db
def test_api_refusal_is_400_on_the_field(org_user):
    client = APIClient()
    client.force_authenticate(org_user)
    response = client.post("/api/v1/disclosure/carriers/", {"kind": "web_page", "name": "门户网站专栏"}, format="json")
    assert response.status_code == 400
    assert response.json()["url"] == ["网页须填写“网址”，便于群众找到、检查人员核查（R12）。"]
    created = client.post("/api/v1/disclosure/carriers/", {"kind": "kiosk", "name": "信息岛", "location": "大厅"},
                          format="json")
    assert created.status_code == 201
    assert created.json()["location"] == "大厅"


# --- proof of publication on the item detail (never in public answers) ----------------------


@pytest.fixture
def proved(org_user, entry, carrier):
    item = df.published_item(D(2026, 6, 2), entry=entry, title="6月重要情况通报")
    services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=carrier.pk, kind=EvidenceKind.PHOTO,
                                  note="大厅公开栏照片")
    return item


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_item_detail_carries_its_evidence_for_whoever_may_read_the_item(request, proved, carrier, role):
    response = api(request.getfixturevalue(role)).get(f"/api/v1/disclosure/items/{proved.pk}/")
    if not SEES_QILIN[role]:
        assert response.status_code == 404
        return
    answer = response.json()
    assert [(e["carrier"], e["carrier_name"], e["kind"], e["note"]) for e in answer["evidence"]] == [
        (carrier.pk, "公开栏·办公楼大厅公开栏", "photo", "大厅公开栏照片")]
    assert answer["carriers_without_evidence"] == []


@pytest.mark.django_db
def test_item_detail_names_carriers_still_without_proof(org_user, entry, carrier):
    item = df.published_item(D(2026, 6, 2), entry=entry)
    answer = api(org_user).get(f"/api/v1/disclosure/items/{item.pk}/").json()
    assert (answer["evidence"], answer["carriers_without_evidence"]) == ([], [carrier.pk])


@pytest.mark.django_db
def test_evidence_never_appears_in_public_answers(client, proved, org):
    detail = api().get(f"/api/v1/disclosure/public/items/{proved.pk}/")
    listing = api().get("/api/v1/disclosure/public/items/", {"organization": org.pk})
    assert detail.status_code == 200 and listing.status_code == 200
    for body in (detail.content.decode(), listing.content.decode()):
        assert "evidence" not in body and "大厅公开栏照片" not in body


@pytest.mark.django_db
def test_item_list_stays_without_evidence(org_user, proved):
    rows = api(org_user).get("/api/v1/disclosure/items/").json()["results"]
    assert [("evidence" in row) for row in rows] == [False]


# --- feedback ------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_feedback_answer_shows_deadline(org_user, world):
    response = api(org_user).get(f"/api/v1/disclosure/feedback/{world['feedback'].pk}/")
    assert "工作日" in response.json()["deadline_explanation"]
    answered = api(org_user).post(f"/api/v1/disclosure/feedback/{world['feedback'].pk}/answer/", {"answer": "已办理"},
                                  format="json")
    assert answered.json()["state"] == "answered"


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", [
    ("org_user", 200), ("other_org_user", 404), ("county_user", 404), ("other_county_user", 404),
    ("admin", 404), ("municipal", 404), ("leading", 404), ("evaluator", 404),
])
def test_feedback_can_be_marked_in_progress_by_its_organisation_only(request, org, role, expected):
    feedback = df.FeedbackFactory(organization=org)
    response = api(request.getfixturevalue(role)).post(f"/api/v1/disclosure/feedback/{feedback.pk}/handling/")
    assert response.status_code == expected
    feedback.refresh_from_db()
    assert feedback.state == (FeedbackState.HANDLING if expected == 200 else FeedbackState.RECEIVED)
    if expected == 200:
        assert response.json()["state"] == "handling"
        assert response.json()["deadline"] is not None


@pytest.mark.django_db
def test_marking_answered_feedback_in_progress_changes_nothing(org_user, org):
    feedback = df.FeedbackFactory(organization=org)
    services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="已办理")
    response = api(org_user).post(f"/api/v1/disclosure/feedback/{feedback.pk}/handling/")
    assert response.json()["state"] == "answered"


@pytest.mark.django_db
def test_feedback_handling_needs_authentication(org):
    feedback = df.FeedbackFactory(organization=org)
    assert api().post(f"/api/v1/disclosure/feedback/{feedback.pk}/handling/").status_code in (401, 403)


# --- reminders -----------------------------------------------------------------------


@pytest.fixture
def reminders(org, other_org, entry, other_entry):
    jobs.send_window_reminders(today=D(2026, 6, 25))
    assert set(Reminder.objects.values_list("organization_id", flat=True)) == {org.pk, other_org.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_reminders_are_read_by_their_organisation_only(request, reminders, org, other_org, role):
    response = api(request.getfixturevalue(role)).get("/api/v1/disclosure/reminders/")
    assert response.status_code == 200
    rows = response.json()["results"]
    if role == "org_user":
        assert [(r["organization"], r["kind"], r["period"]) for r in rows] == [(org.pk, "window_opening", "2026-07-01")]
        assert rows[0]["kind_display"] == "公开窗口即将开始"
        assert "2026-07" in rows[0]["message"]
    elif role == "other_org_user":
        assert [r["organization"] for r in rows] == [other_org.pk]
    else:
        assert rows == []


@pytest.mark.django_db
def test_reminders_need_authentication(reminders):
    assert api().get("/api/v1/disclosure/reminders/").status_code in (401, 403)


# --- findings, rectifications and compliance (R20) ---------------------------------------


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
def test_rectification_detail_carries_every_report_and_send_back(org_user, county_user, org):
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"))
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="第一次报告")
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=False, note="请补充照片")
    reported = api(org_user).post(f"/api/v1/disclosure/rectifications/{notice.pk}/report/", {"report": "第二次报告"},
                                  format="json").json()
    assert [(r["n"], r["report"], r["outcome"], r["note"]) for r in reported["exchange"]] == [
        (1, "第一次报告", "returned", "请补充照片"), (2, "第二次报告", None, "")]
    detail = api(county_user).get(f"/api/v1/disclosure/rectifications/{notice.pk}/").json()
    assert [r["report"] for r in detail["exchange"]] == ["第一次报告", "第二次报告"]


@pytest.mark.django_db
def test_api_finding_text_follows_the_request_language(county_user, missed):
    api = APIClient()
    api.force_authenticate(county_user)
    english = api.get(f"/api/v1/disclosure/findings/{missed.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api.get(f"/api/v1/disclosure/findings/{missed.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["text"].startswith("Catalogue entry") and english["description"] == missed.description
    assert chinese["text"] == missed.description


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", [("admin", 200), ("municipal", 200), ("leading", 200), ("county_user", 200),
                                           ("evaluator", 404), ("org_user", 404)])
def test_api_compliance_for_offices(request, world, role, expected, org):
    response = api(request.getfixturevalue(role)).get("/api/v1/disclosure/compliance/")
    assert response.status_code == expected
    if role == "county_user":
        assert [row["organization"] for row in response.json()] == [org.pk]
        assert len(response.json()[0]["calendar"]) == 12


@pytest.mark.django_db
def test_compliance_api_refuses_another_county_to_a_county_office(county_user, other_county, county, two_counties):
    client = APIClient()
    client.force_authenticate(county_user)
    assert client.get("/api/v1/disclosure/compliance/", {"jurisdiction": other_county.pk}).status_code == 404
    own = client.get("/api/v1/disclosure/compliance/", {"jurisdiction": county.pk})
    assert [row["organization"] for row in own.json()] == [two_counties[0].pk]


# --- public endpoints ----------------------------------------------------------------


@pytest.mark.django_db
def test_r13_public_api_never_returns_internal_items(client, org, shown):
    response = client.get("/api/v1/disclosure/public/items/", {"organization": org.pk})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["对外公开：党费收缴情况"]
    assert client.get(f"/api/v1/disclosure/public/items/{shown['internal'].pk}/").status_code == 404
    assert client.get(f"/api/v1/disclosure/public/items/{shown['draft'].pk}/").status_code == 404
    catalogue = client.get("/api/v1/disclosure/public/catalogue/", {"organization": org.pk}).json()["results"]
    assert "党员大会" not in [row["title"] for row in catalogue]


@pytest.mark.django_db
def test_public_feedback_api_create_and_read_by_code(client, org, shown):
    response = client.post("/api/v1/disclosure/public/feedback/",
                           {"organization": org.pk, "item": shown["external"].pk, "content": "建议"},
                           content_type="application/json")
    assert response.status_code == 201
    code = response.json()["code"]
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    read = client.get(f"/api/v1/disclosure/public/feedback/{code}/").json()
    assert (read["state"], read["content"]) == (FeedbackState.RECEIVED, "建议")
    internal = client.post("/api/v1/disclosure/public/feedback/",
                           {"organization": org.pk, "item": shown["internal"].pk, "content": "x"},
                           content_type="application/json")
    assert internal.status_code == 400
    assert "item" in internal.json()
    bot = client.post("/api/v1/disclosure/public/feedback/", {"organization": org.pk, "content": "x", "website": "y"},
                      content_type="application/json")
    assert bot.status_code == 400
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_public_rating_api(client, org):
    ok = client.post("/api/v1/disclosure/public/ratings/", {"organization": org.pk, "rating": "basic",
                                                            "phone": "13908740000"}, content_type="application/json")
    assert ok.status_code == 201
    again = client.post("/api/v1/disclosure/public/ratings/", {"organization": org.pk, "rating": "basic",
                                                               "phone": "13908740000"}, content_type="application/json")
    assert again.status_code == 400
    assert "phone" in again.json()


MESSAGE = "该公开事项已不在公开期内，不能再针对它提意见建议；您填写的内容已保留，可以直接向本单位提交。"


@pytest.mark.django_db
def test_public_api_refusal_is_400_on_item(org, archived):
    response = APIClient().post("/api/v1/disclosure/public/feedback/",
                                {"organization": org.pk, "item": archived.pk, "content": "意见"}, format="json")
    assert response.status_code == 400
    assert response.json()["item"] == [MESSAGE]


@pytest.mark.django_db
def test_public_api_shows_the_real_end(late):
    answer = APIClient().get(f"/api/v1/disclosure/public/items/{late.pk}/").json()
    assert (answer["published_on"], answer["display_until"]) == ("2026-06-12", "2026-06-27")


@pytest.mark.django_db
def test_public_catalogue_api_gives_field_and_carriers_in_use(org, service_entry):
    rows = APIClient().get("/api/v1/disclosure/public/catalogue/", {"organization": org.pk}).json()["results"]
    row = next(r for r in rows if r["id"] == service_entry.pk)
    assert (row["field"], row["field_display"]) == ("service", "办事公开")
    assert [(c["kind"], c["name"], c["location"]) for c in row["carriers"]] == [
        ("board", "办公楼大厅公开栏", "办公楼一楼大厅"), ("kiosk", "党群服务中心信息岛", "服务中心门口")]
