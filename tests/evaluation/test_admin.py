"""The evaluation admin (evaluation.admin): the municipal office only; edits through the services with the same checks; workflow read-only."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import CaseStory, Criterion, EvaluationTable, Inspection, Team
from qujing_disclosure.core.models import AuditEntry
from tests import factories as f

from .factories import InspectionFactory, submit_card

pytestmark = pytest.mark.django_db


MODELS = ["evaluationtable", "team", "inspection", "casestory", "objection", "assignment", "scorecard", "deliberation",
          "publicity", "subsidypayment", "revocation"]


EDITABLE = ["evaluationtable", "team", "inspection", "casestory"]


@pytest.fixture
def office(db):
    """Like the demo's `office`: the municipal office's staff account, not a superuser, no model permissions."""
    user = f.municipal_user(username="office")
    assert (user.is_staff, user.is_superuser, user.user_permissions.count()) == (True, False, 0)
    return user


@pytest.fixture
def staff_county_user(county):
    return f.county_user(county, username="staff_county", is_staff=True)


@pytest.fixture
def rows(eval_round, candidate, panel, municipal):
    """One row of every evaluation model the admin lists (as far as a round in evaluation has them)."""
    card = submit_card(panel[0], candidate)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[panel[1].pk])
    inspection = InspectionFactory(organization=candidate.organization, recorded_by=municipal)
    return {"evaluationtable": eval_round.evaluation_table, "team": team, "inspection": inspection, "scorecard": card,
            "assignment": card.assignment}


SUCCESS = ("成功", "successfully")


def _no_success(response):
    body = response.content.decode()
    return response.status_code == 200 and not any(word in body for word in SUCCESS)


def _table_form(table, changes=None, extra=None, delete=()):
    """The admin change form of a table with its criteria as they stand, with `changes` {criterion id: {field: value}}."""
    criteria = list(table.criteria.all())
    rows = [*criteria, *(extra or [])]
    data = {"title": table.title, "note": table.note, "criteria-TOTAL_FORMS": len(rows), "criteria-INITIAL_FORMS": len(criteria),
            "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000}
    for i, c in enumerate(rows):
        values = c if isinstance(c, dict) else {
            "id": c.pk, "table": table.pk, "order": c.order, "group": c.group, "name": c.name, "max_points": str(c.max_points),
            "methods": c.methods, "guidance": c.guidance, "rules": c.rules, "fed_by_democratic": "on" if c.fed_by_democratic else ""}
        if not isinstance(c, dict):
            values = {**values, **(changes or {}).get(c.pk, {})}
            if c.pk in delete:
                values["DELETE"] = "on"
        for key, value in values.items():
            if key == "fed_by_democratic" and not value:
                continue
            data[f"criteria-{i}-{key}"] = value
    return data


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS)
def test_municipal_office_opens_every_evaluation_changelist(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200


def test_municipal_office_sees_the_evaluation_section_on_the_admin_index(client, office, eval_round):
    client.force_login(office)
    page = client.get("/admin/").content.decode()
    assert "/admin/evaluation/evaluationtable/" in page and "/admin/evaluation/revocation/" in page


@pytest.mark.parametrize("model", EDITABLE)
def test_municipal_office_may_add_what_the_admin_edits(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", sorted(set(MODELS) - set(EDITABLE)))
def test_workflow_records_cannot_be_added_in_the_admin(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 403


def test_municipal_office_edits_the_table_with_its_criteria(client, office, eval_round):
    client.force_login(office)
    page = client.get(f"/admin/evaluation/evaluationtable/{eval_round.evaluation_table.pk}/change/").content.decode()
    assert "公开内容" in page and 'name="criteria-TOTAL_FORMS"' in page


def test_municipal_office_records_an_inspection_in_the_admin(client, office, org):
    from evaluation.models import Inspection

    client.force_login(office)
    response = client.post("/admin/evaluation/inspection/add/", {
        "organization": org.pk, "kind": "daily", "inspected_on": "2026-05-06", "inspectors": "检查组",
        "findings": "公开栏按月更新", "rating": "good"})
    assert response.status_code == 302
    assert Inspection.objects.get().recorded_by == office


def test_municipal_office_adds_a_team_in_the_admin(client, office, eval_round, evaluator):
    from evaluation.models import Team

    client.force_login(office)
    response = client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [evaluator.pk],
                                                           "leader": evaluator.pk})
    assert response.status_code == 302
    assert list(Team.objects.get(name="第三组").members.all()) == [evaluator]


@pytest.mark.parametrize("model", MODELS)
def test_staff_flag_alone_does_not_open_the_evaluation_admin(client, staff_county_user, eval_round, model):
    client.force_login(staff_county_user)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 403


@pytest.mark.parametrize("role", ["leading", "evaluator", "county_user"])
def test_other_roles_are_kept_out_of_the_evaluation_admin(client, request, eval_round, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/admin/evaluation/evaluationtable/").status_code == 403


@pytest.mark.parametrize("model", ["evaluationtable", "team", "inspection", "scorecard", "assignment"])
def test_nothing_is_deleted_in_the_evaluation_admin(client, office, rows, model):
    obj = rows[model]
    client.force_login(office)
    assert client.get(reverse(f"admin:evaluation_{model}_delete", args=[obj.pk])).status_code == 403
    assert client.post(reverse(f"admin:evaluation_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    page = client.get(f"/admin/evaluation/{model}/").content.decode()
    assert "delete_selected" not in page


def test_workflow_records_are_read_only_for_the_office(client, office, rows):
    card = rows["scorecard"]
    client.force_login(office)
    response = client.post(f"/admin/evaluation/scorecard/{card.pk}/change/", {"total": "1"})
    assert response.status_code == 403
    card.refresh_from_db()
    assert str(card.total) == "90.00"


def test_an_inspection_dated_tomorrow_keeps_the_input_and_shows_the_error_on_the_field(client, office, org):
    client.force_login(office)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post("/admin/evaluation/inspection/add/", {
        "organization": org.pk, "kind": "daily", "inspected_on": tomorrow, "findings": "公开栏未更新（保留的输入）", "rating": "fair"})
    assert _no_success(response)
    body = response.content.decode()
    assert "检查日期不能晚于今天。" in body and "公开栏未更新（保留的输入）" in body
    assert not Inspection.objects.exists()


def test_a_rectification_deadline_before_the_inspection_is_refused(client, office, org):
    client.force_login(office)
    today = timezone.localdate()
    response = client.post("/admin/evaluation/inspection/add/", {
        "organization": org.pk, "kind": "special", "inspected_on": today.isoformat(), "findings": "目录不全", "rating": "poor",
        "rectification_due": (today - datetime.timedelta(days=3)).isoformat()})
    assert _no_success(response) and "整改期限不能早于检查日期。" in response.content.decode()
    assert not Inspection.objects.exists()


def test_an_inspection_added_in_the_admin_is_recorded_by_the_service(client, office, org):
    client.force_login(office)
    response = client.post("/admin/evaluation/inspection/add/", {
        "organization": org.pk, "kind": "daily", "inspected_on": timezone.localdate().isoformat(), "findings": "按月更新", "rating": "good"})
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.jurisdiction, inspection.recorded_by) == (org.jurisdiction, office)
    assert AuditEntry.objects.filter(action="evaluation.inspection.record", object_id=str(inspection.pk)).count() == 1


def test_editing_an_inspection_goes_through_the_service_with_old_and_new_values(client, office, org):
    inspection = InspectionFactory(organization=org, recorded_by=office, findings="原记录", rating="fair")
    client.force_login(office)
    today = timezone.localdate()
    response = client.post(f"/admin/evaluation/inspection/{inspection.pk}/change/", {
        "kind": "daily", "inspected_on": inspection.inspected_on.isoformat(), "findings": "更正后的记录", "rating": "good",
        "rectification_due": "", "rectified_on": today.isoformat(), "inspectors": ""})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.findings, inspection.rating, inspection.rectified_on, inspection.organization) == ("更正后的记录", "good", today, org)
    entry = AuditEntry.objects.get(action="evaluation.inspection.update", object_id=str(inspection.pk))
    assert entry.actor == office
    assert entry.data["changes"]["findings"] == {"old": "原记录", "new": "更正后的记录"}
    assert entry.data["changes"]["rating"] == {"old": "fair", "new": "good"}


def test_editing_an_inspection_with_a_rectification_before_it_is_refused(client, office, org):
    inspection = InspectionFactory(organization=org, recorded_by=office)
    client.force_login(office)
    response = client.post(f"/admin/evaluation/inspection/{inspection.pk}/change/", {
        "kind": "daily", "inspected_on": inspection.inspected_on.isoformat(), "findings": "x", "rating": "good",
        "rectified_on": (inspection.inspected_on - datetime.timedelta(days=1)).isoformat()})
    assert _no_success(response) and "整改完成日期应在检查日期之后、今天及以前。" in response.content.decode()
    assert not AuditEntry.objects.filter(action="evaluation.inspection.update").exists()


def test_a_story_with_a_non_image_photo_keeps_the_input_and_shows_the_error(client, office):
    site = f.DesignationFactory()
    client.force_login(office)
    response = client.post("/admin/evaluation/casestory/add/", {
        "designation": site.pk, "title": "保留的标题", "body": "正文", "photo": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    assert _no_success(response)
    body = response.content.decode()
    assert "照片只接受 JPG、PNG、GIF、WEBP 图片。" in body and "保留的标题" in body
    assert not CaseStory.objects.exists()


def test_a_story_saved_in_the_admin_goes_through_the_service(client, office):
    site = f.DesignationFactory()
    client.force_login(office)
    png = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = client.post("/admin/evaluation/casestory/add/", {"designation": site.pk, "title": "明白卡", "body": "做法", "photo": png})
    assert response.status_code == 302
    story = CaseStory.objects.get()
    assert (story.created_by, story.status, story.photo.name.startswith("evaluation/stories/")) == (office, "draft", True)
    response = client.post(f"/admin/evaluation/casestory/{story.pk}/change/", {"title": "明白卡送到党员手中", "body": "做法"})
    assert response.status_code == 302
    assert CaseStory.objects.get().title == "明白卡送到党员手中"
    assert AuditEntry.objects.filter(action="evaluation.story.save", object_id=str(story.pk)).count() == 2


def test_lowering_a_maximum_below_a_draft_score_in_the_admin_is_refused_on_the_field(client, office, declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    content = table.criteria.get(name="公开内容")
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "18", "methods": ["materials"]}})
    client.force_login(office)
    response = client.post(f"/admin/evaluation/evaluationtable/{table.pk}/change/", _table_form(table, {content.pk: {"max_points": "15"}}))
    assert _no_success(response)
    assert "“公开内容”已有考评人员评了18分，分值不能低于18分；如需降低，请先请考评人员修改评分。" in response.content.decode()
    assert Criterion.objects.get(pk=content.pk).max_points == 20


def test_criterion_changes_in_the_admin_go_through_the_service_with_audit(client, office, eval_round):
    table = eval_round.evaluation_table
    content, highlights = table.criteria.get(name="公开内容"), table.criteria.get(name="特色亮点")
    client.force_login(office)
    new = {"table": table.pk, "order": 90, "group": "工作成效", "name": "创新举措", "max_points": "5", "methods": ["hearing"], "guidance": "",
           "rules": ""}
    response = client.post(f"/admin/evaluation/evaluationtable/{table.pk}/change/",
                           _table_form(table, {content.pk: {"max_points": "15", "guidance": "更新的要点"}}, extra=[new], delete=[highlights.pk]))
    assert response.status_code == 302
    assert list(table.criteria.values_list("name", "max_points")) == [
        ("组织领导", 10), ("制度建设", 15), ("公开内容", 15), ("公开形式", 10), ("公开程序", 15), ("公开时间", 10), ("群众满意度", 15),
        ("创新举措", 5)]
    saves = AuditEntry.objects.filter(action="evaluation.criterion.save", object_id=str(table.pk)).order_by("pk")
    assert [e.data["name"] for e in saves] == ["公开内容", "创新举措"]
    assert saves[0].data["changes"]["max_points"] == {"old": "20", "new": "15"}
    assert AuditEntry.objects.get(action="evaluation.criterion.delete").data["name"] == "特色亮点"
    assert AuditEntry.objects.filter(action="evaluation.table.save").exists() is False  # title and note unchanged


def test_a_scored_criterion_cannot_be_deleted_in_the_admin(client, office, declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    content = table.criteria.get(name="公开内容")
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "18", "methods": ["materials"]}})
    client.force_login(office)
    response = client.post(f"/admin/evaluation/evaluationtable/{table.pk}/change/", _table_form(table, delete=[content.pk]))
    assert _no_success(response) and "“公开内容”已有考评人员评分，不能删除。" in response.content.decode()
    assert Criterion.objects.filter(pk=content.pk).exists()


def test_a_new_table_in_the_admin_is_created_by_the_service(client, office, city):
    round_ = f.RoundFactory(organizer=city, status="closed")
    client.force_login(office)
    response = client.post("/admin/evaluation/evaluationtable/add/", {
        "round": round_.pk, "title": "增补考评表", "note": "", "criteria-TOTAL_FORMS": 1, "criteria-INITIAL_FORMS": 0, "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000, "criteria-0-order": 10, "criteria-0-group": "基础工作", "criteria-0-name": "组织领导",
        "criteria-0-max_points": "100", "criteria-0-methods": ["hearing"]})
    assert response.status_code == 302
    table = EvaluationTable.objects.get(round=round_)
    assert (table.title, table.total_points) == ("增补考评表", Decimal("100"))
    assert AuditEntry.objects.filter(action="evaluation.table.save", object_id=str(table.pk)).count() == 1
    assert AuditEntry.objects.filter(action="evaluation.criterion.save", object_id=str(table.pk)).count() == 1


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelists_open(client, admin_user, eval_round, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200


def test_admin_table_page_opens(client, admin_user, eval_round):
    client.force_login(admin_user)
    assert client.get(f"/admin/evaluation/evaluationtable/{eval_round.evaluation_table.pk}/change/").status_code == 200


def test_admin_team_refuses_county_user_r5(client, admin_user, eval_round, county_user):
    client.force_login(admin_user)
    response = client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [county_user.pk]})
    assert response.status_code == 200
    assert "不能加入考评组（R5）" in response.content.decode()
    assert not Team.objects.exists()


def test_admin_team_saved_through_service(client, admin_user, eval_round, evaluator):
    client.force_login(admin_user)
    client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [evaluator.pk], "leader": evaluator.pk})
    team = Team.objects.get()
    assert list(team.members.all()) == [evaluator]
