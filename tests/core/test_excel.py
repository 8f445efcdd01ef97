"""core/excel.py: cells that cannot run as formulas, and a workbook served as a download."""
import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from qujing_disclosure.core.excel import safe_cell, workbook_response


# --- safe_cell ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 0874", "'+86 0874"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("麒麟区", "麒麟区"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_triggers_only(value, expected):
    assert safe_cell(value) == expected


def test_safe_cell_turns_lazy_text_into_neutralised_text():
    assert safe_cell(gettext_lazy("=合计")) == "'=合计"


def test_workbook_response_names_the_file_in_utf8():
    response = workbook_response(Workbook(), "审核推荐汇总.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%AE%A1%E6%A0%B8%E6%8E%A8%E8%8D%90%E6%B1%87%E6%80%BB.xlsx"
    )
