"""Small server-rendered SVG pictures (no JavaScript, no external assets)."""
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def score_strip(agg, pass_mark, *, width=220, height=26, low=50, high=100):
    """One candidate's panel on a 50–100 strip: a dot per evaluator, the median as a tick, the
    aggregate score as a red diamond and the pass mark as a dashed line. Disagreement shows as spread."""
    if not agg:
        return ""

    def x(value):
        value = max(low, min(high, float(value)))
        return round(4 + (value - low) / (high - low) * (width - 8), 1)

    label = _("评分分布：中位数 %(median)s，极差 %(spread)s") % {"median": agg["median"], "spread": agg["spread"]}
    parts = [f'<svg class="chart strip" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(label)}">',
             f'<line x1="4" x2="{width - 4}" y1="13" y2="13" stroke="#e5e7eb" stroke-width="2"/>',
             f'<line x1="{x(agg["min"])}" x2="{x(agg["max"])}" y1="13" y2="13" stroke="#9ca3af" stroke-width="4"/>',
             f'<line x1="{x(pass_mark)}" x2="{x(pass_mark)}" y1="2" y2="24" stroke="#b45309" stroke-dasharray="3 2"/>']
    for total in agg["totals"]:
        parts.append(f'<circle cx="{x(total)}" cy="13" r="3.5" fill="#fff" stroke="#1f2328"/>')
    parts.append(f'<line x1="{x(agg["median"])}" x2="{x(agg["median"])}" y1="5" y2="21" stroke="#2563eb" stroke-width="2"/>')
    sx = x(agg["score"])
    parts.append(f'<path d="M{sx} 6 L{sx + 5} 13 L{sx} 20 L{sx - 5} 13 Z" fill="#b3261e"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def calibration_chart(people, *, width=640, row=28):
    """Each evaluator's deviations from the panel mean (small dots) and their average (bar + big dot)."""
    if not people:
        return ""
    limit = max([abs(d) for p in people for d in p["deviations"]] + [5.0])
    left, right = 150, width - 20
    mid = (left + right) / 2

    def x(value):
        return round(mid + value / limit * (right - left) / 2, 1)

    height = row * len(people) + 30
    label = _("考评人员与评审组平均分的偏差")
    parts = [f'<svg class="chart calibration" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(label)}">',
             f'<line x1="{mid}" x2="{mid}" y1="0" y2="{height - 20}" stroke="#9ca3af"/>',
             f'<text x="{left}" y="{height - 4}">−{limit:.0f}</text><text x="{mid - 4}" y="{height - 4}">0</text>'
             f'<text x="{right - 20}" y="{height - 4}">+{limit:.0f}</text>']
    for index, person in enumerate(people):
        y = 16 + index * row
        colour = "#b3261e" if abs(person["mean"]) >= 5 else "#1f2328"
        parts.append(f'<text x="4" y="{y + 4}">{escape(person["name"])}</text>')
        parts.append(f'<line x1="{mid}" x2="{x(person["mean"])}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="6" opacity=".35"/>')
        for d in person["deviations"]:
            parts.append(f'<circle cx="{x(d)}" cy="{y}" r="2.5" fill="#6b7280"/>')
        parts.append(f'<circle cx="{x(person["mean"])}" cy="{y}" r="5" fill="{colour}"><title>{person["mean"]:+.2f}</title></circle>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
