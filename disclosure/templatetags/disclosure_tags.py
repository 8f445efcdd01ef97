from django import template

register = template.Library()


@register.filter
def pct(rate):
    """0.873 → "87.3%"; None → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"
