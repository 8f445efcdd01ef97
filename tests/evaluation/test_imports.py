"""The team score-sheet import (evaluation.imports): all or nothing, every problem by sheet, row and column."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from evaluation import exports, services
from evaluation.enums import AssignmentState, ScorecardState
from evaluation.imports import ImportRejected, scoresheet_import
from evaluation.models import Assignment, Score, Scorecard
from qujing_disclosure.core.errors import NotPermitted
from qujing_disclosure.core.models import AuditEntry

from .factories import METHOD_OF, as_upload, sheet_for, staff_sheet

pytestmark = pytest.mark.django_db


def _fill(workbook, points="8", methods="听汇报"):
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        maximum = row[5].value
        row[6].value = min(float(points), float(maximum)) if points is not None else None
        row[7].value = METHOD_OF[row[4].value] if methods == "听汇报" else methods
    return workbook


@pytest.fixture
def solo_team(eval_round, candidate, panel, municipal):
    solo_team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk], leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=solo_team.pk)
    return solo_team


ENGLISH_LABELS = {"hearing": "Hearing reports", "materials": "Checking materials", "on_site": "On-site inspection",
                  "visit": "Visits and discussions", "democratic": "Democratic evaluation"}


def _label(code, index):
    """Alternate English (any case) and Chinese labels."""
    from evaluation.enums import Method

    return ENGLISH_LABELS[code].lower() if index % 2 == 0 else str(Method(code).label)


def _methods_of(criterion_name, solo_team):
    return solo_team.round.evaluation_table.criteria.get(name=criterion_name).methods


def test_complete_sheet_is_imported_and_submitted(team, municipal):
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team)))) == 2
    assert sorted(Scorecard.objects.values_list("state", "total")) == [(ScorecardState.SUBMITTED, 61), (ScorecardState.SUBMITTED, 61)]


def test_team_leader_may_import_but_another_evaluator_may_not(team, panel, other_evaluator):
    from qujing_disclosure.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        scoresheet_import(actor=other_evaluator, team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team))))
    assert scoresheet_import(actor=panel[0], team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team)))) == 2


def test_score_above_maximum_rejects_the_whole_sheet(team, municipal):
    workbook = _fill(staff_sheet(team))
    workbook["评分表"]["G6"].value = 25  # row 6: 公开内容, max 20
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert exc.value.problems == ["工作表“评分表”第6行G列：“公开内容”满分20分，得分25分超过满分。"]
    assert Score.objects.count() == 0


def test_unknown_candidate_is_reported_by_row_and_column(team, municipal):
    workbook = _fill(staff_sheet(team))
    workbook["评分表"]["A5"].value = 99999
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert exc.value.problems[0] == "工作表“评分表”第5行A列：对象编号“99999”与考评人员“panel0”不是本组的考评分工。"
    assert Score.objects.count() == 0


def test_every_problem_is_listed(team, municipal):
    workbook = _fill(staff_sheet(team))
    workbook["评分表"]["G4"].value = "十分"
    workbook["评分表"]["H7"].value = "拍脑袋"
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert [p.split("：")[0] for p in exc.value.problems[:2]] == ["工作表“评分表”第4行G列", "工作表“评分表”第7行H列"]


def test_wrong_template_version_is_refused(team, municipal):
    workbook = _fill(staff_sheet(team))
    workbook["评分表"]["B1"].value = "QJ-SCORE-0"
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert exc.value.problems == ["工作表“评分表”第1行B列：模板版本为“QJ-SCORE-0”，应为“QJ-SCORE-1”，请重新下载评分表。"]


def test_malformed_workbook_is_refused(team, municipal):
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a zip"))
    assert exc.value.problems == ["文件不是有效的 Excel 工作簿（.xlsx），请使用系统下载的评分表模板。"]


def test_missing_criterion_rejects(team, municipal):
    workbook = _fill(staff_sheet(team))
    sheet = workbook["评分表"]
    for column in "ABCDEFGHI":
        sheet[f"{column}11"].value = None  # the last criterion row of panel0
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert exc.value.problems == ["考评人员“panel0”对“麒麟区第一党支部”缺少以下项目的得分：特色亮点。"]


def test_sheet_of_another_team_is_refused(team, municipal, eval_round, panel):
    other = services.team_save(actor=municipal, round_id=eval_round.pk, name="第二考评组", member_ids=[panel[2].pk])
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=other.pk, uploaded_file=as_upload(_fill(staff_sheet(team))))
    assert exc.value.code == "import_rejected" and "该评分表属于其他轮次或考评组" in str(exc.value.problems[0])


def test_round_trip_download_fill_the_blanks_upload_succeeds(team, candidate, panel, municipal):
    """The sheet pre-fills a submitted card's rows; uploading them unchanged is accepted (skipped)."""
    from .factories import submit_card

    first = submit_card(panel[0], candidate, "0.9")
    workbook = sheet_for(team, municipal)
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        if row[2].value == "panel1":  # the blank rows: a colleague's card not yet scored
            assert row[6].value is None
            row[6].value, row[7].value, row[8].value = float(row[5].value) * 0.8, METHOD_OF[row[4].value], "纸质评分"
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook)) == 1
    first.refresh_from_db()
    assert (first.state, first.total) == (ScorecardState.SUBMITTED, 90)
    assert sorted(Scorecard.objects.values_list("assignment__evaluator__username", "state", "total")) == [
        ("panel0", ScorecardState.SUBMITTED, 90), ("panel1", ScorecardState.SUBMITTED, 80)]


