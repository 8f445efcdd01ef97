"""Server-side SVG pictures for the public pages: no JavaScript, no external assets.

Every function returns a SafeString of inline SVG. All text that goes into the SVG is
escaped here; callers pass plain strings. Each chart carries a <title>/<desc> for screen
readers, and the pages show the same numbers in a table as well.
"""
import unicodedata

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Matches `.chart text { font-size: 12px }` in static/css/app.css (CSS wins over attributes).
FONT_SIZE = 12


def text_width(text, font_size=FONT_SIZE):
    """Rough width of `text` in SVG units: CJK characters are square, Latin ones about 0.6 em."""
    return sum(
        font_size if unicodedata.east_asian_width(ch) in ("W", "F") else font_size * 0.6 for ch in str(text)
    )


def _fit(text, max_width, font_size=FONT_SIZE):
    """Cut `text` with an ellipsis so it fits `max_width` (the full text stays in a <title>)."""
    text = str(text)
    if text_width(text, font_size) <= max_width:
        return text
    while text and text_width(text + "…", font_size) > max_width:
        text = text[:-1]
    return text + "…"


def stacked_hbar_svg(*, rows, series, title, desc="", chart_id="chart", width=320, bar_height=18, gap=8):
    """A horizontal stacked bar chart.

    rows:   [(label, [value per series, ...]), ...], drawn top to bottom.
    series: [(name, fill colour), ...], one per value; shown as a legend above the bars.
    The total of each row is written at the end of its bar.
    """
    legend_height = 26
    label_width = min(max([text_width(label) for label, _ in rows] + [24]) + 8, width * 0.38)
    max_total = max([sum(values) for _, values in rows] + [0])
    value_width = text_width(str(max_total)) + 10
    bar_area = width - label_width - value_width - 4
    scale = bar_area / max_total if max_total else 0
    height = legend_height + len(rows) * (bar_height + gap) + 4

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        (
            f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        ),
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
    ]

    # Legend.
    x = label_width
    for name, colour in series:
        parts.append(f'<rect x="{x:.1f}" y="4" width="12" height="12" rx="2" fill="{escape(colour)}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="14.5">{escape(name)}</text>')
        x += 16 + text_width(name) + 16

    # Bars.
    for index, (label, values) in enumerate(rows):
        y = legend_height + index * (bar_height + gap)
        middle = y + bar_height / 2
        parts.append(
            f'<text x="{label_width - 6:.1f}" y="{middle:.1f}" text-anchor="end" dominant-baseline="central">'
            f"<title>{escape(label)}</title>{escape(_fit(label, label_width - 8))}</text>"
        )
        x = label_width
        for (name, colour), value in zip(series, values):
            if value <= 0:
                continue
            segment = value * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{segment:.1f}" height="{bar_height}" fill="{escape(colour)}">'
                f"<title>{escape(label)} · {escape(name)}: {value}</title></rect>"
            )
            x += segment
        parts.append(
            f'<text x="{x + 5:.1f}" y="{middle:.1f}" dominant-baseline="central" font-weight="600">{sum(values)}</text>'
        )
    # Baseline of the bars.
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{legend_height - 3}" x2="{label_width:.1f}" y2="{height - 4:.1f}" '
        f'stroke="#9ca3af" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def qr_svg(text, *, title=""):
    """A QR code encoding `text`, as inline SVG that scales with its container."""
    qr = segno.make(text, error="m")
    return mark_safe(qr.svg_inline(scale=1, border=2, omitsize=True, title=title or None, svgclass="qr"))
