"""Template filters of the disclosure pages: percentages and the rate bar (drawn by charts.py)."""
from django import template

from ..charts import rate_bar as draw_rate_bar

register = template.Library()


@register.filter
def pct(rate):
    """0.873 → "87.3%"; None → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


@register.filter
def rate_bar(rate):
    """A small bar picture of a 0–1 rate (empty for None)."""
    return draw_rate_bar(rate)
