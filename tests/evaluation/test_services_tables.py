"""The evaluation table and its criteria (evaluation.services.tables): the default table (R4), edits while no card is submitted."""
from decimal import Decimal

import pytest
from django.utils import translation

from evaluation import services
from evaluation.enums import Method
from evaluation.models import Criterion, EvaluationTable
from qujing_disclosure.core.errors import DomainError, NotPermitted

from .factories import submit_card

pytestmark = pytest.mark.django_db


def test_service_criterion_delete_refuses_a_locked_table(candidate, evaluator, municipal):
    from qujing_disclosure.core.errors import DomainError

    from .factories import submit_card

    submit_card(evaluator, candidate)
    with pytest.raises(DomainError) as exc:
        services.criterion_delete(actor=municipal, criterion_id=candidate.round.evaluation_table.criteria.first().pk)
    assert exc.value.code == "table_locked"


def test_default_table_totals_100_with_eight_criteria(eval_round):
    table = eval_round.evaluation_table
    assert table.total_points == Decimal("100")
    assert [c.name for c in table.criteria.all()] == ["组织领导", "制度建设", "公开内容", "公开形式", "公开程序", "公开时间", "群众满意度", "特色亮点"]


def test_default_table_methods_are_the_five_r4_methods(eval_round):
    used = {m for c in eval_round.evaluation_table.criteria.all() for m in c.methods}
    assert used <= set(Method.values)
    assert used == set(Method.values)


def test_table_create_default_is_idempotent(eval_round, municipal):
    again = services.table_create_default(actor=municipal, round_id=eval_round.pk)
    assert again.pk == eval_round.evaluation_table.pk
    assert Criterion.objects.filter(table=again).count() == 8


def test_table_create_refused_for_county_user(open_round, county_user):
    with pytest.raises(NotPermitted):
        services.table_create_default(actor=county_user, round_id=open_round.pk)


def test_criterion_cannot_change_after_a_submitted_scorecard(candidate, evaluator, municipal):
    submit_card(evaluator, candidate)
    table = candidate.round.evaluation_table
    with pytest.raises(DomainError) as exc:
        services.criterion_save(actor=municipal, table_id=table.pk, group="x", name="新增项目", max_points=5, methods=["hearing"])
    assert exc.value.code == "table_locked"


def test_criterion_needs_a_method_r4(eval_round, municipal):
    with pytest.raises(DomainError) as exc:
        services.criterion_save(actor=municipal, table_id=eval_round.evaluation_table.pk, group="x", name="新增", max_points=5, methods=[])
    assert exc.value.rule == "R4"


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


def test_default_table_is_stored_in_chinese_whatever_the_active_language(open_round, municipal):
    with translation.override("en"):
        table = services.table_create_default(actor=municipal, round_id=open_round.pk)
    table = EvaluationTable.objects.get(pk=table.pk)
    assert table.title == "党务公开工作示范点量化考评表"
    assert [c.name for c in table.criteria.all()][:3] == ["组织领导", "制度建设", "公开内容"]
    assert table.criteria.get(name="公开时间").guidance == "每月1—10日集中公开，公开不少于15天，及时公开事项按时公开"
    assert set(table.criteria.values_list("group", flat=True)) == {"基础工作", "公开实施", "工作成效"}


def test_method_lists_in_domain_errors_follow_the_language(english):
    with pytest.raises(DomainError) as chinese:
        services.validate_methods(["fax", "telegram"])
    assert "fax、telegram" in str(chinese.value)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.validate_methods(["fax", "telegram"])
    assert "fax, telegram" in str(caught.value)
