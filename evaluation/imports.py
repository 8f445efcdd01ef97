"""Import of a team's filled-in score sheet: every row is checked, then all of it is taken or nothing.

Each problem is reported by sheet, row and column in Chinese. Paper teams sign the R5
declaration on paper, so an imported card records the declaration on the evaluator's behalf.
The import acts as the importing user (the municipal office or the team leader) through the same
services as the web form (`on_paper=True`): their permission is checked and every row audited in their name.
"""
import re
from collections import defaultdict
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.excel import FORMULA_TRIGGERS
from qujing_disclosure.core.models import User
from sites.enums import RoundStatus

from . import services
from .enums import AssignmentState, Method, ScorecardState
from .exports import HEADER_ROW, SCORESHEET_HEADER, SCORESHEET_TITLE, SCORESHEET_VERSION
from .models import Assignment, Criterion, Team


@cache
def _method_codes():
    """R4 method names as a sheet may carry them → codes: the labels in every interface language
    (a sheet downloaded in English imports like one in Chinese), and the codes themselves."""
    codes = {m.value: m.value for m in Method}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            codes.update({str(m.label).casefold(): m.value for m in Method})
    return codes


# Several methods in one cell: separated by 、 (the template's), commas or semicolons, in either script.
_METHOD_SEPARATORS = re.compile(r"[、,，;；]")


class ImportRejected(DomainError):
    """The sheet was refused; `problems` lists every problem found. Nothing was written."""

    def __init__(self, problems):
        super().__init__(_("评分表有 %(n)d 处问题，未导入任何数据。") % {"n": len(problems)}, field="file", code="import_rejected")
        self.problems = problems


def _text(value):
    """A text cell as typed: trimmed, without the quote the export puts before text a spreadsheet would
    read as a formula (core.excel.safe_cell), so a note round-trips unchanged."""
    text = str(value or "").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


def _where(row, column):
    return _("工作表“%(sheet)s”第%(row)d行%(col)s列") % {"sheet": SCORESHEET_TITLE, "row": row, "col": get_column_letter(column)}


def _read(uploaded_file):
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload gets the same answer
        raise ImportRejected([_("文件不是有效的 Excel 工作簿（.xlsx），请使用系统下载的评分表模板。")]) from None
    if SCORESHEET_TITLE not in workbook.sheetnames:
        raise ImportRejected([_("工作簿中没有名为“%(sheet)s”的工作表，请使用系统下载的评分表模板。") % {"sheet": SCORESHEET_TITLE}])
    rows = [list(r) for r in workbook[SCORESHEET_TITLE].iter_rows(values_only=True)]
    workbook.close()
    return rows


