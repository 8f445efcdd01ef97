"""The rest of the evaluation API (role × endpoint): the table with its criteria, teams and their score
sheet, democratic evaluation, evidence on a score, investigating an objection, case stories, the Excel
exports and the deliberation minutes. Out of scope answers 404; anonymous callers 401 (public reads aside)."""
import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import services
from evaluation.enums import StoryStatus
from evaluation.models import CaseStory, Evidence
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import listed_round, submit_card

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "municipal", "leading", "evaluator", "other_evaluator", "county_user", "other_county_user", "org_user"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(role, allowed, ok=200, out=404):
    return 401 if role == "anonymous" else ok if role in allowed else out


@pytest.fixture
def world(eval_round, candidate, other_candidate, evaluator, other_evaluator, municipal, panel):
    """The 沾益区 evaluator is assigned 麒麟区's candidate (declared) and leads its team, with panel0."""
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[evaluator.pk, panel[0].pk], leader_id=evaluator.pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=timezone.localdate(), satisfied=40,
                               basically_satisfied=5, dissatisfied=2)
    return {"round": eval_round, "mine": mine, "team": team, "candidate": candidate, "other_candidate": other_candidate}


# --- the evaluation table ------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_table_list_matrix(api_client_for, world, role):
    response = api_client_for(role).get("/api/v1/evaluation/tables/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    expected = 1 if role in {"municipal", "leading", "evaluator"} else 0
    assert (response.status_code, response.json()["count"]) == (200, expected)


@pytest.mark.parametrize("role", ROLES)
def test_table_detail_matrix(api_client_for, world, role):
    response = api_client_for(role).get(f"/api/v1/evaluation/tables/{world['round'].evaluation_table.pk}/")
    assert response.status_code == _status(role, {"municipal", "leading", "evaluator"})


def test_table_has_criteria_with_maxima_methods_and_guidance(api_client_for, world):
    body = api_client_for("evaluator").get("/api/v1/evaluation/tables/", {"round": world["round"].pk}).json()["results"][0]
    assert (body["round"], body["total_points"], body["pass_mark"], body["locked"]) == (world["round"].pk, "100.00", "80.00", False)
    content = next(c for c in body["criteria"] if c["name"] == "公开内容")
    assert (content["max_points"], content["methods"], content["method_labels"]) == ("20.00", ["materials", "on_site"], ["查资料", "实地察看"])
    assert content["guidance"].startswith("目录全覆盖")
    assert [c["name"] for c in body["criteria"]][-1] == "特色亮点"


# --- teams and the team sheet ------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_team_list_matrix(api_client_for, world, role):
    response = api_client_for(role).get("/api/v1/evaluation/teams/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.json()["count"] == (1 if role in {"municipal", "leading", "evaluator"} else 0)


def test_team_shows_members_and_candidates(api_client_for, world, evaluator, panel):
    [team] = api_client_for("evaluator").get("/api/v1/evaluation/teams/").json()["results"]
    assert (team["name"], team["leader"], team["candidates"]) == ("第一组", evaluator.pk, [world["candidate"].pk])
    assert sorted(m["username"] for m in team["members"]) == ["evaluator", "panel0"]


@pytest.mark.parametrize("role", ROLES)
def test_team_sheet_download_matrix(api_client_for, world, role):
    response = api_client_for(role).get(f"/api/v1/evaluation/teams/{world['team'].pk}/sheet/")
    assert response.status_code == _status(role, {"municipal", "evaluator"})  # the office and the team leader
    if response.status_code == 200:
        assert response["Content-Type"] == XLSX


def test_team_sheet_upload_through_the_api(api_client_for, world, panel):
    api = api_client_for("evaluator")
    workbook = load_workbook(BytesIO(api.get(f"/api/v1/evaluation/teams/{world['team'].pk}/sheet/").content))
    methods = {"组织领导": "听汇报", "制度建设": "查资料", "公开内容": "查资料", "公开形式": "实地察看", "公开程序": "查资料",
               "公开时间": "查资料", "群众满意度": "民主测评", "特色亮点": "听汇报"}
    for row in workbook["评分表"].iter_rows(min_row=4):
        row[6].value, row[7].value = float(row[5].value) * 0.9 if row[6].value is None else row[6].value, methods[row[4].value]
    buffer = BytesIO()
    workbook.save(buffer)
    response = api.post(f"/api/v1/evaluation/teams/{world['team'].pk}/sheet/", {"file": SimpleUploadedFile("s.xlsx", buffer.getvalue())},
                        format="multipart")
    assert (response.status_code, response.json()) == (200, {"cards": 2})


def test_team_sheet_upload_lists_every_problem(api_client_for, world):
    response = api_client_for("municipal").post(f"/api/v1/evaluation/teams/{world['team'].pk}/sheet/",
                                                {"file": SimpleUploadedFile("s.xlsx", b"PK\x03\x04 broken")}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"] == ["文件不是有效的 Excel 工作簿（.xlsx），请使用系统下载的评分表模板。"]
    assert response.json()["file"] == ["评分表有 1 处问题，未导入任何数据。"]


@pytest.mark.parametrize("role", ["leading", "other_evaluator", "county_user", "org_user"])
def test_team_sheet_upload_refused_for_others(api_client_for, world, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/teams/{world['team'].pk}/sheet/",
                                         {"file": SimpleUploadedFile("s.xlsx", b"PK")}, format="multipart")
    assert response.status_code == 404


# --- democratic evaluation -------------------------------------------------------------------------------
@pytest.mark.parametrize("publicity, role, count", [
    (False, "municipal", 1), (False, "leading", 1), (False, "evaluator", 1), (False, "other_evaluator", 0), (False, "county_user", 0),
    (True, "county_user", 1), (True, "other_county_user", 0), (True, "org_user", 0)])
def test_democratic_read_is_scoped(api_client_for, world, publicity, role, count):
    if publicity:
        Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    assert api_client_for(role).get("/api/v1/evaluation/democratic/").json()["count"] == count


def test_democratic_read_waits_for_the_declaration(api_client_for, world, other_evaluator, municipal):
    services.assignment_create(actor=municipal, candidate_id=world["candidate"].pk, evaluator_id=other_evaluator.pk)
    assert api_client_for("other_evaluator").get("/api/v1/evaluation/democratic/").json()["count"] == 0  # R5: pending


@pytest.mark.parametrize("role", ROLES)
def test_democratic_write_is_the_offices(api_client_for, world, role):
    response = api_client_for(role).post("/api/v1/evaluation/democratic/", {
        "candidate": world["other_candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 30, "basically_satisfied": 3,
        "dissatisfied": 1}, format="json")
    assert response.status_code == _status(role, {"municipal"}, ok=201)
    if role == "municipal":
        assert (response.json()["satisfaction_rate"], response.json()["suggested_points"]) == ("97.1", "14.57")


def test_democratic_posted_again_corrects_the_record(api_client_for, world):
    response = api_client_for("municipal").post("/api/v1/evaluation/democratic/", {
        "candidate": world["candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 20, "basically_satisfied": 0,
        "dissatisfied": 0}, format="json")
    assert (response.status_code, response.json()["satisfaction_rate"]) == (201, "100.0")
    assert api_client_for("municipal").get("/api/v1/evaluation/democratic/").json()["count"] == 1


def test_democratic_write_refusal_is_400_with_the_field(api_client_for, world):
    response = api_client_for("municipal").post("/api/v1/evaluation/democratic/", {
        "candidate": world["candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 0, "basically_satisfied": 0,
        "dissatisfied": 0}, format="json")
    assert (response.status_code, response.json()["satisfied"]) == (400, ["民主测评至少要有一张有效票。"])


# --- evidence on a score -----------------------------------------------------------------------------------
def _pdf(name="台账.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence")


def test_evaluator_uploads_evidence_for_a_criterion(api_client_for, world):
    content = world["round"].evaluation_table.criteria.get(name="公开内容")
    api = api_client_for("evaluator")
    response = api.post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/evidence/", {"file": _pdf(), "title": "公开栏照片",
                                                                                         "criterion": content.pk}, format="multipart")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["criterion"]) == ("公开栏照片", content.pk)
    card = api.get(f"/api/v1/evaluation/assignments/{world['mine'].pk}/").json()["scorecard"]
    assert [e["title"] for e in card["evidence"]] == ["公开栏照片"]


def test_evidence_for_a_criterion_of_another_round_is_refused(api_client_for, world, city, municipal):
    other = f.RoundFactory(organizer=city, status="evaluating")
    foreign = services.table_create_default(actor=municipal, round_id=other.pk).criteria.first()
    response = api_client_for("evaluator").post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/evidence/",
                                                {"file": _pdf(), "criterion": foreign.pk}, format="multipart")
    assert (response.status_code, response.json()["criterion"]) == (400, ["考评项目不属于本轮考评表。"])
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("role", ["municipal", "leading", "other_evaluator", "county_user", "org_user"])
def test_evidence_only_on_ones_own_scorecard(api_client_for, world, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/evidence/", {"file": _pdf()}, format="multipart")
    assert response.status_code == 404


# --- objections: investigate ---------------------------------------------------------------------------------
@pytest.fixture
def objection(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    return services.objection_create(publicity_id=publicity.pk, content="该单位公开栏内容长期未更新。", objector_contact="13800000000")


@pytest.mark.parametrize("role", ROLES)
def test_objection_investigate_matrix(api_client_for, objection, evaluator, other_evaluator, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/objections/{objection.pk}/investigate/", {"note": "调阅台账核实"}, format="json")
    assert response.status_code == _status(role, {"municipal"})
    if response.status_code == 200:
        assert (response.json()["state"], response.json()["investigation"]) == ("investigating", "调阅台账核实")


# --- case stories ---------------------------------------------------------------------------------------------------
@pytest.fixture
def stories(municipal):
    site = f.DesignationFactory(level="city")
    published = services.story_save(actor=municipal, designation_id=site.pk, title="公开栏进社区", body="做法与成效。")
    services.story_set_status(actor=municipal, story_id=published.pk, status=StoryStatus.PUBLISHED)
    draft = services.story_save(actor=municipal, designation_id=site.pk, title="草稿经验", body="尚未发布。")
    return {"site": site, "published": published, "draft": draft}


@pytest.mark.parametrize("role", ROLES)
def test_stories_read_published_by_anyone_drafts_by_staff(api_client_for, stories, evaluator, other_evaluator, role):
    api = api_client_for(role)
    titles = [s["title"] for s in api.get("/api/v1/evaluation/stories/").json()["results"]]
    staff = role in {"municipal", "leading"}
    assert titles == (["公开栏进社区", "草稿经验"] if staff else ["公开栏进社区"])
    assert api.get(f"/api/v1/evaluation/stories/{stories['draft'].pk}/").status_code == (200 if staff else 404)


@pytest.mark.parametrize("role", ROLES)
def test_story_write_is_the_offices(api_client_for, stories, evaluator, other_evaluator, role):
    response = api_client_for(role).post("/api/v1/evaluation/stories/", {"designation": stories["site"].pk, "title": "新经验", "body": "正文"},
                                         format="json")
    assert response.status_code == _status(role, {"municipal"}, ok=201)
    response = api_client_for(role).post(f"/api/v1/evaluation/stories/{stories['draft'].pk}/publish/")
    assert response.status_code == _status(role, {"municipal"})


def test_staff_write_publish_and_withdraw_a_story_with_a_photo(api_client_for, stories):
    api = api_client_for("municipal")
    png = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = api.post("/api/v1/evaluation/stories/", {"designation": stories["site"].pk, "title": "明白卡", "body": "发放明白卡。", "photo": png},
                        format="multipart")
    assert (response.status_code, response.json()["status"]) == (201, "draft")
    pk = response.json()["id"]
    assert api.put(f"/api/v1/evaluation/stories/{pk}/", {"title": "明白卡送到党员手中", "body": "发放明白卡。"}, format="json").json()["title"] == "明白卡送到党员手中"
    assert api.post(f"/api/v1/evaluation/stories/{pk}/publish/").json()["status"] == "published"
    assert api.post(f"/api/v1/evaluation/stories/{pk}/withdraw/").json()["status"] == "withdrawn"
    assert CaseStory.objects.get(pk=pk).photo.name.startswith("evaluation/stories/")


def test_story_with_a_photo_that_is_not_an_image_is_400_on_photo(api_client_for, stories):
    response = api_client_for("municipal").post("/api/v1/evaluation/stories/", {
        "designation": stories["site"].pk, "title": "标题", "body": "正文", "photo": _pdf()}, format="multipart")
    assert (response.status_code, response.json()["photo"]) == (400, ["照片只接受 JPG、PNG、GIF、WEBP 图片。"])


# --- exports and the deliberation minutes -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["ranking", "shortlist", "roster"])
@pytest.mark.parametrize("role", ROLES)
def test_export_files_matrix(api_client_for, world, role, kind):
    response = api_client_for(role).get(f"/api/v1/evaluation/rounds/{world['round'].pk}/export/{kind}/")
    assert response.status_code == _status(role, {"municipal", "leading"})
    if response.status_code == 200:
        assert response["Content-Type"] == XLSX and load_workbook(BytesIO(response.content)).sheetnames


@pytest.fixture
def deliberation(eval_round, candidate, municipal, panel):
    submit_card(panel[0], candidate)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    return services.deliberation_record(actor=municipal, round_id=eval_round.pk, meeting_date=timezone.localdate(), attendees="全体成员",
                                        decision="approved", minutes=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes"))


@pytest.mark.parametrize("role", ROLES)
def test_deliberation_minutes_matrix(api_client_for, deliberation, evaluator, other_evaluator, role):
    api = api_client_for(role)
    response = api.get(f"/api/v1/evaluation/deliberations/{deliberation.pk}/minutes/")
    assert response.status_code == _status(role, {"municipal", "leading"})
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
        [row] = api.get("/api/v1/evaluation/deliberations/").json()["results"]
        assert row["minutes_url"].endswith(f"/api/v1/evaluation/deliberations/{deliberation.pk}/minutes/")


def test_deliberation_recorded_with_its_minutes_through_the_api(api_client_for, eval_round, candidate, panel, municipal):
    submit_card(panel[0], candidate)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    response = api_client_for("leading").post(f"/api/v1/evaluation/rounds/{eval_round.pk}/deliberation/", {
        "meeting_date": timezone.localdate().isoformat(), "attendees": "组长、成员", "decision": "approved",
        "minutes": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")}, format="multipart")
    assert response.status_code == 201
    assert (response.json()["applications"], response.json()["minutes_url"] is not None) == ([candidate.application_id], True)


# --- candidates carry their application ------------------------------------------------------------------------------------
def test_candidate_carries_its_application_and_team(api_client_for, world):
    rows = {r["id"]: r for r in api_client_for("municipal").get("/api/v1/evaluation/candidates/").json()["results"]}
    mine = rows[world["candidate"].pk]
    assert (mine["application"], mine["team"], mine["designation"]) == (world["candidate"].application_id, world["team"].pk, None)


def test_shortlist_export_has_the_panel_score(api_client_for, eval_round, candidate, panel, municipal):
    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    response = api_client_for("municipal").get(f"/api/v1/evaluation/rounds/{eval_round.pk}/export/shortlist/")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [("序号", "辖区", "单位", "综合得分", "状态"), (1, "麒麟区", "麒麟区第一党支部", 85, "列入初选名单")]
