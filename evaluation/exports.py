"""Excel exports (openpyxl): score sheets, rankings, the preliminary list, the award roster.

Every cell goes through core.excel.safe_cell (formula injection); large exports use write-only mode.
"""
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from qujing_disclosure.core.excel import safe_row, safe_sheet_title, workbook_response
from sites.enums import ApplicationState
from sites.models import Application, Designation

from . import selectors
from .enums import ASSIGNMENT_ACTIVE_STATES, Method, ScorecardState
from .models import Assignment, Criterion, Score, SubsidyPayment

# The score sheet's version row and header row are a fixed template (the import recognises them), so they
# are not translated; the guidance row and the method names are (the import reads the names in any language).
SCORESHEET_VERSION = "QJ-SCORE-1"
SCORESHEET_TITLE = "评分表"
SCORESHEET_HEADER = ["对象编号", "单位", "考评人员账号", "项目编号", "考评项目", "满分", "得分", "考评方式", "评分说明"]
HEADER_ROW = 3


def ranking_workbook(round_, groups=None):
    """The ranking of a round (write-only: rows streamed, constant memory)."""
    groups = groups if groups is not None else selectors.ranking(round_)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(_("%(round)s排名") % {"round": round_.name}))
    sheet.append(safe_row([_("%(round)s 考评排名（综合得分：平均分；%(n)d人及以上去掉一个最高分和一个最低分）") % {"round": round_.name, "n": settings.EVALUATION_TRIM_FROM}]))
    sheet.append(safe_row([_("辖区"), _("名额"), _("名次"), _("单位"), _("类型"), _("综合得分"), _("平均分"), _("中位数"), _("极差"),
                           _("已提交人数"), _("未提交人数"), _("满意率(%)"), _("检查次数"), _("检查均分(满分4)"), _("名额线内"), _("状态"),
                           *disclosure_header()]))
    yes = _("是")
    for group in groups:
        for row in group["new"] + group["reevaluation"]:
            agg, c = row["agg"] or {}, row["candidate"]
            sheet.append(safe_row([
                group["jurisdiction"].name, group["slots"], row.get("rank"), c.organization_name, c.kind_label,
                agg.get("score"), agg.get("mean"), agg.get("median"), agg.get("spread"), agg.get("n", 0), row["pending"],
                row["satisfaction"], (row["inspections"] or {}).get("count", 0), (row["inspections"] or {}).get("average"),
                yes if row.get("within_quota") else "", c.status_label, *disclosure_cells(row.get("disclosure")),
            ]))
    return workbook


def disclosure_header():
    """The ranking's disclosure-record columns (R6, R20): the unit's last 12 months."""
    return [_("按时公开率(%)"), _("公开事项数"), _("逾期公开数"), _("未按期公开次数"), _("展示不足15天次数"), _("整改逾期件数"),
            _("意见建议逾期件数"), _("群众满意度(%)"), _("满意度评价人次")]


def disclosure_cells(record):
    """The disclosure_header() cells of one selectors.disclosure_summary (blank when there is none)."""
    if not record:
        return [None] * 9
    return [record["on_time_rate"], record["published"], record["late"], record["missed"], record["display_breaches"],
            record["rectifications_overdue"], record["feedback_overdue"], record["satisfaction_rate"], record["ratings"]]


def shortlist_workbook(round_):
    """The preliminary list with each unit's panel score (R6), in a fixed number of queries."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(_("初选名单")))
    sheet.append(safe_row([_("序号"), _("辖区"), _("单位"), _("综合得分"), _("状态")]))
    apps = list(Application.objects.filter(round=round_, state__in=[ApplicationState.SHORTLISTED, ApplicationState.AWARDED]).select_related(
        "organization", "jurisdiction", "candidate").order_by("jurisdiction__sort_order", "organization__name"))
    candidate_ids = {a.pk: a.candidate.pk for a in apps if hasattr(a, "candidate")}
    aggregates = selectors.candidate_aggregates(candidate_ids.values())
    for i, a in enumerate(apps, start=1):
        agg = aggregates.get(candidate_ids.get(a.pk))
        sheet.append(safe_row([i, a.jurisdiction.name, a.organization.name, agg["score"] if agg else None, a.get_state_display()]))
    return workbook


def roster_workbook(round_):
    """The award roster with the subsidy total (R9)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(_("授牌名册")))
    sheet.append(safe_row([_("牌匾编号"), _("辖区"), _("单位"), _("级别"), _("称号"), _("授牌日期"), _("补助经费（元）"), _("拨付状态"), _("称号状态")]))
    total = Decimal("0")
    payments = {p.designation_id: p for p in SubsidyPayment.objects.filter(designation__round=round_)}
    for d in Designation.objects.filter(round=round_).select_related("organization", "jurisdiction").order_by("plaque_number"):
        payment = payments.get(d.pk)
        total += d.subsidy_amount
        sheet.append(safe_row([d.plaque_number, d.jurisdiction.name, d.organization.name, d.get_level_display(), d.title, d.awarded_on,
                               d.subsidy_amount, payment.get_state_display() if payment else "—", d.get_status_display()]))
    sheet.append(safe_row([_("合计"), None, None, None, None, None, total]))
    return workbook


