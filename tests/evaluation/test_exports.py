"""Excel exports (evaluation.exports): the team score sheet (what it shows whom, R4, R19), the ranking with the disclosure record."""
import io

import pytest
from openpyxl import load_workbook

from evaluation import exports, services
from evaluation.enums import ScorecardState
from evaluation.models import Scorecard

from .factories import draft_card, sheet_for, sheet_rows, staff_sheet, submit_card

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("mid_june_2026")
def test_ranking_export_has_the_disclosure_columns(client, municipal, recorded):
    client.force_login(municipal)
    response = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/export/ranking.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[1])
    row = next(r for r in rows[2:] if r[3] == recorded.organization.name)
    values = dict(zip(header, row))
    assert {k: values[k] for k in ("按时公开率(%)", "公开事项数", "逾期公开数", "未按期公开次数", "展示不足15天次数", "整改逾期件数",
                                   "意见建议逾期件数", "群众满意度(%)", "满意度评价人次")} == {
        "按时公开率(%)": 66.7, "公开事项数": 3, "逾期公开数": 1, "未按期公开次数": 1, "展示不足15天次数": 1, "整改逾期件数": 1,
        "意见建议逾期件数": 1, "群众满意度(%)": 80.0, "满意度评价人次": 5,
    }


def test_downloaded_sheet_has_a_row_per_evaluator_and_criterion(team):
    sheet = staff_sheet(team)["评分表"]
    assert sheet["B1"].value == exports.SCORESHEET_VERSION
    assert [c.value for c in sheet[3]] == exports.SCORESHEET_HEADER
    assert sheet.max_row == 3 + 2 * 8


def test_formula_like_text_is_neutralised_in_export(team, candidate):
    candidate.organization.name = "=HYPERLINK(\"http://x\")"
    candidate.organization.save()
    assert staff_sheet(team)["评分表"]["B4"].value.startswith("'=")


def test_r4_leader_sheet_shows_own_draft_and_leaves_a_colleagues_draft_blank(team, candidate, panel):
    draft_card(panel[0], candidate, "0.5", "组长草稿")
    draft_card(panel[1], candidate, "0.7", "组员草稿")
    rows = sheet_rows(sheet_for(team, panel[0]))
    assert rows[("panel0", "公开内容")] == (10, "查资料", "组长草稿")
    assert rows[("panel1", "公开内容")] == (None, None, None)
    assert "组员草稿" not in str(rows) and 14 not in [r[0] for r in rows.values()]


def test_r4_a_colleagues_submitted_card_is_left_out_until_the_leader_submits(team, candidate, panel):

    draft_card(panel[0], candidate, "0.5")
    submit_card(panel[1], candidate, "0.8")
    rows = sheet_rows(sheet_for(team, panel[0]))
    assert {user for user, _name in rows} == {"panel0"}
    card = services.scorecard_submit(actor=panel[0], assignment_id=Scorecard.objects.get(assignment__evaluator=panel[0]).assignment_id)
    assert card.state == ScorecardState.SUBMITTED
    rows = sheet_rows(sheet_for(team, panel[0]))
    assert rows[("panel1", "公开内容")] == (16, "查资料", "已核实")


def test_staff_sheet_shows_every_row_drafts_included(team, candidate, panel, municipal):
    draft_card(panel[0], candidate, "0.5", "组长草稿")
    draft_card(panel[1], candidate, "0.7", "组员草稿")
    rows = sheet_rows(sheet_for(team, municipal))
    assert (rows[("panel0", "公开内容")], rows[("panel1", "公开内容")]) == ((10, "查资料", "组长草稿"), (14, "查资料", "组员草稿"))


def test_r19_sheet_prefills_the_democratic_suggestion_on_blank_rows(team, candidate, panel, municipal):
    services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=candidate.round.applications_open_on,
                               satisfied=40, basically_satisfied=5, dissatisfied=2)  # 45/47 = 95.7% → 15 × 0.957 = 14.355
    rows = sheet_rows(sheet_for(team, panel[0]))
    assert rows[("panel0", "群众满意度")][0] == 14.36
    assert rows[("panel1", "群众满意度")][0] == 14.36
    assert rows[("panel0", "公开内容")][0] is None
