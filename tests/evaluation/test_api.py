"""The /api/v1/evaluation/… endpoints (evaluation.api, evaluation.serializers): scope (404 outside), writes through the services, schema."""
import datetime
import re
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.settings import patched_settings, spectacular_settings
from openpyxl import load_workbook

from evaluation import services
from evaluation.enums import StoryStatus
from evaluation.models import CaseStory, Evidence, Objection
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import listed_round, satisfaction_criterion, submit_card

pytestmark = pytest.mark.django_db


API_ROLES = ["anonymous", "municipal", "admin", "leading", "evaluator", "other_evaluator", "county_user", "other_county_user", "org_user"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(role, allowed, ok=200, out=404):
    return 401 if role == "anonymous" else ok if role in allowed else out


@pytest.fixture
def api_world(eval_round, candidate, other_candidate, evaluator, other_evaluator, municipal, panel):
    """The 沾益区 evaluator is assigned 麒麟区's candidate (declared) and leads its team, with panel0."""
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[evaluator.pk, panel[0].pk], leader_id=evaluator.pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=timezone.localdate(), satisfied=40,
                               basically_satisfied=5, dissatisfied=2)
    return {"round": eval_round, "mine": mine, "team": team, "candidate": candidate, "other_candidate": other_candidate}


def _pdf(name="台账.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence")