def team_scoresheet_workbook(team, user=None):
    """A team's score sheet to fill in on paper visits: one row per (candidate, evaluator, criterion).
    The version and ids in the first row let the import refuse a foreign or outdated sheet.

    What it shows follows the web (R4, R5): staff of the municipal office (or a job, user=None) get
    every row filled in as it stands. Anyone else — a team leader — gets their own rows with their
    draft values; a colleague's rows stay blank while the colleague's card is a draft, and a colleague's
    submitted card appears only once the downloader's own card for that candidate is submitted —
    until then it is left out (it is locked: there is nothing to fill in). The 群众满意度 criterion of
    a blank row is pre-filled with the democratic-evaluation suggestion (R19), as on the web form."""
    sees_all = user is None or user.has_perm("evaluation.manage")
    criteria = list(Criterion.objects.filter(table__round_id=team.round_id).order_by("order", "id"))
    assignments = list(
        Assignment.objects.filter(candidate__team=team, evaluator__in=team.members.all(), state__in=ASSIGNMENT_ACTIVE_STATES)
        .select_related("candidate__organization", "candidate__democratic", "evaluator", "scorecard")
        .order_by("candidate__organization__name", "candidate_id", "evaluator__username")
    )
    existing = {(s.scorecard.assignment_id, s.criterion_id): s for s in Score.objects.filter(
        scorecard__assignment__in=[a.pk for a in assignments]).select_related("scorecard")}

    def submitted(assignment):
        card = getattr(assignment, "scorecard", None) if hasattr(assignment, "scorecard") else None
        return card is not None and card.state == ScorecardState.SUBMITTED

    own_submitted = {a.candidate_id for a in assignments if user is not None and a.evaluator_id == user.pk and submitted(a)}
    suggestions = {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SCORESHEET_TITLE
    sheet.append(["模板版本", SCORESHEET_VERSION, "轮次编号", team.round_id, "考评组编号", team.pk])
    sep = _("、")
    sheet.append(safe_row([_("%(round)s · %(team)s 评分表。得分不超过满分；考评方式从%(methods)s中选，多个用顿号分隔。") % {
        "round": team.round.name, "team": team.name, "methods": sep.join(str(m.label) for m in Method)}]))
    sheet.append(SCORESHEET_HEADER)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for a in assignments:
        own = sees_all or a.evaluator_id == user.pk
        locked = submitted(a)
        if not own and locked and a.candidate_id not in own_submitted:
            continue  # a colleague's submitted scores stay hidden until one's own card is in (R4)
        visible = own or locked
        if a.candidate_id not in suggestions:
            suggestions[a.candidate_id] = selectors.suggested_points(a.candidate, criteria)
        for c in criteria:
            score = existing.get((a.pk, c.pk)) if visible else None
            points = score.points if score else (None if locked else suggestions[a.candidate_id].get(c.pk))
            sheet.append(safe_row([a.candidate_id, a.candidate.organization.name, a.evaluator.username, c.pk, c.name, c.max_points,
                                   points, sep.join(score.method_labels()) if score else "", score.notes if score else ""]))
    if sheet.max_row > HEADER_ROW:
        # Each row's score between 0 and that row's maximum (column F).
        validation = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"$F{HEADER_ROW + 1}", allow_blank=True)
        sheet.add_data_validation(validation)
        validation.add(f"G{HEADER_ROW + 1}:G{sheet.max_row}")
    for column, width in zip("ABCDEFGHI", (9, 28, 14, 9, 14, 7, 7, 22, 30)):
        sheet.column_dimensions[column].width = width
    return workbook


def respond(workbook, filename):
    return workbook_response(workbook, filename)
