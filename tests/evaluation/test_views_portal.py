"""Portal pages of evaluation (evaluation.views.portal): who reaches which page (404 otherwise), the evaluator's and the office's work."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from evaluation import services
from evaluation.enums import AssignmentState, ScorecardState
from evaluation.models import Assignment, Candidate, Criterion, EvaluationTable, Score, Scorecard
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import (
    METHOD_OF,
    MID_JUNE,
    RESULTS_URL,
    as_upload,
    disclosure_history,
    draft_card,
    full_scores,
    login_as,
    recommended_application,
    satisfaction_criterion,
    sheet_rows,
    submit_card,
)

pytestmark = pytest.mark.django_db


EXPECTED_CELL = ["按时公开率 66.7%（2/3）", "展示不足15天 1 次", "整改逾期 1 件", "未按期公开 1 次", "意见建议逾期 1 件", "群众满意度 80.0%（5 人次）"]


def _table_row(page, name):
    row = page[page.index(name):]
    return row[: row.index("</tr>")]


REOPEN_BUTTON = "退回修改"


ROLES = ["anonymous", "municipal", "admin", "leading", "evaluator", "county_user", "other_county_user", "org_user"]


def _client(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _expect(role, allowed):
    if role == "anonymous":
        return 302
    return 200 if role in allowed else 404


STAFF = {"municipal", "admin"}


READERS = {"municipal", "admin", "leading"}


PAGES = [
    ("tasks", lambda w: "/portal/evaluation/", {"municipal", "admin", "evaluator"}),
    ("own assignment", lambda w: f"/portal/evaluation/assignments/{w['mine'].pk}/", {"evaluator"}),
    ("someone else's assignment", lambda w: f"/portal/evaluation/assignments/{w['theirs'].pk}/", set()),
    ("rounds", lambda w: "/portal/evaluation/rounds/", READERS),
    ("round", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/", READERS),
    ("ranking", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/ranking/", READERS),
    ("calibration", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/calibration/", READERS),
    ("ranking export", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/export/ranking.xlsx", READERS),
    ("deliberation", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/deliberation/", READERS),
    ("publicity form", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/publicity/", STAFF),
    ("award", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/award/", STAFF),
    ("reevaluation", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/reevaluation/", STAFF),
    ("candidate (before publicity)", lambda w: f"/portal/evaluation/candidates/{w['candidate'].pk}/", READERS),
    ("democratic", lambda w: f"/portal/evaluation/candidates/{w['candidate'].pk}/democratic/", STAFF),
    ("objections", lambda w: "/portal/evaluation/objections/", STAFF),
    ("subsidies", lambda w: "/portal/evaluation/subsidies/", STAFF),
    ("team sheet", lambda w: f"/portal/evaluation/teams/{w['team'].pk}/sheet.xlsx", STAFF),
    ("team import", lambda w: f"/portal/evaluation/teams/{w['team'].pk}/import/", STAFF),
]


def _form_data(table, fraction=0.9):
    data = {}
    for c in table.criteria.all():
        data[f"points_{c.pk}"] = str(round(float(c.max_points) * fraction, 2))
        data[f"methods_{c.pk}"] = c.methods[:1]
        data[f"notes_{c.pk}"] = "已核实"
    return data


def test_round_page_team_select_offers_none_and_shows_the_current_team(client, municipal, candidate, other_candidate, teams):
    team_a, team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_b.pk)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{candidate.round_id}/").content.decode()
    mine, other = (page.split(f'name="candidate" value="{c.pk}"')[1].split("</select>")[0] for c in (candidate, other_candidate))
    assert f'<option value="{team_b.pk}" selected>第二考评组</option>' in mine and '<option value="" selected>' not in mine
    assert '<option value="" selected>— 未分配 —</option>' in other and " selected>第" not in other


def test_round_page_moves_a_candidate_off_its_team_with_the_empty_option(client, municipal, candidate, teams):
    team_a, _team_b = teams
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team_a.pk)
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/rounds/{candidate.round_id}/do/team/", {"candidate": candidate.pk, "team": ""}, follow=True)
    assert "已取消麒麟区第一党支部的考评组分配。" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).team is None


def test_round_page_withdraws_an_assignment_and_shows_the_reason(client, municipal, assignment, candidate):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "该考评人员借调外地"}, follow=True)
    body = response.content.decode()
    assert "已撤回evaluator对麒麟区第一党支部的考评分工。" in body
    assert "已撤回分工" in body and "该考评人员借调外地" in body
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.WITHDRAWN


def test_candidate_page_withdraws_back_to_the_candidate(client, municipal, assignment, candidate):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整", "back": "candidate"})
    assert response["Location"] == f"/portal/evaluation/candidates/{candidate.pk}/"


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("leading", 404), ("evaluator", 404), ("county_user", 404), ("org_user", 404)])
def test_only_the_office_withdraws_in_the_portal(client, request, assignment, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.post(f"/portal/evaluation/assignments/{assignment.pk}/withdraw/", {"reason": "调整"}).status_code == expected
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.PENDING


def test_round_page_query_count_is_constant(client, municipal, eval_round, county, panel, django_assert_max_num_queries):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        for _ in range(n):
            app = recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            submit_card(panel[0], app.candidate)
            services.assignment_create(actor=municipal, candidate_id=app.candidate.pk, evaluator_id=panel[1].pk)

    client.force_login(municipal)
    add(1)
    client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    add(3)
    with django_assert_max_num_queries(30) as large:
        client.get(f"/portal/evaluation/rounds/{eval_round.pk}/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_points_inputs_step_by_hundredths_between_zero_and_the_maximum(client, evaluator, declared, eval_round):
    client.force_login(evaluator)
    page = client.get(f"/portal/evaluation/assignments/{declared.pk}/").content.decode()
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    [tag] = re.findall(rf'<input type="number" name="points_{content.pk}"[^>]*>', page)
    assert ('step="0.01"' in tag, 'min="0"' in tag, 'max="20.00"' in tag) == (True, True, True)
    assert 'step="0.5"' not in page


def test_a_two_decimal_score_is_saved_from_the_form(client, evaluator, declared, eval_round):
    client.force_login(evaluator)
    data = {"save": "1"}
    for c in eval_round.evaluation_table.criteria.all():
        data |= {f"points_{c.pk}": str(c.max_points - 1), f"methods_{c.pk}": c.methods[:1]}
    data[f"points_{satisfaction_criterion(eval_round).pk}"] = "14.56"
    assert client.post(f"/portal/evaluation/assignments/{declared.pk}/", data).status_code == 302
    assert Score.objects.get(criterion__name="群众满意度").points == Decimal("14.56")


def test_r19_the_form_offers_the_suggestion_on_the_satisfaction_criterion(client, evaluator, declared, democratic, eval_round):
    client.force_login(evaluator)
    page = client.get(f"/portal/evaluation/assignments/{declared.pk}/").content.decode()
    assert f'name="points_{satisfaction_criterion(eval_round).pk}" value="14.36"' in page
    assert "折算“群众满意度”建议得分 14.36" in page


def test_the_portal_shows_the_submit_refusal_on_the_field(client, declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "1"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(max_points=15)
    client.force_login(evaluator)
    response = client.post(f"/portal/evaluation/assignments/{declared.pk}/", {"submit": "1"})
    assert response.status_code == 400
    assert "“公开内容”满分15分，得分20分超过满分。" in response.content.decode()


def test_default_table_clicked_in_english_through_the_portal_is_chinese(client, municipal, city):
    round_ = f.RoundFactory(organizer=city, status="closed")
    client.force_login(municipal)
    with translation.override("zh-hans"):  # the English request's language ends with the block, not in later tests
        client.post("/i18n/setlang/", {"language": "en"})
        client.post(f"/portal/evaluation/rounds/{round_.pk}/do/table/", HTTP_ACCEPT_LANGUAGE="en")
    assert list(EvaluationTable.objects.get(round=round_).criteria.values_list("name", flat=True))[-1] == "特色亮点"


@pytest.mark.usefixtures("mid_june_2026")
def test_ranking_page_shows_the_disclosure_record_beside_the_scores(client, municipal, recorded, other_candidate):
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/ranking/").content.decode()
    assert "党务公开记录（近12个月）" in page
    row = page[page.index(recorded.organization.name):]
    row = row[: row.index("</tr>")]
    assert "90.00" in row
    for text in EXPECTED_CELL:
        assert text in row
    other = page[page.index(other_candidate.organization.name):]
    other = other[: other.index("</tr>")]
    assert "未公开事项" in other and "暂无群众满意度评价" in other
    assert "66.7%" not in other


@pytest.mark.usefixtures("mid_june_2026")
def test_candidate_page_shows_the_full_disclosure_record(client, municipal, recorded):
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/candidates/{recorded.pk}/").content.decode()
    section = page[page.index("党务公开记录（近12个月，R6、R20）"):]
    section = section[: section.index("</section>")]
    for text in ["66.7%（按时 2 项，共公开 3 项）", "展示不足15天（R17）</dt><dd>1 次", "未按期公开（R16）</dt><dd>1 次",
                 "100.0%（1/1 条）", "收到 1 条，按时答复 0 条，逾期 1 条", "下发 1 件，未销号 1 件，逾期 1 件", "80.0%（5 人次评价）"]:
        assert text in section


@pytest.mark.usefixtures("mid_june_2026")
@pytest.mark.parametrize("role, expected", [("county_user", 404), ("other_county_user", 404), ("evaluator", 404), ("org_user", 404),
                                            ("leading", 200), ("municipal", 200), ("admin", 200)])
def test_only_staff_read_the_disclosure_record_in_the_ranking(client, request, recorded, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/ranking/")
    assert response.status_code == expected
    if expected == 200:
        assert "按时公开率 66.7%（2/3）" in response.content.decode()


@pytest.mark.usefixtures("mid_june_2026")
def test_ranking_page_query_count_stays_constant_with_disclosure_records(client, municipal, eval_round, county, panel):
    client.force_login(municipal)

    def add(n):
        for _ in range(n):
            organization = f.OrganizationFactory(jurisdiction=county)
            disclosure_history(organization, MID_JUNE)
            recommended_application(eval_round, organization)
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            submit_card(panel[0], Candidate.objects.get(application__organization=organization))

    url = f"/portal/evaluation/rounds/{eval_round.pk}/ranking/"
    add(1)
    client.get(url)  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("按时公开率 66.7%（2/3）") == 5
    assert len(small.captured_queries) == len(large.captured_queries)


def test_reevaluation_page_shows_the_revocation_decision_and_plaque_recall(client, municipal, reevaluations):
    kept, failed = reevaluations
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{failed.round_id}/reevaluation/").content.decode()
    revoked = _table_row(page, "撤销的示范点")
    assert "撤销称号" in revoked
    assert "决定文号：曲党务公开办〔2026〕7号；决定日期：2026-03-02" in revoked
    assert "牌匾收回日期：2026-03-09" in revoked
    retained = _table_row(page, "保留的示范点")
    assert "保留称号" in retained and "决定文号" not in retained


def test_reevaluation_page_says_when_the_plaque_is_not_yet_recalled(client, municipal, reevaluations):
    from evaluation.models import Revocation

    _kept, failed = reevaluations
    Revocation.objects.filter(candidate=failed).update(plaque_recalled_on=None)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{failed.round_id}/reevaluation/").content.decode()
    assert "牌匾尚未收回" in _table_row(page, "撤销的示范点")


@pytest.mark.parametrize("status, shown", [(RoundStatus.EVALUATING, True), (RoundStatus.PUBLICITY, False), (RoundStatus.FINISHED, False)])
def test_reopen_button_only_while_the_round_is_evaluated(client, municipal, candidate, panel, status, shown):
    submit_card(panel[0], candidate)
    Round.objects.filter(pk=candidate.round_id).update(status=status)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert (REOPEN_BUTTON in page) is shown
    assert "90.00" in page


def test_leading_group_never_sees_the_reopen_button(client, leading, candidate, panel):
    submit_card(panel[0], candidate)
    client.force_login(leading)
    page = client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert "90.00" in page and REOPEN_BUTTON not in page


def test_reopen_still_works_from_the_candidate_page_while_evaluating(client, municipal, candidate, panel):
    card = submit_card(panel[0], candidate)
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/scorecards/{card.pk}/reopen/", {"reason": "方法填写不全"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.state, card.reopen_reason) == ("draft", "方法填写不全")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, url, allowed", PAGES, ids=[p[0] for p in PAGES])
def test_portal_page_matrix(client, request, world, role, name, url, allowed):
    response = _client(client, request, role).get(url(world))
    assert response.status_code == _expect(role, allowed)


@pytest.mark.parametrize("role, expected", [("county_user", 200), ("other_county_user", 404), ("evaluator", 404), ("org_user", 404), ("municipal", 200),
                                            ("admin", 200), ("leading", 200)])
def test_county_reads_own_candidate_once_publicity_opens(client, request, world, role, expected):
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    response = _client(client, request, role).get(f"/portal/evaluation/candidates/{world['candidate'].pk}/")
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_staff_posts_are_404_for_everyone_else(client, request, world, role):
    response = _client(client, request, role).post(f"/portal/evaluation/rounds/{world['round'].pk}/do/candidates/")
    assert response.status_code == {"anonymous": 302, "municipal": 302, "admin": 302}.get(role, 404)


def test_ranking_page_states_the_trimmed_mean_rule(client, municipal, world):
    client.force_login(municipal)
    body = client.get(f"/portal/evaluation/rounds/{world['round'].pk}/ranking/").content.decode()
    assert "考评人员达到 5 人及以上时，先去掉一个最高分和一个最低分再平均" in body


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("municipal", 200), ("admin", 200), ("leading", 200), ("county_user", 200),
                                            ("other_county_user", 200), ("evaluator", 404), ("org_user", 404)])
def test_inspection_page_matrix(client, request, world, role, expected):
    assert _client(client, request, role).get("/portal/evaluation/inspections/").status_code == expected


def test_county_sees_only_own_inspections_and_records_for_own_units(client, county_user, org, other_org, municipal):
    from .factories import InspectionFactory

    InspectionFactory(organization=org, findings="麒麟区的检查")
    InspectionFactory(organization=other_org, findings="沾益区的检查")
    client.force_login(county_user)
    body = client.get("/portal/evaluation/inspections/").content.decode()
    assert "麒麟区的检查" in body and "沾益区的检查" not in body
    response = client.post("/portal/evaluation/inspections/", {"organization": other_org.pk, "kind": "daily", "inspected_on": timezone.localdate().isoformat(),
                                                              "findings": "越权记录", "rating": "fair"})
    assert response.status_code == 400  # not a choice for this county office
    client.post("/portal/evaluation/inspections/", {"organization": org.pk, "kind": "special", "inspected_on": timezone.localdate().isoformat(),
                                                   "findings": "公开栏未更新", "rating": "fair"})
    assert org.inspections.filter(findings="公开栏未更新").exists()


def test_evaluator_declares_then_scores_and_submits(client, evaluator, assignment, eval_round):
    client.force_login(evaluator)
    page = client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()
    assert "利益冲突声明（R5）" in page and "<h2>申报材料</h2>" not in page
    client.post(f"/portal/evaluation/assignments/{assignment.pk}/declare/", {"conflict": "no"})
    page = client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()
    assert "<h2>申报材料</h2>" in page
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/", {**_form_data(eval_round.evaluation_table), "submit": "1"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.scorecard.state, str(assignment.scorecard.total)) == (ScorecardState.SUBMITTED, "90.00")
    assert "已提交并锁定" in client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()


def test_evaluator_sees_the_maximum_error_on_the_field(client, evaluator, declared, eval_round):
    client.force_login(evaluator)
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    data = {**_form_data(eval_round.evaluation_table), f"points_{content.pk}": "25", "save": "1"}
    response = client.post(f"/portal/evaluation/assignments/{declared.pk}/", data)
    assert response.status_code == 400
    assert "确保该值小于或等于20" in response.content.decode() or "满分20分" in response.content.decode()


def test_evaluator_declaring_conflict_is_taken_off(client, evaluator, assignment):
    client.force_login(evaluator)
    client.post(f"/portal/evaluation/assignments/{assignment.pk}/declare/", {"conflict": "yes", "note": "配偶在该单位工作"})
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.CONFLICTED
    assert client.get(f"/portal/evaluation/assignments/{assignment.pk}/").status_code == 404


def test_tasks_page_query_count_is_constant(client, evaluator, eval_round, county, django_assert_max_num_queries, municipal):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        for _ in range(n):
            app = recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            services.assignment_create(actor=municipal, candidate_id=app.candidate.pk, evaluator_id=evaluator.pk)

    client.force_login(evaluator)
    add(1)
    client.get("/portal/evaluation/")
    with django_assert_max_num_queries(12) as small:
        client.get("/portal/evaluation/")
    add(3)
    with django_assert_max_num_queries(12) as large:
        client.get("/portal/evaluation/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_staff_objection_page_shows_deadline_explanation_and_contact(client, publicity, municipal):
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", objector_contact="13800000000")
    client.force_login(municipal)
    body = client.get(f"/portal/evaluation/objections/{objection.pk}/").content.decode()
    assert "13800000000" in body and "个工作日，截止" in body


def test_staff_answers_objection_in_portal(client, publicity, municipal):
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", entry_id=publicity.entries.get().pk)
    client.force_login(municipal)
    client.post(f"/portal/evaluation/objections/{objection.pk}/", {"outcome": "upheld", "reply": "异议成立。", "investigation": "核实"})
    objection.refresh_from_db()
    assert objection.state == "upheld"


def test_award_page_shows_refusal_while_publicity_runs(client, publicity, municipal, eval_round):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/rounds/{eval_round.pk}/award/", {"awarded_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "公示期未结束" in response.content.decode()


def test_ranking_and_calibration_pages_draw_svg(client, municipal, candidate, panel):
    submit_card(panel[0], candidate, "0.8")
    submit_card(panel[1], candidate, "0.9")
    client.force_login(municipal)
    assert "<svg" in client.get(f"/portal/evaluation/rounds/{candidate.round_id}/ranking/").content.decode()
    assert "<svg" in client.get(f"/portal/evaluation/rounds/{candidate.round_id}/calibration/").content.decode()


def test_exports_are_excel(client, municipal, candidate, panel):
    submit_card(panel[0], candidate)
    client.force_login(municipal)
    for kind in ("ranking", "shortlist", "roster"):
        response = client.get(f"/portal/evaluation/rounds/{candidate.round_id}/export/{kind}.xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_r5_materials_open_only_after_declaration_and_only_to_the_assigned_evaluator(client, evaluator, other_evaluator, assignment, candidate):

    from sites.models import ApplicationMaterial

    material = ApplicationMaterial.objects.create(application=candidate.application, title="创建报告", uploaded_by=evaluator,
                                                  file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 demo"))
    url = f"/portal/evaluation/assignments/{assignment.pk}/materials/{material.pk}/"
    client.force_login(evaluator)
    assert client.get(url).status_code == 404  # not declared yet
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_evaluator)
    assert client.get(url).status_code == 404


def test_objection_list_query_count_is_constant(client, publicity, municipal, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", entry_id=publicity.entries.get().pk)

    client.force_login(municipal)
    add(1)
    client.get("/portal/evaluation/objections/")
    with django_assert_max_num_queries(15) as small:
        client.get("/portal/evaluation/objections/")
    add(4)
    with django_assert_max_num_queries(15) as large:
        client.get("/portal/evaluation/objections/")
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.parametrize("role", ROLES)
def test_results_page_matrix(client, request, published, role):
    expected = {"anonymous": 302, "county_user": 200, "other_county_user": 200}.get(role, 404)
    assert login_as(client, request, role).get(RESULTS_URL).status_code == expected


def test_county_office_sees_its_own_candidates_results_with_links(client, county_user, published, candidate, other_candidate):
    client.force_login(county_user)
    body = client.get(RESULTS_URL).content.decode()
    assert "麒麟区第一党支部" in body and "85.00" in body
    assert f'href="/portal/evaluation/candidates/{candidate.pk}/"' in body
    assert "沾益区某党支部" not in body and "70.00" not in body
    assert '<svg class="chart strip"' in body  # the panel's spread, as a picture
    # The link opens the candidate's results.
    assert "85.00" in client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert client.get(f"/portal/evaluation/candidates/{other_candidate.pk}/").status_code == 404


def test_nothing_is_listed_before_the_publicity_opens(client, county_user, eval_round, candidate, panel):
    submit_card(panel[0], candidate, "0.9")
    client.force_login(county_user)
    body = client.get(RESULTS_URL).content.decode()
    assert "暂无已公示的考评结果。" in body and "麒麟区第一党支部" not in body


def test_results_page_query_count_is_constant(client, county_user, published, county, panel, django_assert_max_num_queries):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        Round.objects.filter(pk=published.pk).update(status=RoundStatus.EVALUATING)
        for _ in range(n):
            app = recommended_application(published, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=published.pk)
            submit_card(panel[2], app.candidate, "0.85")
        Round.objects.filter(pk=published.pk).update(status=RoundStatus.PUBLICITY)

    client.force_login(county_user)
    client.get(RESULTS_URL)
    with django_assert_max_num_queries(15) as small:
        client.get(RESULTS_URL)
    add(3)
    with django_assert_max_num_queries(15) as large:
        body = client.get(RESULTS_URL).content.decode()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert body.count("/portal/evaluation/candidates/") == 4


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("municipal", 200), ("admin", 200), ("leading", 404), ("evaluator", 200), ("county_user", 404),
                                            ("other_county_user", 404), ("org_user", 404)])
def test_teams_page_matrix(client, request, team, role, expected):
    assert login_as(client, request, role).get("/portal/evaluation/teams/").status_code == expected


@pytest.mark.parametrize("who, expected", [("leader", 200), ("member", 404), ("municipal", 200), ("admin", 200), ("leading", 404),
                                           ("county_user", 404)])
def test_team_sheet_download_is_for_the_office_and_the_team_leader(client, team, panel, municipal, admin, leading, county_user, who, expected):
    user = {"leader": panel[0], "member": panel[1], "municipal": municipal, "admin": admin, "leading": leading, "county_user": county_user}[who]
    client.force_login(user)
    assert client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").status_code == expected


def test_the_portal_sheet_of_a_leader_hides_a_colleagues_draft(client, team, candidate, panel):
    draft_card(panel[1], candidate, "0.7", "组员草稿")
    client.force_login(panel[0])
    workbook = load_workbook(BytesIO(client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").content))
    assert sheet_rows(workbook)[("panel1", "公开内容")] == (None, None, None)


def test_leader_round_trip_through_the_portal_lands_on_the_teams_page(client, team, candidate, panel):
    draft_card(panel[0], candidate, "0.5", "组长草稿")  # pre-filled: the leader's own draft, submitted by the upload
    client.force_login(panel[0])
    workbook = load_workbook(BytesIO(client.get(f"/portal/evaluation/teams/{team.pk}/sheet.xlsx").content))
    for row in workbook["评分表"].iter_rows(min_row=4):
        if row[6].value is None:
            row[6].value, row[7].value = float(row[5].value) * 0.9, METHOD_OF[row[4].value]
    response = client.post(f"/portal/evaluation/teams/{team.pk}/import/", {"file": as_upload(workbook)})
    assert (response.status_code, response["Location"]) == (302, "/portal/evaluation/teams/")
    assert sorted(Scorecard.objects.values_list("assignment__evaluator__username", "state", "total")) == [
        ("panel0", ScorecardState.SUBMITTED, 50), ("panel1", ScorecardState.SUBMITTED, 90)]
    assert "已导入并提交 2 份评分表。" in client.get(response["Location"]).content.decode()


def test_round_page_lists_team_members_and_methods_with_the_languages_separator(client, municipal, eval_round, panel, english):
    services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[panel[0].pk, panel[1].pk])
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{eval_round.pk}/").content.decode()
    assert "<strong>第一组</strong>：panel0、panel1" in page
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(f"/portal/evaluation/rounds/{eval_round.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>第一组</strong>: panel0, panel1" in page
    assert "Hearing reports, Checking materials" in page