@pytest.fixture
def objection(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    return services.objection_create(publicity_id=publicity.pk, content="该单位公开栏内容长期未更新。", objector_contact="13800000000")


@pytest.fixture
def stories(municipal):
    site = f.DesignationFactory(level="city")
    published = services.story_save(actor=municipal, designation_id=site.pk, title="公开栏进社区", body="做法与成效。")
    services.story_set_status(actor=municipal, story_id=published.pk, status=StoryStatus.PUBLISHED)
    draft = services.story_save(actor=municipal, designation_id=site.pk, title="草稿经验", body="尚未发布。")
    return {"site": site, "published": published, "draft": draft}


@pytest.fixture
def deliberation(eval_round, candidate, municipal, panel):
    submit_card(panel[0], candidate)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    return services.deliberation_record(actor=municipal, round_id=eval_round.pk, meeting_date=timezone.localdate(), attendees="全体成员",
                                        decision="approved", minutes=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes"))


# What qujing_disclosure/settings SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] should hold for evaluation:
# fields named `state`, `kind`, `decision`, `rating` and `outcome` carry different choices in different apps.
EVALUATION_ENUM_NAME_OVERRIDES = {
    "AssignmentStateEnum": "evaluation.enums.AssignmentState",
    "ScorecardStateEnum": "evaluation.enums.ScorecardState",
    "ObjectionStateEnum": "evaluation.enums.ObjectionState",
    "SubsidyStateEnum": "evaluation.enums.SubsidyState",
    "CandidateKindEnum": "evaluation.enums.CandidateKind",
    "ReevaluationOutcomeEnum": "evaluation.enums.ReevaluationOutcome",
    "InspectionKindEnum": "evaluation.enums.InspectionKind",
    "InspectionRatingEnum": "evaluation.enums.InspectionRating",
    "DeliberationDecisionEnum": "evaluation.enums.DeliberationDecision",
}


EVALUATION_COMPONENTS = ["Assignment", "Scorecard", "Candidate", "ObjectionStaff", "ObjectionReceipt", "Inspection", "InspectionRequest",
                         "Subsidy", "RankingRow", "DeliberationInputRequest"]


def _schema(capsys):
    _load_enum_name_overrides.cache_clear()
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
    finally:
        _load_enum_name_overrides.cache_clear()
    return schema, capsys.readouterr().err


def _enum_refs(schema, component):
    refs = []
    for prop in schema["components"]["schemas"][component]["properties"].values():
        for ref in [prop.get("$ref")] + [x.get("$ref") for x in prop.get("allOf", []) + prop.get("oneOf", [])]:
            if ref and ref.endswith("Enum"):
                refs.append(ref.rsplit("/", 1)[-1])
    return refs


def test_r5_api_candidates_of_the_second_evaluator_after_the_first_declares_a_conflict(api_client_for, candidate, evaluator, other_evaluator,
                                                                                      municipal):
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=other_evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=True, note="亲属在该单位工作")
    assert api_client_for("other_evaluator").get("/api/v1/evaluation/candidates/").json()["count"] == 1
    assert api_client_for("evaluator").get("/api/v1/evaluation/candidates/").json()["count"] == 0


@pytest.mark.parametrize("role, expected", [("municipal", 200), ("admin", 200), ("leading", 404), ("evaluator", 404), ("county_user", 404),
                                            ("org_user", 404)])
def test_api_withdraw_is_the_offices(api_client_for, assignment, role, expected):
    response = api_client_for(role).post(f"/api/v1/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整"}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert (response.json()["state"], response.json()["withdraw_reason"]) == ("withdrawn", "调整")


@pytest.mark.parametrize("role, expected", [("municipal", 200), ("admin", 200), ("leading", 404), ("evaluator", 404), ("county_user", 404)])
def test_api_candidate_team_is_the_offices(api_client_for, candidate, teams, role, expected):
    team_a, _team_b = teams
    response = api_client_for(role).post(f"/api/v1/evaluation/candidates/{candidate.pk}/team/", {"team": team_a.pk}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert sorted(response.json()["assigned"]) == sorted(team_a.members.values_list("pk", flat=True))


def test_api_candidate_team_of_another_round_is_refused(api_client_for, candidate, municipal, city):
    from tests import factories as f

    other = services.team_save(actor=municipal, round_id=f.RoundFactory(organizer=city, status="evaluating").pk, name="外轮考评组", member_ids=[])
    response = api_client_for("municipal").post(f"/api/v1/evaluation/candidates/{candidate.pk}/team/", {"team": other.pk}, format="json")
    assert (response.status_code, response.json()) == (400, {"team": ["考评组不属于本轮。"]})


def test_api_staff_create_an_assignment_checked_for_conflicts(api_client_for, other_candidate, candidate, evaluator):
    api = api_client_for("municipal")
    response = api.post("/api/v1/evaluation/assignments/", {"candidate": other_candidate.pk, "evaluator": evaluator.pk}, format="json")
    assert (response.status_code, response.json()["evaluator"]) == (400, ["evaluator 属于沾益区，不能考评本辖区单位（R5 利益冲突回避）。"])
    response = api.post("/api/v1/evaluation/assignments/", {"candidate": candidate.pk, "evaluator": evaluator.pk}, format="json")
    assert (response.status_code, response.json()["state"]) == (201, "pending")
    assert api_client_for("evaluator").post("/api/v1/evaluation/assignments/", {"candidate": candidate.pk, "evaluator": evaluator.pk},
                                            format="json").status_code == 404


def test_r19_api_assignment_offers_suggested_points_once_declared(api_client_for, assignment, evaluator, democratic, eval_round):
    api = api_client_for("evaluator")
    assert api.get(f"/api/v1/evaluation/assignments/{assignment.pk}/").json()["suggested_points"] == []  # R5: not before declaring
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    body = api.get(f"/api/v1/evaluation/assignments/{assignment.pk}/").json()
    assert body["suggested_points"] == [{"criterion": satisfaction_criterion(eval_round).pk, "suggested_points": "14.36"}]


def test_r19_api_democratic_record_carries_the_rate_and_the_suggestion(api_client_for, democratic, candidate):
    [row] = api_client_for("municipal").get("/api/v1/evaluation/democratic/").json()["results"]
    assert (row["candidate"], row["ballots"], row["satisfaction_rate"], row["suggested_points"]) == (candidate.pk, 47, "95.7", "14.36")


def test_api_accepts_a_two_decimal_score(api_client_for, declared, eval_round):
    satisfaction = satisfaction_criterion(eval_round)
    response = api_client_for("evaluator").put(f"/api/v1/evaluation/assignments/{declared.pk}/scorecard/", {
        "scores": [{"criterion": satisfaction.pk, "points": "14.36", "methods": ["democratic"]}]}, format="json")
    assert (response.status_code, response.json()["scorecard"]["total"]) == (200, "14.36")


@pytest.mark.usefixtures("mid_june_2026")
def test_ranking_api_has_the_disclosure_record(api_client_for, recorded, other_candidate):
    response = api_client_for("municipal").get(f"/api/v1/evaluation/rounds/{recorded.round_id}/ranking/")
    assert response.status_code == 200
    rows = {r["candidate"]: r for g in response.json()["groups"] for r in g["candidates"]}
    record = rows[recorded.pk]["disclosure_record"]
    assert {k: record[k] for k in ("published", "on_time", "on_time_rate", "display_breaches", "rectifications_overdue",
                                   "satisfaction_rate", "ratings")} == {
        "published": 3, "on_time": 2, "on_time_rate": "66.7", "display_breaches": 1, "rectifications_overdue": 1,
        "satisfaction_rate": "80.0", "ratings": 5,
    }
    assert rows[recorded.pk]["aggregate"]["score"] == "90.00"
    assert rows[other_candidate.pk]["disclosure_record"]["on_time_rate"] is None


@pytest.mark.parametrize("role", API_ROLES)
def test_table_list_matrix(api_client_for, api_world, role):
    response = api_client_for(role).get("/api/v1/evaluation/tables/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    expected = 1 if role in {"municipal", "admin", "leading", "evaluator"} else 0
    assert (response.status_code, response.json()["count"]) == (200, expected)


@pytest.mark.parametrize("role", API_ROLES)
def test_table_detail_matrix(api_client_for, api_world, role):
    response = api_client_for(role).get(f"/api/v1/evaluation/tables/{api_world['round'].evaluation_table.pk}/")
    assert response.status_code == _status(role, {"municipal", "admin", "leading", "evaluator"})


def test_table_has_criteria_with_maxima_methods_and_guidance(api_client_for, api_world):
    body = api_client_for("evaluator").get("/api/v1/evaluation/tables/", {"round": api_world["round"].pk}).json()["results"][0]
    assert (body["round"], body["total_points"], body["pass_mark"], body["locked"]) == (api_world["round"].pk, "100.00", "80.00", False)
    content = next(c for c in body["criteria"] if c["name"] == "公开内容")
    assert (content["max_points"], content["methods"], content["method_labels"]) == ("20.00", ["materials", "on_site"], ["查资料", "实地察看"])
    assert content["guidance"].startswith("目录全覆盖")
    assert [c["name"] for c in body["criteria"]][-1] == "特色亮点"


@pytest.mark.parametrize("role", API_ROLES)
def test_team_list_matrix(api_client_for, api_world, role):
    response = api_client_for(role).get("/api/v1/evaluation/teams/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.json()["count"] == (1 if role in {"municipal", "admin", "leading", "evaluator"} else 0)


def test_team_shows_members_and_candidates(api_client_for, api_world, evaluator, panel):
    [team] = api_client_for("evaluator").get("/api/v1/evaluation/teams/").json()["results"]
    assert (team["name"], team["leader"], team["candidates"]) == ("第一组", evaluator.pk, [api_world["candidate"].pk])
    assert sorted(m["username"] for m in team["members"]) == ["evaluator", "panel0"]


@pytest.mark.parametrize("role", API_ROLES)
def test_team_sheet_download_matrix(api_client_for, api_world, role):
    response = api_client_for(role).get(f"/api/v1/evaluation/teams/{api_world['team'].pk}/sheet/")
    assert response.status_code == _status(role, {"municipal", "admin", "evaluator"})  # the office and the team leader
    if response.status_code == 200:
        assert response["Content-Type"] == XLSX


def test_team_sheet_upload_through_the_api(api_client_for, api_world, panel):
    api = api_client_for("evaluator")
    workbook = load_workbook(BytesIO(api.get(f"/api/v1/evaluation/teams/{api_world['team'].pk}/sheet/").content))
    methods = {"组织领导": "听汇报", "制度建设": "查资料", "公开内容": "查资料", "公开形式": "实地察看", "公开程序": "查资料",
               "公开时间": "查资料", "群众满意度": "民主测评", "特色亮点": "听汇报"}
    for row in workbook["评分表"].iter_rows(min_row=4):
        row[6].value, row[7].value = float(row[5].value) * 0.9 if row[6].value is None else row[6].value, methods[row[4].value]
    buffer = BytesIO()
    workbook.save(buffer)
    response = api.post(f"/api/v1/evaluation/teams/{api_world['team'].pk}/sheet/", {"file": SimpleUploadedFile("s.xlsx", buffer.getvalue())},
                        format="multipart")
    assert (response.status_code, response.json()) == (200, {"cards": 2})


def test_team_sheet_upload_lists_every_problem(api_client_for, api_world):
    response = api_client_for("municipal").post(f"/api/v1/evaluation/teams/{api_world['team'].pk}/sheet/",
                                                {"file": SimpleUploadedFile("s.xlsx", b"PK\x03\x04 broken")}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"] == ["文件不是有效的 Excel 工作簿（.xlsx），请使用系统下载的评分表模板。"]
    assert response.json()["file"] == ["评分表有 1 处问题，未导入任何数据。"]


@pytest.mark.parametrize("role", ["leading", "other_evaluator", "county_user", "org_user"])
def test_team_sheet_upload_refused_for_others(api_client_for, api_world, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/teams/{api_world['team'].pk}/sheet/",
                                         {"file": SimpleUploadedFile("s.xlsx", b"PK")}, format="multipart")
    assert response.status_code == 404


@pytest.mark.parametrize("publicity, role, count", [
    (False, "municipal", 1), (False, "leading", 1), (False, "evaluator", 1), (False, "other_evaluator", 0), (False, "county_user", 0),
    (True, "county_user", 1), (True, "other_county_user", 0), (True, "org_user", 0)])
def test_democratic_read_is_scoped(api_client_for, api_world, publicity, role, count):
    if publicity:
        Round.objects.filter(pk=api_world["round"].pk).update(status=RoundStatus.PUBLICITY)
    assert api_client_for(role).get("/api/v1/evaluation/democratic/").json()["count"] == count


def test_democratic_read_waits_for_the_declaration(api_client_for, api_world, other_evaluator, municipal):
    services.assignment_create(actor=municipal, candidate_id=api_world["candidate"].pk, evaluator_id=other_evaluator.pk)
    assert api_client_for("other_evaluator").get("/api/v1/evaluation/democratic/").json()["count"] == 0  # R5: pending


@pytest.mark.parametrize("role", API_ROLES)
def test_democratic_write_is_the_offices(api_client_for, api_world, role):
    response = api_client_for(role).post("/api/v1/evaluation/democratic/", {
        "candidate": api_world["other_candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 30, "basically_satisfied": 3,
        "dissatisfied": 1}, format="json")
    assert response.status_code == _status(role, {"municipal", "admin"}, ok=201)
    if role in ("municipal", "admin"):
        assert (response.json()["satisfaction_rate"], response.json()["suggested_points"]) == ("97.1", "14.57")


def test_democratic_posted_again_corrects_the_record(api_client_for, api_world):
    response = api_client_for("municipal").post("/api/v1/evaluation/democratic/", {
        "candidate": api_world["candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 20, "basically_satisfied": 0,
        "dissatisfied": 0}, format="json")
    assert (response.status_code, response.json()["satisfaction_rate"]) == (201, "100.0")
    assert api_client_for("municipal").get("/api/v1/evaluation/democratic/").json()["count"] == 1


def test_democratic_write_refusal_is_400_with_the_field(api_client_for, api_world):
    response = api_client_for("municipal").post("/api/v1/evaluation/democratic/", {
        "candidate": api_world["candidate"].pk, "held_on": timezone.localdate().isoformat(), "satisfied": 0, "basically_satisfied": 0,
        "dissatisfied": 0}, format="json")
    assert (response.status_code, response.json()["satisfied"]) == (400, ["民主测评至少要有一张有效票。"])


def test_evaluator_uploads_evidence_for_a_criterion(api_client_for, api_world):
    content = api_world["round"].evaluation_table.criteria.get(name="公开内容")
    api = api_client_for("evaluator")
    response = api.post(f"/api/v1/evaluation/assignments/{api_world['mine'].pk}/evidence/", {"file": _pdf(), "title": "公开栏照片",
                                                                                         "criterion": content.pk}, format="multipart")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["criterion"]) == ("公开栏照片", content.pk)
    card = api.get(f"/api/v1/evaluation/assignments/{api_world['mine'].pk}/").json()["scorecard"]
    assert [e["title"] for e in card["evidence"]] == ["公开栏照片"]


def test_evidence_for_a_criterion_of_another_round_is_refused(api_client_for, api_world, city, municipal):
    other = f.RoundFactory(organizer=city, status="evaluating")
    foreign = services.table_create_default(actor=municipal, round_id=other.pk).criteria.first()
    response = api_client_for("evaluator").post(f"/api/v1/evaluation/assignments/{api_world['mine'].pk}/evidence/",
                                                {"file": _pdf(), "criterion": foreign.pk}, format="multipart")
    assert (response.status_code, response.json()["criterion"]) == (400, ["考评项目不属于本轮考评表。"])
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("role", ["municipal", "admin", "leading", "other_evaluator", "county_user", "org_user"])
def test_evidence_only_on_ones_own_scorecard(api_client_for, api_world, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/assignments/{api_world['mine'].pk}/evidence/", {"file": _pdf()}, format="multipart")
    assert response.status_code == 404


@pytest.mark.parametrize("role", API_ROLES)
def test_objection_investigate_matrix(api_client_for, objection, evaluator, other_evaluator, role):
    response = api_client_for(role).post(f"/api/v1/evaluation/objections/{objection.pk}/investigate/", {"note": "调阅台账核实"}, format="json")
    assert response.status_code == _status(role, {"municipal", "admin"})
    if response.status_code == 200:
        assert (response.json()["state"], response.json()["investigation"]) == ("investigating", "调阅台账核实")


@pytest.mark.parametrize("role", API_ROLES)
def test_stories_read_published_by_anyone_drafts_by_staff(api_client_for, stories, evaluator, other_evaluator, role):
    api = api_client_for(role)
    titles = [s["title"] for s in api.get("/api/v1/evaluation/stories/").json()["results"]]
    staff = role in {"municipal", "admin", "leading"}
    assert titles == (["公开栏进社区", "草稿经验"] if staff else ["公开栏进社区"])
    assert api.get(f"/api/v1/evaluation/stories/{stories['draft'].pk}/").status_code == (200 if staff else 404)


@pytest.mark.parametrize("role", API_ROLES)
def test_story_write_is_the_offices(api_client_for, stories, evaluator, other_evaluator, role):
    response = api_client_for(role).post("/api/v1/evaluation/stories/", {"designation": stories["site"].pk, "title": "新经验", "body": "正文"},
                                         format="json")
    assert response.status_code == _status(role, {"municipal", "admin"}, ok=201)
    response = api_client_for(role).post(f"/api/v1/evaluation/stories/{stories['draft'].pk}/publish/")
    assert response.status_code == _status(role, {"municipal", "admin"})


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


@pytest.mark.parametrize("kind", ["ranking", "shortlist", "roster"])
@pytest.mark.parametrize("role", API_ROLES)
def test_export_files_matrix(api_client_for, api_world, role, kind):
    response = api_client_for(role).get(f"/api/v1/evaluation/rounds/{api_world['round'].pk}/export/{kind}/")
    assert response.status_code == _status(role, {"municipal", "admin", "leading"})
    if response.status_code == 200:
        assert response["Content-Type"] == XLSX and load_workbook(BytesIO(response.content)).sheetnames


@pytest.mark.parametrize("role", API_ROLES)
def test_deliberation_minutes_matrix(api_client_for, deliberation, evaluator, other_evaluator, role):
    api = api_client_for(role)
    response = api.get(f"/api/v1/evaluation/deliberations/{deliberation.pk}/minutes/")
    assert response.status_code == _status(role, {"municipal", "admin", "leading"})
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


def test_candidate_carries_its_application_and_team(api_client_for, api_world):
    rows = {r["id"]: r for r in api_client_for("municipal").get("/api/v1/evaluation/candidates/").json()["results"]}
    mine = rows[api_world["candidate"].pk]
    assert (mine["application"], mine["team"], mine["designation"]) == (api_world["candidate"].application_id, api_world["team"].pk, None)


def test_shortlist_export_has_the_panel_score(api_client_for, eval_round, candidate, panel, municipal):
    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    response = api_client_for("municipal").get(f"/api/v1/evaluation/rounds/{eval_round.pk}/export/shortlist/")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [("序号", "辖区", "单位", "综合得分", "状态"), (1, "麒麟区", "麒麟区第一党支部", 85, "列入初选名单")]


def test_no_schema_warning_comes_from_the_evaluation_app(capsys):
    _unused, err = _schema(capsys)
    assert [line for line in err.splitlines() if "/evaluation/" in line] == []


def test_ranking_and_calibration_responses_are_documented(capsys):
    schema, _err = _schema(capsys)
    ranking = schema["paths"]["/api/v1/evaluation/rounds/{id}/ranking/"]["get"]["responses"]["200"]
    assert ranking["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ranking"}
    row = schema["components"]["schemas"]["RankingRow"]["properties"]
    assert row["disclosure_record"]["allOf"] == [{"$ref": "#/components/schemas/DisclosureRecord"}]
    assert {"on_time_rate", "display_breaches", "rectifications_overdue", "satisfaction_rate"} <= set(
        schema["components"]["schemas"]["DisclosureRecord"]["properties"])
    calibration = schema["paths"]["/api/v1/evaluation/rounds/{id}/calibration/"]["get"]["responses"]["200"]
    assert calibration["content"]["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Calibration"}
    objection = schema["paths"]["/api/v1/evaluation/objections/"]["post"]["responses"]["201"]
    assert objection["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ObjectionReceipt"}


def test_evaluation_enums_get_stable_names_with_the_overrides(capsys):
    overrides = {**spectacular_settings.ENUM_NAME_OVERRIDES, **EVALUATION_ENUM_NAME_OVERRIDES}
    with patched_settings({"ENUM_NAME_OVERRIDES": overrides}):
        schema, err = _schema(capsys)
    names = {ref for component in EVALUATION_COMPONENTS for ref in _enum_refs(schema, component)}
    assert names == set(EVALUATION_ENUM_NAME_OVERRIDES)
    assert not [name for name in names if re.search(r"[0-9a-f]{3}Enum$", name)]
    assert not [line for line in err.splitlines() if any(name in line for name in EVALUATION_ENUM_NAME_OVERRIDES)]


@pytest.mark.parametrize("role, count", [("municipal", 2), ("admin", 2), ("leading", 2), ("evaluator", 1), ("county_user", 0), ("other_county_user", 0), ("org_user", 0)])
def test_api_assignments_are_scoped(api_client_for, request, world, role, count):
    response = api_client_for(role).get("/api/v1/evaluation/assignments/")
    assert (response.status_code, response.json()["count"]) == (200, count)


def test_api_assignments_anonymous_refused(client, world):
    assert client.get("/api/v1/evaluation/assignments/").status_code == 401


@pytest.mark.parametrize("role, expected", [("evaluator", 404), ("county_user", 404), ("org_user", 404), ("municipal", 200),
                                            ("admin", 200)])
def test_api_other_evaluators_assignment_is_404(api_client_for, world, role, expected):
    assert api_client_for(role).get(f"/api/v1/evaluation/assignments/{world['theirs'].pk}/").status_code == expected


def test_api_staff_cannot_write_an_evaluators_scorecard(api_client_for, world):
    response = api_client_for("municipal").post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    assert response.status_code == 404


def test_api_evaluator_scores_and_submits(api_client_for, world, eval_round):
    api = api_client_for("evaluator")
    scores = [{"criterion": c.pk, "points": str(c.max_points - 1), "methods": c.methods[:1], "notes": ""} for c in eval_round.evaluation_table.criteria.all()]
    response = api.put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/", {"scores": scores}, format="json")
    assert (response.status_code, response.json()["scorecard"]["total"]) == (200, "92.00")
    response = api.post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    assert response.json()["scorecard"]["state"] == "submitted"


def test_api_score_above_maximum_is_400_with_field(api_client_for, world, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    response = api_client_for("evaluator").put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/",
                                               {"scores": [{"criterion": content.pk, "points": "21", "methods": ["materials"]}]}, format="json")
    assert response.status_code == 400
    assert response.json()[f"points_{content.pk}"] == ["“公开内容”满分20分，得分21分超过满分。"]


def test_api_panel_hidden_until_own_submission(api_client_for, world, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], world["candidate"])
    assert api_client_for("evaluator").get(f"/api/v1/evaluation/assignments/{world['mine'].pk}/panel/").json() == []


@pytest.mark.parametrize("role, visible", [("county_user", 1), ("other_county_user", 1), ("org_user", 0), ("evaluator", 1)])
def test_api_candidates_for_county_only_after_publicity_and_own(api_client_for, world, role, visible):
    before = api_client_for(role).get("/api/v1/evaluation/candidates/").json()["count"]
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    after = api_client_for(role).get("/api/v1/evaluation/candidates/").json()
    assert (before if role != "evaluator" else 1, after["count"]) == (0 if role != "evaluator" else 1, visible)
    if role == "evaluator":
        assert after["results"][0]["results"] is None  # evaluators never read the panel result here


def test_api_county_reads_its_candidates_results(api_client_for, world, panel):
    from .factories import submit_card

    submit_card(panel[0], world["candidate"])
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    [row] = api_client_for("county_user").get("/api/v1/evaluation/candidates/").json()["results"]
    assert (row["organization"], row["results"]["score"]) == ("麒麟区第一党支部", "90.00")


def test_api_public_reads_publicity_and_creates_objection_nothing_more(client, eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    [item] = client.get("/api/v1/evaluation/publicity/").json()
    assert [e["organization"] for e in item["entries"]] == ["麒麟区第一党支部"]
    response = client.post("/api/v1/evaluation/objections/", {"publicity": publicity.pk, "content": "公开栏内容与实际不符，多项为补做。",
                                                              "objector_contact": "138"}, content_type="application/json")
    assert response.status_code == 201 and set(response.json()) == {"code", "state"}
    assert client.get("/api/v1/evaluation/objections/").status_code == 401
    assert client.get(f"/api/v1/evaluation/objections/{Objection.objects.get().pk}/").status_code == 401


@pytest.mark.parametrize("role, count", [("municipal", 1), ("admin", 1), ("leading", 0), ("county_user", 0), ("other_county_user", 0), ("evaluator", 0),
                                         ("org_user", 0)])
def test_api_objections_with_contact_only_for_the_municipal_office(api_client_for, eval_round, candidate, municipal, panel, role, count):
    """R8: the office handles objections and alone reads the objector's contact details; the leading group
    reads none here (as in the portal), nor does anyone else."""
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", objector_contact="13800000000")
    api = api_client_for(role)
    body = api.get("/api/v1/evaluation/objections/").json()
    assert body["count"] == count
    detail = api.get(f"/api/v1/evaluation/objections/{objection.pk}/")
    if count:
        assert body["results"][0]["objector_contact"] == "13800000000"
        assert detail.json()["objector_contact"] == "13800000000"
    else:
        assert detail.status_code == 404 and "13800000000" not in detail.content.decode()


@pytest.mark.parametrize("role, status", [("county_user", 201), ("other_county_user", 404), ("org_user", 404), ("municipal", 201),
                                          ("admin", 201), ("leading", 404), ("evaluator", 404)])
def test_api_inspection_create_scoped(api_client_for, org, role, status):
    response = api_client_for(role).post("/api/v1/evaluation/inspections/", {
        "organization": org.pk, "kind": "daily", "inspected_on": timezone.localdate().isoformat(), "findings": "未按月更新", "rating": "fair"}, format="json")
    assert response.status_code == status


@pytest.mark.parametrize("role, expected", [("municipal", 200), ("admin", 200), ("leading", 200), ("evaluator", 404), ("county_user", 404),
                                            ("org_user", 404)])
def test_api_ranking_for_office_and_leading_group_only(api_client_for, world, role, expected):
    response = api_client_for(role).get(f"/api/v1/evaluation/rounds/{world['round'].pk}/ranking/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["trim_from"] == 5


@pytest.mark.parametrize("role, expected", [("municipal", 400), ("admin", 400), ("leading", 404), ("county_user", 404), ("evaluator", 404)])
def test_api_shortlist_is_staff_work_and_explains_refusal(api_client_for, world, role, expected):
    response = api_client_for(role).post(f"/api/v1/evaluation/rounds/{world['round'].pk}/shortlist/add/",
                                         {"application": world["candidate"].application_id}, format="json")
    assert response.status_code == expected
    if expected == 400:
        assert response.json()["application"] == ["该单位还有考评人员未提交评分，不能列入初选名单。"]


def test_api_full_staff_flow_to_award(api_client_for, world, eval_round, evaluator, panel):

    from .factories import submit_card

    staff, leading = api_client_for("municipal"), api_client_for("leading")
    api = api_client_for("evaluator")
    scores = [{"criterion": c.pk, "points": str(c.max_points), "methods": c.methods[:1]} for c in eval_round.evaluation_table.criteria.all()]
    api.put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/", {"scores": scores}, format="json")
    api.post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    submit_card(panel[0], world["candidate"])
    assert staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/shortlist/add/", {"application": world["candidate"].application_id}, format="json").status_code == 200
    today = timezone.localdate()
    assert leading.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/deliberation/",
                        {"meeting_date": today.isoformat(), "attendees": "全体", "decision": "approved"}, format="json").status_code == 201
    response = staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/publicity/",
                          {"starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=6)).isoformat()}, format="json")
    assert response.status_code == 201
    with time_machine.travel(today + datetime.timedelta(days=8)):
        response = staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/award/", {}, format="json")
    assert [d["plaque_number"] for d in response.json()["designations"]] == [f"QJ-X-{eval_round.year}-001"]


@pytest.mark.parametrize("role, count", [("municipal", 1), ("admin", 1), ("leading", 0), ("county_user", 0)])
def test_api_subsidies_office_only(api_client_for, db, role, count):
    from evaluation.models import SubsidyPayment
    from tests import factories as f

    SubsidyPayment.objects.create(designation=f.DesignationFactory(level="city"), amount=3000)
    assert api_client_for(role).get("/api/v1/evaluation/subsidies/").json()["count"] == count
