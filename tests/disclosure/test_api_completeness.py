"""The API offers what the portal offers: proof of publication on the item detail (never in public
answers), feedback marked as in progress, the organisation's reminders, a rectification's whole exchange."""
import datetime

import pytest
from rest_framework.test import APIClient

from disclosure import jobs, services
from disclosure.enums import EvidenceKind, FeedbackState
from disclosure.models import Reminder
from tests.disclosure import factories as df

D = datetime.date
ROLES = ["municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]
SEES_QILIN = {"municipal": True, "leading": True, "evaluator": False, "county_user": True,
              "other_county_user": False, "org_user": True, "other_org_user": False}


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def proved(org_user, entry, carrier):
    item = df.published_item(D(2026, 6, 2), entry=entry, title="6月重要情况通报")
    services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=carrier.pk, kind=EvidenceKind.PHOTO,
                                  note="大厅公开栏照片")
    return item


# --- evidence on the item detail -------------------------------------------------------------------------
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


# --- feedback in progress --------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", [
    ("org_user", 200), ("other_org_user", 404), ("county_user", 404), ("other_county_user", 404),
    ("municipal", 404), ("leading", 404), ("evaluator", 404),
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


# --- reminders -------------------------------------------------------------------------------------------
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


# --- a rectification's exchange --------------------------------------------------------------------------
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
