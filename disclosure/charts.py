"""Server-rendered SVG pictures (no JavaScript, no CDN): the 12-month compliance calendar and rate bars.

Presentation only, in the interface room beside forms and exports: it draws what the selectors
computed and reads nothing itself; views call it, and the template tags hand it to templates."""
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .enums import ComplianceMark

COLOURS = {
    ComplianceMark.ON_TIME: "#16a34a",
    ComplianceMark.LATE: "#f59e0b",
    ComplianceMark.MISSED: "#b91c1c",
    ComplianceMark.NONE_DUE: "#e5e7eb",
}
LEGEND = [(COLOURS[mark], mark.label) for mark in ComplianceMark]


def compliance_strip(marks, *, cell=18, gap=3, min_width=150):
    """One organisation's last 12 months as a row of coloured squares, month numbers underneath.

    `marks` is [(month_start, ComplianceMark)] as returned by selectors.compliance_calendar.
    Each square carries a <title> (e.g. "2026-05 按时") for screen readers and hover.
    """
    width = len(marks) * (cell + gap)
    height = cell + 14
    cells = format_html_join(
        "",
        '<g><title>{} {}</title><rect x="{}" y="0" width="{}" height="{}" rx="3" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="9">{}</text></g>',
        (
            (month.strftime("%Y-%m"), ComplianceMark(mark).label, i * (cell + gap), cell, cell, COLOURS[mark],
             i * (cell + gap) + cell / 2, cell + 11, month.month)
            for i, (month, mark) in enumerate(marks)
        ),
    )
    label = _("近12个月合规日历")
    # Scales with its cell (viewBox + width 100%), never wider than its natural size nor too small to
    # read: all 12 months stay visible on a 390px phone, where the cell is narrower than the picture.
    return format_html(
        '<svg class="chart compliance" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" style="max-width:{}px;min-width:{}px;height:auto;display:block" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        label, width, height, width, min_width, cells,
    )


def rate_bar(rate, *, width=120, height=10):
    """A small horizontal bar for a 0–1 rate (None draws an empty bar)."""
    filled = 0 if rate is None else round(width * max(0.0, min(1.0, rate)))
    return mark_safe(
        f'<svg class="chart" role="img" aria-hidden="true" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<rect width="{width}" height="{height}" rx="4" fill="#f1f5f9"/>'
        f'<rect width="{filled}" height="{height}" rx="4" fill="#16a34a"/></svg>'
    )
