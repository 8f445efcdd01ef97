"""Scores with two decimals everywhere (form, API, sheet), the 民主测评 suggestion (R19) fed the same way,
scores checked again against the current table on submission (R4), and the default table stored in Chinese."""
import re
from decimal import Decimal

import pytest
from django.utils import translation

from evaluation import services
from evaluation.enums import ScorecardState
from evaluation.models import Criterion, EvaluationTable, Score
from qujing_disclosure.core.errors import DomainError
from tests import factories as f

from .factories import full_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def democratic(candidate, municipal):
    """45 of 47 ballots satisfied or basically satisfied: 95.7%, so 群众满意度 suggests 15 × 0.957 = 14.36."""
    return services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=candidate.round.applications_open_on,
                                      satisfied=40, basically_satisfied=5, dissatisfied=2)


def _satisfaction(round_):
    return round_.evaluation_table.criteria.get(name="群众满意度")


# --- item: the web form takes two decimals ---------------------------------------------------------
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
    data[f"points_{_satisfaction(eval_round).pk}"] = "14.56"
    assert client.post(f"/portal/evaluation/assignments/{declared.pk}/", data).status_code == 302
    assert Score.objects.get(criterion__name="群众满意度").points == Decimal("14.56")


def test_r19_the_form_offers_the_suggestion_on_the_satisfaction_criterion(client, evaluator, declared, democratic, eval_round):
    client.force_login(evaluator)
    page = client.get(f"/portal/evaluation/assignments/{declared.pk}/").content.decode()
    assert f'name="points_{_satisfaction(eval_round).pk}" value="14.36"' in page
    assert "折算“群众满意度”建议得分 14.36" in page


# --- the same suggestion in the API -------------------------------------------------------------------
def test_r19_api_assignment_offers_suggested_points_once_declared(api_client_for, assignment, evaluator, democratic, eval_round):
    api = api_client_for("evaluator")
    assert api.get(f"/api/v1/evaluation/assignments/{assignment.pk}/").json()["suggested_points"] == []  # R5: not before declaring
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    body = api.get(f"/api/v1/evaluation/assignments/{assignment.pk}/").json()
    assert body["suggested_points"] == [{"criterion": _satisfaction(eval_round).pk, "suggested_points": "14.36"}]


def test_r19_api_democratic_record_carries_the_rate_and_the_suggestion(api_client_for, democratic, candidate):
    [row] = api_client_for("municipal").get("/api/v1/evaluation/democratic/").json()["results"]
    assert (row["candidate"], row["ballots"], row["satisfaction_rate"], row["suggested_points"]) == (candidate.pk, 47, "95.7", "14.36")


def test_api_accepts_a_two_decimal_score(api_client_for, declared, eval_round):
    satisfaction = _satisfaction(eval_round)
    response = api_client_for("evaluator").put(f"/api/v1/evaluation/assignments/{declared.pk}/scorecard/", {
        "scores": [{"criterion": satisfaction.pk, "points": "14.36", "methods": ["democratic"]}]}, format="json")
    assert (response.status_code, response.json()["scorecard"]["total"]) == (200, "14.36")


# --- R4: a submitted score is within the current table ---------------------------------------------------
def test_lowering_a_maximum_below_a_draft_score_is_refused_with_the_score(declared, evaluator, eval_round, municipal):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores={content.pk: {"points": "18.5", "methods": ["materials"]}})
    with pytest.raises(DomainError) as exc:
        services.criterion_save(actor=municipal, table_id=eval_round.evaluation_table.pk, criterion_id=content.pk, group=content.group,
                                name=content.name, max_points="15", guidance=content.guidance, methods=content.methods)
    assert (exc.value.field, str(exc.value)) == ("max_points", "“公开内容”已有考评人员评了18.5分，分值不能低于18.5分；如需降低，请先请考评人员修改评分。")
    assert Criterion.objects.get(pk=content.pk).max_points == 20
    # Down to the draft score itself is allowed.
    services.criterion_save(actor=municipal, table_id=eval_round.evaluation_table.pk, criterion_id=content.pk, group=content.group,
                            name=content.name, max_points="18.5", guidance=content.guidance, methods=content.methods)
    assert Criterion.objects.get(pk=content.pk).max_points == Decimal("18.5")


def test_submit_checks_every_score_against_the_current_maximum(declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "1"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(max_points=15)  # changed behind the service's back
    with pytest.raises(DomainError) as exc:
        services.scorecard_submit(actor=evaluator, assignment_id=declared.pk)
    assert (exc.value.field, str(exc.value)) == (f"points_{content.pk}", "“公开内容”满分15分，得分20分超过满分。")
    assert declared.scorecard.state == ScorecardState.DRAFT


def test_submit_checks_every_score_against_the_current_methods(declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "0.9"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(methods=["on_site"])
    with pytest.raises(DomainError) as exc:
        services.scorecard_submit(actor=evaluator, assignment_id=declared.pk)
    assert str(exc.value) == "“公开内容”的考评方式为实地察看，不包括查资料（R4）。"


def test_the_portal_shows_the_submit_refusal_on_the_field(client, declared, evaluator, eval_round):
    table = eval_round.evaluation_table
    services.scorecard_save(actor=evaluator, assignment_id=declared.pk, scores=full_scores(table, "1"))
    content = table.criteria.get(name="公开内容")
    Criterion.objects.filter(pk=content.pk).update(max_points=15)
    client.force_login(evaluator)
    response = client.post(f"/portal/evaluation/assignments/{declared.pk}/", {"submit": "1"})
    assert response.status_code == 400
    assert "“公开内容”满分15分，得分20分超过满分。" in response.content.decode()


# --- the default table is data, stored in Chinese ---------------------------------------------------------
def test_default_table_is_stored_in_chinese_whatever_the_active_language(open_round, municipal):
    with translation.override("en"):
        table = services.table_create_default(actor=municipal, round_id=open_round.pk)
    table = EvaluationTable.objects.get(pk=table.pk)
    assert table.title == "党务公开工作示范点量化考评表"
    assert [c.name for c in table.criteria.all()][:3] == ["组织领导", "制度建设", "公开内容"]
    assert table.criteria.get(name="公开时间").guidance == "每月1—10日集中公开，公开不少于15天，及时公开事项按时公开"
    assert set(table.criteria.values_list("group", flat=True)) == {"基础工作", "公开实施", "工作成效"}


def test_default_table_clicked_in_english_through_the_portal_is_chinese(client, municipal, city):
    round_ = f.RoundFactory(organizer=city, status="closed")
    client.force_login(municipal)
    with translation.override("zh-hans"):  # the English request's language ends with the block, not in later tests
        client.post("/i18n/setlang/", {"language": "en"})
        client.post(f"/portal/evaluation/rounds/{round_.pk}/do/table/", HTTP_ACCEPT_LANGUAGE="en")
    assert list(EvaluationTable.objects.get(round=round_).criteria.values_list("name", flat=True))[-1] == "特色亮点"