def test_uploading_only_unchanged_submitted_rows_imports_nothing_and_succeeds(team, candidate, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(sheet_for(team, municipal))) == 0


def test_a_changed_value_on_a_submitted_card_is_refused_by_row_and_column(team, candidate, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], candidate, "0.9")
    workbook = _fill(sheet_for(team, municipal))  # overwrites panel0's submitted points too
    with pytest.raises(ImportRejected) as exc:
        scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(workbook))
    assert exc.value.problems[0] == ("工作表“评分表”第4行G列：考评人员“panel0”对该单位的评分已提交锁定，不能修改；"
                                     "如需修改，请联系市党务公开办退回。")
    assert Scorecard.objects.get(assignment__evaluator=panel[0]).total == 90
    assert not Scorecard.objects.filter(assignment__evaluator=panel[1]).exists()


def test_a_note_starting_like_a_formula_round_trips_unchanged(team, candidate, panel, municipal):
    from .factories import submit_card

    card = submit_card(panel[0], candidate, "0.9")
    card.scores.update(notes="-扣0.5分，公开栏未更新")
    submit_card(panel[1], candidate, "0.8")
    assert scoresheet_import(actor=municipal, team_id=team.pk, uploaded_file=as_upload(sheet_for(team, municipal))) == 0


def test_a_sheet_downloaded_in_english_imports_with_english_method_names(solo_team, municipal, panel, english):
    with translation.override("en"):
        workbook = exports.team_scoresheet_workbook(solo_team)
    sheet = workbook["评分表"]
    assert "Hearing reports, Checking materials" in sheet["A2"].value
    for row in sheet.iter_rows(min_row=4):
        row[6].value = float(row[5].value) * 0.8
        row[7].value = ", ".join(ENGLISH_LABELS[code] for code in _methods_of(row[4].value, solo_team))
    buffer = BytesIO()
    workbook.save(buffer)
    with translation.override("en"):
        assert scoresheet_import(actor=municipal, team_id=solo_team.pk, uploaded_file=SimpleUploadedFile("sheet.xlsx", buffer.getvalue())) == 1
    card = Scorecard.objects.get()
    assert (card.state, str(card.total)) == (ScorecardState.SUBMITTED, "80.00")


def test_method_names_in_a_sheet_may_mix_languages_and_separators(solo_team, municipal):
    buffer = BytesIO()
    exports.team_scoresheet_workbook(solo_team).save(buffer)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    sheet = workbook["评分表"]
    for row in sheet.iter_rows(min_row=4):
        row[6].value = float(row[5].value)
        methods = _methods_of(row[4].value, solo_team)
        row[7].value = "；".join(_label(code, index) for index, code in enumerate(methods))
    out = BytesIO()
    workbook.save(out)
    assert scoresheet_import(actor=municipal, team_id=solo_team.pk, uploaded_file=SimpleUploadedFile("sheet.xlsx", out.getvalue())) == 1
    assert str(Scorecard.objects.get().total) == "100.00"


def test_an_import_declares_scores_and_submits_in_the_importers_name(team, candidate, panel):
    leader = panel[0]
    assert scoresheet_import(actor=leader, team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team)))) == 2
    assignments = {a.pk: a.evaluator_id for a in Assignment.objects.filter(candidate=candidate)}
    declared = AuditEntry.objects.filter(action="evaluation.assignment.declare").order_by("object_id")
    assert [(e.actor, e.to_state, e.reason, e.data["on_paper"]) for e in declared] == [
        (leader, "declared", "纸质评分表随附利益冲突声明", True)] * 2
    submitted = AuditEntry.objects.filter(action="evaluation.scorecard.submit")
    assert sorted((e.actor, e.data["on_paper"], e.data["evaluator"]) for e in submitted) == sorted(
        (leader, True, evaluator_id) for evaluator_id in assignments.values())
    written = AuditEntry.objects.filter(action__in=["evaluation.assignment.declare", "evaluation.scorecard.save",
                                                    "evaluation.scorecard.submit", "evaluation.scoresheet.import"])
    assert set(written.values_list("actor", flat=True)) == {leader.pk}  # nothing of the import is recorded as a scheduled job


def test_the_paper_doors_are_closed_to_a_leader_of_another_team(team, candidate, panel, eval_round, municipal):
    services.team_save(actor=municipal, round_id=eval_round.pk, name="第二考评组", member_ids=[panel[2].pk], leader_id=panel[2].pk)
    assignment = Assignment.objects.get(candidate=candidate, evaluator=panel[1])
    with pytest.raises(NotPermitted):
        services.assignment_declare(actor=panel[2], assignment_id=assignment.pk, conflict=False, on_paper=True)
    with pytest.raises(NotPermitted):
        scoresheet_import(actor=panel[2], team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team))))
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.PENDING


def test_a_superuser_imports_like_the_municipal_office(team, admin):
    assert scoresheet_import(actor=admin, team_id=team.pk, uploaded_file=as_upload(_fill(staff_sheet(team)))) == 2
    assert set(AuditEntry.objects.filter(action="evaluation.scorecard.submit").values_list("actor__username", flat=True)) == {"admin"}
