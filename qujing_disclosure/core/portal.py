"""How apps add to the shared portal without touching each other's code, and the one portal menu.

- Menu links: `register_portal_link(label, url_name, visible=lambda user: ...)`.
- Dashboard blocks: `register_dashboard_block(func)` where `func(request)` returns
  `(template_name, context_dict)` or None when the block does not apply to the user.

Apps register in their AppConfig.ready(). The sites portal renders both.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class PortalLink:
    label: str
    url_name: str
    visible: Callable
    order: int = 100


_links: list = []
_blocks: list = []


def register_portal_link(label, url_name, *, visible, order=100):
    if not any(link.url_name == url_name for link in _links):
        _links.append(PortalLink(label, url_name, visible, order))


def register_dashboard_block(func, *, order=100):
    if func not in [f for _, f in _blocks]:
        _blocks.append((order, func))


def portal_links_for(user):
    return [link for link in sorted(_links, key=lambda link: link.order) if link.visible(user)]


def dashboard_blocks_for(request):
    blocks = []
    for _, func in sorted(_blocks, key=lambda pair: pair[0]):
        block = func(request)
        if block is not None:
            blocks.append(block)
    return blocks


def render_blocks(request, blocks):
    """Render (template_name, context) pairs to HTML fragments, each autoescaped by its template and
    rendered with the request (so the usual context processors apply)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    return [mark_safe(render_to_string(template_name, context, request=request)) for template_name, context in blocks]


def portal_menu(request):
    """The portal's top menu for this request: the dashboard, then every registered link the
    user may see (links that do not resolve or repeat a URL are skipped), the longest match active.
    Every portal view passes it to templates extending portal/base.html as `portal_menu`."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.translation import gettext as _

    links = [(_("工作台"), reverse("portal:dashboard"))]
    for link in portal_links_for(request.user):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        if all(url != known for _label, known in links):
            links.append((link.label, url))
    best = max((url for _label, url in links if request.path.startswith(url)), key=len, default=None)
    return [{"label": label, "url": url, "active": url == best} for label, url in links]
