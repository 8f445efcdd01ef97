"""Shared helpers for Excel exports (openpyxl).

Every text cell written from data a user could have typed goes through `safe_cell`:
a spreadsheet program treats text starting with `=`, `+`, `-` or `@` (and a leading
tab or carriage return) as a formula, so a unit named "=HYPERLINK(...)" could run
something on the reader's machine (CSV/formula injection). Prefixing a single quote
makes it plain text.
"""
import datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def safe_cell(value):
    """Return `value` ready for a cell: text that a spreadsheet would read as a formula gets a leading `'`.

    Numbers, dates and None pass unchanged (aware datetimes become China local time); anything else (lazy translations, model
    instances) is written as its text.
    """
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Excel has no time zones: write China time (Asia/Shanghai), as every date rule reads it.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(values):
    """A row for `worksheet.append`, every cell passed through `safe_cell`."""
    return [safe_cell(v) for v in values]


def safe_sheet_title(title, *, fallback="Sheet"):
    """Excel sheet names: at most 31 characters, none of []:*?/\\ and not empty."""
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in str(title)).strip("'").strip()
    return (cleaned or fallback)[:31]


def workbook_response(workbook, filename):
    """An HttpResponse that downloads `workbook` as `filename` (UTF-8 names work in every browser)."""
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
