"""The team score-sheet import: all or nothing, every problem by sheet, row and column (Chinese)."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from evaluation import exports, services
from evaluation.enums import ScorecardState
from evaluation.imports import ImportRejected, scoresheet_import
from evaluation.models import Score, Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(eval_round, candidate, panel, municipal):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk], leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    return team


def _sheet(team):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(team).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


METHOD_OF = {"组织领导": "听汇报", "制度建设": "查资料", "公开内容": "查资料", "公开形式": "实地察看", "公开程序": "查资料",
             "公开时间": "查资料", "群众满意度": "民主测评", "特色亮点": "听汇报"}


def _fill(workbook, points="8", methods="听汇报"):
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        maximum = row[5].value
        row[6].value = min(float(points), float(maximum)) if points is not None else None
        row[7].value = METHOD_OF[row[4].value] if methods == "听汇报" else methods
    return workbook


def _upload(workbook, name="评分表.xlsx"):
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_downloaded_sheet_has_a_row_per_evaluator_and_criterion(team):
    sheet = _sheet(team)["评分表"]
    assert sheet["B1"].value == exports.SCORESHEET_VERSION
    assert [c.value for c in sheet[3]] == exports.SCORESHEET_HEADER
    assert sheet.max_row == 3 + 2 * 8


def test_complete_sheet_is_imported_and_submitted(team, municipal):
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(_fill(_sheet(team)))) == 2
    assert sorted(Scorecard.objects.values_list("state", "total")) == [(ScorecardState.SUBMITTED, 61), (ScorecardState.SUBMITTED, 61)]


def test_team_leader_may_import_but_another_evaluator_may_not(team, panel, other_evaluator):
    from qujing_disclosure.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        scoresheet_import(actor=other_evaluator, team_id=team.pk, uploaded_file=_upload(_fill(_sheet(team))))
    assert scoresheet_import(actor=panel[0], team_id=team.pk, uploaded_file=_upload(_fill(_sheet(team)))) == 2


def test_score_above_maximum_rejects_the_whole_sheet(team, municipal):
    workbook = _fill(_sheet(team))
    workbook["评分表"]["G6"].value = 25  # row 6: 公开内容, max 20
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert exc.value.problems == ["工作表“评分表”第6行G列：“公开内容”满分20分，得分25分超过满分。"]
    assert Score.objects.count() == 0


def test_unknown_candidate_is_reported_by_row_and_column(team, municipal):
    workbook = _fill(_sheet(team))
    workbook["评分表"]["A5"].value = 99999
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert exc.value.problems[0] == "工作表“评分表”第5行A列：对象编号“99999”与考评人员“panel0”不是本组的考评分工。"
    assert Score.objects.count() == 0


def test_every_problem_is_listed(team, municipal):
    workbook = _fill(_sheet(team))
    workbook["评分表"]["G4"].value = "十分"
    workbook["评分表"]["H7"].value = "拍脑袋"
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert [p.split("：")[0] for p in exc.value.problems[:2]] == ["工作表“评分表”第4行G列", "工作表“评分表”第7行H列"]


def test_wrong_template_version_is_refused(team, municipal):
    workbook = _fill(_sheet(team))
    workbook["评分表"]["B1"].value = "QJ-SCORE-0"
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert exc.value.problems == ["工作表“评分表”第1行B列：模板版本为“QJ-SCORE-0”，应为“QJ-SCORE-1”，请重新下载评分表。"]


def test_malformed_workbook_is_refused(team, municipal):
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a zip"))
    assert exc.value.problems == ["文件不是有效的 Excel 工作簿（.xlsx），请使用系统下载的评分表模板。"]


def test_missing_criterion_rejects(team, municipal):
    workbook = _fill(_sheet(team))
    sheet = workbook["评分表"]
    for column in "ABCDEFGHI":
        sheet[f"{column}11"].value = None  # the last criterion row of panel0
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert exc.value.problems == ["考评人员“panel0”对“麒麟区第一党支部”缺少以下项目的得分：特色亮点。"]


def test_sheet_of_another_team_is_refused(team, municipal, eval_round, panel):
    other = services.team_save(actor=municipal, round_id=eval_round.pk, name="第二考评组", member_ids=[panel[2].pk])
    with pytest.raises(ImportRejected):
        scoresheet_import(actor=municipal, team_id=other.pk, uploaded_file=_upload(_fill(_sheet(team))))


def test_formula_like_text_is_neutralised_in_export(team, candidate):
    candidate.organization.name = "=HYPERLINK(\"http://x\")"
    candidate.organization.save()
    assert _sheet(team)["评分表"]["B4"].value.startswith("'=")


# --- what a downloader sees (R4), and the round trip of the system's own sheet -------------------------
def _rows(workbook):
    """{(username, criterion name): (points, methods, notes)} of a sheet's data rows."""
    return {(row[2].value, row[4].value): (row[6].value, row[7].value, row[8].value)
            for row in workbook["评分表"].iter_rows(min_row=4) if row[0].value is not None}


