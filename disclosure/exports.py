"""The month's compliance report as Excel (R20), through core.excel (cells neutralised against formulas)."""
import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from qujing_disclosure.core import clock
from qujing_disclosure.core.excel import safe_row, safe_sheet_title, workbook_response

from . import dates, selectors


def _parse_month(text, today):
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return dates.first_of_month(today)


def _pct(value):
    return None if value is None else round(value * 100, 1)


def monthly_compliance_workbook(user, *, month="", jurisdiction=None):
    """One row per organisation in the chosen scope for the month: publication, display, feedback,
    satisfaction, findings and rectifications, and the month's mark on the compliance calendar.

    `jurisdiction` is what selectors.board_jurisdiction_for resolved: None for the user's whole scope
    (the whole city for staff, who then also get a sheet summarising each jurisdiction)."""
    if not user.has_perm("disclosure.export_report"):
        raise Http404()
    today = clock.today()
    start = _parse_month(month, today)
    end = min(dates.add_months(start, 1) - datetime.timedelta(days=1), max(today, start))
    organizations = selectors.organization_list_for(user).filter(is_active=True)
    if jurisdiction is not None:
        organizations = organizations.filter(jurisdiction_id=jurisdiction.pk)
    organizations = list(organizations.order_by("jurisdiction__sort_order", "jurisdiction_id", "name"))
    ids = [o.pk for o in organizations]
    record = selectors.record_between(ids, start=start, end=end, today=today)
    calendar_today = end if end < today else today
    marks = selectors.compliance_calendar(ids, today=calendar_today, months=1)
    scope = jurisdiction.name if jurisdiction is not None else _("全市")
    values = {"month": start.strftime("%Y-%m"), "scope": scope}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(_("%(month)s合规情况") % values)
    sheet.append(safe_row([_("曲靖市党务公开合规月报（%(scope)s，%(month)s，北京时间）") % values]))
    sheet["A1"].font = Font(bold=True, size=13)
    header = [
        _("辖区"), _("党组织"), _("本月情况"), _("公开事项数"), _("按时公开"), _("逾期公开"), _("按时率(%)"),
        _("应公开未公开"), _("公开不足15天"), _("检查发现问题"), _("意见建议"), _("按时答复"), _("逾期未答复"),
        _("满意"), _("基本满意"), _("不满意"), _("满意率(%)"), _("整改中"), _("整改逾期"),
    ]
    sheet.append(safe_row(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for org in organizations:
        r = record[org.pk]
        s = r["satisfaction"]
        mark = marks[org.pk][-1][1]
        sheet.append(safe_row([
            org.jurisdiction.name, org.name, mark.label, r["published"], r["on_time"], r["late"],
            _pct(r["on_time_rate"]), r["missed"], r["display_breaches"], r["findings"], r["feedback"],
            r["feedback_answered_in_time"], r["feedback_overdue"], s["satisfied"], s["basic"], s["dissatisfied"],
            _pct(s["rate"]), r["rectifications_open"], r["rectifications_overdue"],
        ]))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "C3"
    if jurisdiction is None:
        _summary_sheet(workbook, organizations, record, values)
    filename = f"disclosure-compliance-{start:%Y-%m}-{jurisdiction.code if jurisdiction is not None else 'all'}.xlsx"
    return workbook_response(workbook, filename)


def _summary_sheet(workbook, organizations, record, values):
    """The whole city: one row per jurisdiction, then the city total."""
    rows = [{"organization": org, "record": record[org.pk]} for org in organizations]
    sheet = workbook.create_sheet(safe_sheet_title(_("各辖区汇总")))
    sheet.append(safe_row([_("各辖区党务公开合规汇总（%(scope)s，%(month)s，北京时间）") % values]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(safe_row([
        _("辖区"), _("党组织数"), _("公开事项数"), _("按时公开"), _("按时率(%)"), _("应公开未公开"), _("公开不足15天"),
        _("意见建议"), _("按时答复"), _("逾期未答复"), _("满意率(%)"), _("整改中"), _("整改逾期"),
    ]))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    groups = [(group["jurisdiction"].name, group["totals"]) for group in selectors.summary_by_jurisdiction(rows)]
    groups.append((_("合计"), selectors.board_totals(rows)))
    for name, t in groups:
        sheet.append(safe_row([
            name, t["organizations"], t["published"], t["on_time"], _pct(t["on_time_rate"]), t["missed"],
            t["display_breaches"], t["feedback"], t["feedback_answered_in_time"], t["feedback_overdue"],
            _pct(t["satisfaction_rate"]), t["rectifications_open"], t["rectifications_overdue"],
        ]))
    sheet.column_dimensions["A"].width = 18
