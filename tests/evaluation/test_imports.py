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


def _fill(workbook, points="8", methods="听汇报"):
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        maximum = row[5].value
        row[6].value = min(float(points), float(maximum)) if points is not None else None
        row[7].value = {"组织领导": "听汇报", "制度建设": "查资料", "公开内容": "查资料", "公开形式": "实地察看", "公开程序": "查资料",
                        "公开时间": "查资料", "群众满意度": "民主测评", "特色亮点": "听汇报"}[row[4].value] if methods == "听汇报" else methods
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