def _draft(person, candidate, fraction="0.5", notes="草稿说明"):
    from .factories import full_scores

    assignment = services.assignment_create(actor=None, candidate_id=candidate.pk, evaluator_id=person.pk)
    services.assignment_declare(actor=person, assignment_id=assignment.pk, conflict=False)
    scores = full_scores(candidate.round.evaluation_table, fraction)
    for entry in scores.values():
        entry["notes"] = notes
    return services.scorecard_save(actor=person, assignment_id=assignment.pk, scores=scores)


def _sheet_for(team, user):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(team, user).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def test_r4_leader_sheet_shows_own_draft_and_leaves_a_colleagues_draft_blank(team, candidate, panel):
    _draft(panel[0], candidate, "0.5", "组长草稿")
    _draft(panel[1], candidate, "0.7", "组员草稿")
    rows = _rows(_sheet_for(team, panel[0]))
    assert rows[("panel0", "公开内容")] == (10, "查资料", "组长草稿")
    assert rows[("panel1", "公开内容")] == (None, None, None)
    assert "组员草稿" not in str(rows) and 14 not in [r[0] for r in rows.values()]


def test_r4_a_colleagues_submitted_card_is_left_out_until_the_leader_submits(team, candidate, panel):
    from .factories import submit_card

    _draft(panel[0], candidate, "0.5")
    submit_card(panel[1], candidate, "0.8")
    rows = _rows(_sheet_for(team, panel[0]))
    assert {user for user, _name in rows} == {"panel0"}
    card = services.scorecard_submit(actor=panel[0], assignment_id=Scorecard.objects.get(assignment__evaluator=panel[0]).assignment_id)
    assert card.state == ScorecardState.SUBMITTED
    rows = _rows(_sheet_for(team, panel[0]))
    assert rows[("panel1", "公开内容")] == (16, "查资料", "已核实")


def test_staff_sheet_shows_every_row_drafts_included(team, candidate, panel, municipal):
    _draft(panel[0], candidate, "0.5", "组长草稿")
    _draft(panel[1], candidate, "0.7", "组员草稿")
    rows = _rows(_sheet_for(team, municipal))
    assert (rows[("panel0", "公开内容")], rows[("panel1", "公开内容")]) == ((10, "查资料", "组长草稿"), (14, "查资料", "组员草稿"))


@pytest.mark.parametrize("who, expected", [("leader", 200), ("member", 404), ("municipal", 200), ("leading", 404), ("county_user", 404)])
def test_team_sheet_download_is_for_the_office_and_the_team_leader(client, team, panel, municipal, leading, county_user, who, expected):
    user = {"leader": panel[0], "member": panel[1], "municipal": municipal, "leading": leading, "county_user": county_user}[who]
    client.force_login(user)
    assert client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").status_code == expected


