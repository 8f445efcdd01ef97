"""The month's compliance report as Excel (R20), through core.excel (cells neutralised against formulas)."""
import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

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


def monthly_compliance_workbook(user, *, month="", jurisdiction_id=None):
    """One row per organisation in the user's scope for the month: publication, display, feedback,
    satisfaction, findings and rectifications, and the month's mark on the compliance calendar."""
    if not user.has_perm("disclosure.export_report"):
        raise Http404()
    today = timezone.localdate()
    start = _parse_month(month, today)
    end = min(dates.add_months(start, 1) - datetime.timedelta(days=1), max(today, start))
    organizations = selectors.organization_list_for(user).filter(is_active=True)
    if jurisdiction_id:
        organizations = organizations.filter(jurisdiction_id=jurisdiction_id)
    organizations = list(organizations.order_by("jurisdiction__sort_order", "name"))
    ids = [o.pk for o in organizations]
    record = selectors.record_between(ids, start=start, end=end, today=today)
    calendar_today = end if end < today else today
    marks = selectors.compliance_calendar(ids, today=calendar_today, months=1)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_sheet_title(_("%(month)s合规情况") % {"month": start.strftime("%Y-%m")})
    sheet.append(safe_row([_("曲靖市党务公开合规月报（%(month)s，北京时间）") % {"month": start.strftime("%Y-%m")}]))
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
    return workbook_response(workbook, f"disclosure-compliance-{start:%Y-%m}.xlsx")