def scoresheet_import(*, actor: User | None, team_id: int, uploaded_file) -> int:
    """Check every row of a team's sheet; on any problem raise ImportRejected (nothing written),
    else declare (R5), save and submit every card in one transaction. Returns the number of cards submitted.
    Rows of cards already submitted are accepted when unchanged (the sheet the system made carries them).

    Whoever may handle the team's sheet (`evaluation.handle_scoresheet`: the municipal office, the leader)."""
    team = Team.objects.select_related("round").get(pk=team_id)
    require(actor, "evaluation.handle_scoresheet", team)
    rows = _read(uploaded_file)
    head = (rows[0] + [None] * 6)[:6] if rows else [None] * 6
    if head[0] != "模板版本" or head[1] != SCORESHEET_VERSION:
        raise ImportRejected([_("%(where)s：模板版本为“%(found)s”，应为“%(version)s”，请重新下载评分表。") % {
            "where": _where(1, 2), "found": head[1] or "", "version": SCORESHEET_VERSION}])
    if head[3] != team.round_id or head[5] != team.pk:
        raise ImportRejected([_("%(where)s：该评分表属于其他轮次或考评组，不能导入到“%(team)s”。") % {"where": _where(1, 4), "team": team.name}])
    header = [str(v or "").strip() for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else [])][: len(SCORESHEET_HEADER)]
    if header != SCORESHEET_HEADER:
        raise ImportRejected([_("%(where)s：表头与模板不一致。") % {"where": _where(HEADER_ROW, 1)}])
    if team.round.status != RoundStatus.EVALUATING:
        raise ImportRejected([_("轮次当前状态为“%(status)s”，不能导入评分。") % {"status": team.round.get_status_display()}])

    criteria = {c.pk: c for c in Criterion.objects.filter(table__round_id=team.round_id)}
    assignments = {(a.candidate_id, a.evaluator.username): a for a in Assignment.objects.filter(
        candidate__team=team, evaluator__in=team.members.all()).select_related("evaluator", "scorecard", "candidate__organization")
        .prefetch_related("scorecard__scores")}
    problems, cards, troubled, unchanged = [], defaultdict(dict), set(), set()

    def method_codes(methods):
        names = [n.strip() for n in _METHOD_SEPARATORS.split(str(methods or "")) if n.strip()]
        return names, [_method_codes().get(n.casefold()) for n in names]

    def locked_row(index, assignment, criterion, points, methods, notes):
        """A row of a submitted (locked) card: the sheet the system made carries it pre-filled, so the
        same values are accepted as unchanged (skipped); only a changed value is a problem."""
        username = assignment.evaluator.username
        score = next((s for s in assignment.scorecard.scores.all() if s.criterion_id == criterion.pk), None)
        changed = None
        if points not in (None, ""):
            try:
                value = services.parse_points(points, criterion, field="points")
            except DomainError:
                value = None
            if score is None or value != score.points:
                changed = 7
        if changed is None and str(methods or "").strip():
            _names, codes = method_codes(methods)
            if score is None or set(codes) != set(score.methods):
                changed = 8
        if changed is None and _text(notes) and (score is None or _text(notes) != score.notes.strip()):
            changed = 9
        if changed:
            return _("%(where)s：考评人员“%(u)s”对该单位的评分已提交锁定，不能修改；如需修改，请联系市党务公开办退回。") % {
                "where": _where(index, changed), "u": username}
        unchanged.add(assignment.pk)
        return None

    def check_row(index, raw):
        """(assignment, problem or None) of one row; a good row's score goes into `cards`."""
        candidate_id, _org, username, criterion_id, _name, _max, points, methods, notes = raw
        assignment = assignments.get((candidate_id, str(username or "").strip()))
        if assignment is None:
            return None, _("%(where)s：对象编号“%(c)s”与考评人员“%(u)s”不是本组的考评分工。") % {
                "where": _where(index, 1), "c": candidate_id if candidate_id is not None else "", "u": username or ""}
        if assignment.state == AssignmentState.CONFLICTED:
            return assignment, _("%(where)s：考评人员“%(u)s”已声明回避该单位（R5）。") % {"where": _where(index, 3), "u": username}
        if assignment.state == AssignmentState.WITHDRAWN:
            return assignment, _("%(where)s：考评人员“%(u)s”对该单位的考评分工已撤回。") % {"where": _where(index, 3), "u": username}
        criterion = criteria.get(criterion_id) if isinstance(criterion_id, int) else None
        if criterion is None:
            return assignment, _("%(where)s：项目编号“%(v)s”不在本轮考评表中。") % {
                "where": _where(index, 4), "v": criterion_id if criterion_id is not None else ""}
        scorecard = getattr(assignment, "scorecard", None) if hasattr(assignment, "scorecard") else None
        if scorecard is not None and scorecard.state == ScorecardState.SUBMITTED:
            return assignment, locked_row(index, assignment, criterion, points, methods, notes)
        try:
            value = services.parse_points(points, criterion, field="points")
        except DomainError as error:
            return assignment, _("%(where)s：%(message)s") % {"where": _where(index, 7), "message": error.message}
        if value is None:
            return assignment, _("%(where)s：“%(name)s”未填写得分。") % {"where": _where(index, 7), "name": criterion.name}
        names, codes = method_codes(methods)
        if not names or None in codes or any(c not in criterion.methods for c in codes):
            return assignment, _("%(where)s：“%(name)s”的考评方式应从%(allowed)s中选择（R4）。") % {
                "where": _where(index, 8), "name": criterion.name, "allowed": _("、").join(criterion.method_labels())}
        if criterion.pk in cards[assignment.pk]:
            return assignment, _("%(where)s：同一考评人员对同一项目重复评分。") % {"where": _where(index, 4)}
        cards[assignment.pk][criterion.pk] = {"points": value, "methods": codes, "notes": _text(notes)}
        return assignment, None

    for index, raw in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        raw = (list(raw) + [None] * 9)[:9]
        if all(v in (None, "") for v in raw):
            continue
        assignment, problem = check_row(index, raw)
        if problem:
            problems.append(problem)
            if assignment is not None:
                troubled.add(assignment.pk)
    by_pk = {a.pk: a for a in assignments.values()}
    for assignment_pk, scores in cards.items():
        missing = [c.name for c in criteria.values() if c.pk not in scores]
        if missing and assignment_pk not in troubled:
            a = by_pk[assignment_pk]
            problems.append(_("考评人员“%(u)s”对“%(org)s”缺少以下项目的得分：%(names)s。") % {
                "u": a.evaluator.username, "org": a.candidate.organization.name, "names": _("、").join(missing)})
    if not cards and not problems and not unchanged:
        problems.append(_("评分表中没有填写任何得分。"))
    if problems:
        raise ImportRejected(problems)
    if not cards:
        return 0  # every row was a submitted card's, unchanged: nothing to do
    with transaction.atomic():
        for assignment_pk, scores in cards.items():
            # The declaration signed on paper (R5), then the scores: the web form's doors, as the importer.
            services.assignment_declare(actor=actor, assignment_id=assignment_pk, conflict=False, on_paper=True)
            services.scorecard_save(actor=actor, assignment_id=assignment_pk, scores=scores, on_paper=True)
            services.scorecard_submit(actor=actor, assignment_id=assignment_pk, on_paper=True)
        audit_record(actor=actor, action="evaluation.scoresheet.import", target=team, data={"cards": len(cards)})
    return len(cards)
