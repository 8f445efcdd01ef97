"""Excel export of the 2:1 screening summary (R2) for the municipal office.

The rows come from `sites.selectors.screening_summary` (the same numbers the admin and portal show).
"""
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from qujing_disclosure.core.clock import today
from qujing_disclosure.core.excel import safe_row, safe_sheet_title

from .selectors import screening_summary

COLUMN_WIDTHS = (26, 8, 10, 10, 12, 10)


def screening_totals(rows):
    keys = ("slots", "applications", "recommended", "limit", "awarded")
    return {key: sum(row[key] for row in rows) for key in keys}


def screening_headers():
    return [_("辖区"), _("名额"), _("申报数"), _("已推荐"), _("推荐上限"), _("已授牌")]


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _write_round_sheet(worksheet, round_):
    rows = screening_summary(round_=round_)
    headers = screening_headers()
    width = len(headers)

    worksheet.append(safe_row([_("%(round)s：%(ratio)d:1审核推荐汇总") % {"round": round_.name, "ratio": round_.ratio}]))
    worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    worksheet["A1"].font = Font(bold=True, size=14)
    worksheet["A1"].alignment = Alignment(horizontal="center")
    worksheet.append(
        safe_row([
            _("年度：%(year)s　级别：%(level)s　状态：%(status)s　导出时间：%(now)s（北京时间）")
            % {
                "year": round_.year, "level": round_.get_level_display(), "status": round_.get_status_display(),
                "now": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            }
        ])
    )
    worksheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

    worksheet.append(safe_row(headers))
    header_row = worksheet.max_row
    for cell in worksheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")

    for row in rows:
        worksheet.append(
            safe_row([row["jurisdiction"], row["slots"], row["applications"], row["recommended"], row["limit"], row["awarded"]])
        )
    totals = screening_totals(rows)
    worksheet.append(
        safe_row([_("合计"), totals["slots"], totals["applications"], totals["recommended"], totals["limit"], totals["awarded"]])
    )
    for cell in worksheet[worksheet.max_row]:
        cell.font = Font(bold=True)

    for row_cells in worksheet.iter_rows(min_row=header_row, max_row=worksheet.max_row, max_col=width):
        for cell in row_cells:
            cell.border = _BORDER
    for index, column_width in enumerate(COLUMN_WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column_width
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)


def screening_workbook(rounds):
    """A workbook with one sheet per round: title row, info row, header, one row per quota, total row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for round_ in rounds:
        title = safe_sheet_title(f"{round_.year}{round_.get_level_display()}-{round_.pk}", fallback=str(round_.pk))
        while title in used:  # sheet names must be unique
            title = safe_sheet_title(f"{title[:27]}-{len(used)}")
        used.add(title)
        _write_round_sheet(workbook.create_sheet(title=title), round_)
    return workbook


def screening_filename(rounds):
    rounds = list(rounds)
    if len(rounds) == 1:
        stem = _("%(round)s-审核推荐汇总") % {"round": rounds[0].name}
    else:
        stem = _("审核推荐汇总-%(count)d个轮次") % {"count": len(rounds)}
    # Keep the file name safe for every file system; the content keeps the full name.
    stem = "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in stem)
    return f"{stem}-{today():%Y%m%d}.xlsx"