def test_the_portal_sheet_of_a_leader_hides_a_colleagues_draft(client, team, candidate, panel):
    _draft(panel[1], candidate, "0.7", "组员草稿")
    client.force_login(panel[0])
    workbook = load_workbook(BytesIO(client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").content))
    assert _rows(workbook)[("panel1", "公开内容")] == (None, None, None)


def test_round_trip_download_fill_the_blanks_upload_succeeds(team, candidate, panel, municipal):
    """The sheet pre-fills a submitted card's rows; uploading them unchanged is accepted (skipped)."""
    from .factories import submit_card

    first = submit_card(panel[0], candidate, "0.9")
    workbook = _sheet_for(team, municipal)
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        if row[2].value == "panel1":  # the blank rows: a colleague's card not yet scored
            assert row[6].value is None
            row[6].value, row[7].value, row[8].value = float(row[5].value) * 0.8, METHOD_OF[row[4].value], "纸质评分"
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook)) == 1
    first.refresh_from_db()
    assert (first.state, first.total) == (ScorecardState.SUBMITTED, 90)
    assert sorted(Scorecard.objects.values_list("assignment__evaluator__username", "state", "total")) == [
        ("panel0", ScorecardState.SUBMITTED, 90), ("panel1", ScorecardState.SUBMITTED, 80)]


def test_uploading_only_unchanged_submitted_rows_imports_nothing_and_succeeds(team, candidate, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(_sheet_for(team, municipal))) == 0


def test_a_changed_value_on_a_submitted_card_is_refused_by_row_and_column(team, candidate, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], candidate, "0.9")
    workbook = _fill(_sheet_for(team, municipal))  # overwrites panel0's submitted points too
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(workbook))
    assert exc.value.problems[0] == ("工作表“评分表”第4行G列：考评人员“panel0”对该单位的评分已提交锁定，不能修改；"
                                     "如需修改，请联系市党务公开办退回。")
    assert Scorecard.objects.get(assignment__evaluator=panel[0]).total == 90
    assert not Scorecard.objects.filter(assignment__evaluator=panel[1]).exists()


def test_a_note_starting_like_a_formula_round_trips_unchanged(team, candidate, panel, municipal):
    from .factories import submit_card

    card = submit_card(panel[0], candidate, "0.9")
    card.scores.update(notes="-扣0.5分，公开栏未更新")
    submit_card(panel[1], candidate, "0.8")
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=_upload(_sheet_for(team, municipal))) == 0


def test_r19_sheet_prefills_the_democratic_suggestion_on_blank_rows(team, candidate, panel, municipal):
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=candidate.round.applications_open_on,
                               satisfied=40, basically_satisfied=5, dissatisfied=2)  # 45/47 = 95.7% → 15 × 0.957 = 14.355
    rows = _rows(_sheet_for(team, panel[0]))
    assert rows[("panel0", "群众满意度")][0] == 14.36
    assert rows[("panel1", "群众满意度")][0] == 14.36
    assert rows[("panel0", "公开内容")][0] is None


def test_leader_round_trip_through_the_portal_lands_on_the_teams_page(client, team, candidate, panel):
    _draft(panel[0], candidate, "0.5", "组长草稿")  # pre-filled: the leader's own draft, submitted by the upload
    client.force_login(panel[0])
    workbook = load_workbook(BytesIO(client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").content))
    for row in workbook["评分表"].iter_rows(min_row=4):
        if row[6].value is None:
            row[6].value, row[7].value = float(row[5].value) * 0.9, METHOD_OF[row[4].value]
    response = client.post(f"/portal/evaluation/teams/{team.pk}/import/", {"file": _upload(workbook)})
    assert (response.status_code, response["Location"]) == (302, "/portal/evaluation/teams/")
    assert sorted(Scorecard.objects.values_list("assignment__evaluator__username", "state", "total")) == [
        ("panel0", ScorecardState.SUBMITTED, 50), ("panel1", ScorecardState.SUBMITTED, 90)]
    assert "已导入并提交 2 份评分表。" in client.get(response["Location"]).content.decode()
