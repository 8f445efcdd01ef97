"""The quantitative evaluation table of a round and its criteria (R4): written by the municipal office
while no scorecard of the round is submitted; every change audited with old and new values."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import fields_update, lock

from ..enums import DEFAULT_TABLE, Method
from ..models import Criterion, EvaluationTable, Score
from ..selectors import fmt, table_is_locked
from .common import SOURCE_LANGUAGE, round_locked


def _table_locked_error() -> DomainError:
    return DomainError(_("本轮已有提交的评分，考评表不能再修改。"), field="table", code="table_locked")


@transaction.atomic
def table_create_default(*, actor: User | None, round_id: int) -> EvaluationTable:
    """Give a round the default quantitative evaluation table (DOMAIN.md), totalling 100.

    The municipal office (or a job). Idempotent: a round that has a table keeps it. Criteria are data,
    stored in Chinese (the source language) whatever the language of the person who clicked; the
    interface translates labels, not data. One audit row `evaluation.table.create`."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    existing = EvaluationTable.objects.filter(round=round_).first()
    if existing:
        return existing
    with translation.override(SOURCE_LANGUAGE):
        table = EvaluationTable.objects.create(round=round_, title=str(EvaluationTable._meta.get_field("title").default))
        Criterion.objects.bulk_create(
            Criterion(table=table, group=str(group), name=str(name), max_points=Decimal(points), guidance=str(guidance),
                      methods=list(methods), rules=rule_ids, fed_by_democratic=fed, order=index * 10)
            for index, (group, name, points, guidance, methods, rule_ids, fed) in enumerate(DEFAULT_TABLE, start=1)
        )
    audit_record(actor=actor, action="evaluation.table.create", target=table, data={"round": round_.pk, "total": 100})
    return table


def validate_methods(methods: Iterable[str] | None, *, field: str = "methods") -> list[str]:
    """R4: only the five evaluation methods (duplicates dropped, order kept)."""
    methods = list(dict.fromkeys(methods or []))
    unknown = [m for m in methods if m not in Method.values]
    if unknown:
        raise DomainError(_("未知的考评方式：%(names)s（R4 只有听汇报、查资料、实地察看、走访座谈、民主测评）。") % {"names": _("、").join(unknown)},
                          field=field, code="unknown_method", rule="R4")
    return methods


def criterion_methods_check(methods: Iterable[str] | None) -> list[str]:
    """R4: a criterion names at least one of the five methods (a new table's criterion is checked by this alone)."""
    methods = validate_methods(methods)
    if not methods:
        raise DomainError(_("每个考评项目至少选择一种考评方式（R4）。"), field="methods", code="methods_required", rule="R4")
    return methods


def criterion_check(*, table: EvaluationTable, criterion: Criterion | None = None, max_points, methods) -> tuple[Decimal, list[str]]:
    """The checks of a criterion change, without writing: (max_points, methods) cleaned, or a DomainError.
    The admin form's clean() calls it so the input is kept with the message on its field.

    R4: at least one of the five methods. A maximum may not fall below a draft score already given
    for the criterion (the evaluator would hold a score above the maximum)."""
    if table_is_locked(table):
        raise _table_locked_error()
    methods = criterion_methods_check(methods)
    try:
        max_points = Decimal(str(max_points))
    except (InvalidOperation, ValueError):
        raise DomainError(_("分值必须是数字。"), field="max_points", code="not_a_number") from None
    if not max_points.is_finite() or max_points <= 0:
        raise DomainError(_("分值必须大于0。"), field="max_points", code="not_positive")
    if criterion is not None and criterion.pk:
        highest = Score.objects.filter(criterion_id=criterion.pk).aggregate(highest=Max("points"))["highest"]
        if highest is not None and max_points < highest:
            raise DomainError(
                _("“%(name)s”已有考评人员评了%(points)s分，分值不能低于%(points)s分；如需降低，请先请考评人员修改评分。") % {
                    "name": criterion.name, "points": fmt(highest)},
                field="max_points", code="below_existing_score", rule="R4")
    return max_points, methods


@transaction.atomic
def table_save(*, actor: User | None, round_id: int, title: str, note: str = "", table_id: int | None = None) -> EvaluationTable:
    """Create a round's evaluation table (empty; add criteria with criterion_save) or change its title and note.

    The municipal office. One table per round; an edit records old and new values, nothing when unchanged."""
    round_ = round_locked(round_id)
    require(actor, "evaluation.manage", round_)
    if table_id:
        table = lock(EvaluationTable.objects.filter(round=round_), pk=table_id)
        fields_update(table, {"title": title, "note": note}, actor=actor, action="evaluation.table.save", data={"round": round_.pk})
        return table
    if EvaluationTable.objects.filter(round=round_).exists():
        raise DomainError(_("轮次“%(round)s”已有量化考评表。") % {"round": round_.name}, field="round", code="table_exists")
    table = EvaluationTable.objects.create(round=round_, title=title, note=note)
    audit_record(actor=actor, action="evaluation.table.save", target=table, data={"round": round_.pk, "title": title})
    return table


@transaction.atomic
def criterion_save(*, actor: User | None, table_id: int, criterion_id: int | None = None, group: str, name: str, max_points, guidance: str = "",
                   methods: Iterable[str], rules: str = "", fed_by_democratic: bool = False, order: int = 0) -> Criterion:
    """Add or change one criterion of a table that has no submitted scores yet (criterion_check).

    The municipal office. Audited in the table's history (`evaluation.criterion.save`) with old and new
    values; a save that changes nothing writes nothing."""
    table = lock(EvaluationTable, pk=table_id)
    require(actor, "evaluation.manage", table)
    criterion = lock(Criterion.objects.filter(table=table), pk=criterion_id) if criterion_id else None
    max_points, methods = criterion_check(table=table, criterion=criterion, max_points=max_points, methods=methods)
    values = dict(group=group, name=name, max_points=max_points, guidance=guidance, methods=methods, rules=rules,
                  fed_by_democratic=fed_by_democratic, order=order)
    if criterion is not None:
        fields_update(criterion, values, actor=actor, action="evaluation.criterion.save", audit_target=table,
                      data={"criterion": criterion.pk, "name": name})
        return criterion
    if Criterion.objects.filter(table=table, name=name).exists():
        raise DomainError(_("考评表中已有名为“%(name)s”的项目。") % {"name": name}, field="name", code="criterion_exists")
    criterion = Criterion.objects.create(table=table, **values)
    audit_record(actor=actor, action="evaluation.criterion.save", target=table,
                 data={"criterion": criterion.pk, "name": name, "max_points": str(max_points)})
    return criterion


@transaction.atomic
def criterion_delete(*, actor: User | None, criterion_id: int) -> None:
    """Take a criterion out of a table still being drawn up: no submitted card in the round, no draft score for it.

    The municipal office. A draft of the table, never scored, is not an official record: the row goes,
    the table's history keeps what it was."""
    criterion = lock(Criterion.objects.select_related("table"), pk=criterion_id)
    table = criterion.table
    require(actor, "evaluation.manage", table)
    if table_is_locked(table):
        raise _table_locked_error()
    if Score.objects.filter(criterion=criterion).exists():
        raise DomainError(_("“%(name)s”已有考评人员评分，不能删除。") % {"name": criterion.name}, field="table", code="criterion_in_use")
    data = {"criterion": criterion.pk, "name": criterion.name, "max_points": str(criterion.max_points)}
    criterion.delete()
    audit_record(actor=actor, action="evaluation.criterion.delete", target=table, data=data)
