"""How other apps add to the public pages without touching the sites app's templates.

- Home page blocks (`/`): `register_home_block(func)` where `func(request)` returns
  `(template_name, context_dict)` or None when it has nothing to show. The evaluation
  app uses this for good-practice case stories (R8a) and the current publicity (R8).
- Site page blocks (`/sites/<id>/`): `register_site_detail_block(func)` where
  `func(request, designation)` returns `(template_name, context_dict)` or None
  (e.g. the case stories of that site).
- Public audit actions: the site page shows a designation's audit history to the
  public, but only actions registered here with a public wording
  (`register_public_action("evaluation.designation.award", _("授予称号、颁发牌匾"))`),
  so internal steps (subsidy payments, notes) never leak by default.

Register in AppConfig.ready(); registering the same function or action twice is harmless.
Blocks are rendered in `order`, then registration order; each template is rendered with
the request, so it gets the usual context processors. Templates autoescape as usual.
"""
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

_home_blocks: list = []
_site_detail_blocks: list = []
_public_actions: dict = {}


def _register(registry, func, order):
    if func not in [f for _order, f in registry]:
        registry.append((order, func))


def register_home_block(func, *, order=100):
    _register(_home_blocks, func, order)


def register_site_detail_block(func, *, order=100):
    _register(_site_detail_blocks, func, order)


def register_public_action(action, label):
    """Make audit entries with this `action` visible on the public site page, worded as `label`."""
    _public_actions[action] = label


def public_action_label(action):
    """The public wording of an audit action, or None when the action is internal."""
    return _public_actions.get(action)


def _collect(registry, *args):
    blocks = []
    for _order, func in sorted(registry, key=lambda pair: pair[0]):
        block = func(*args)
        if block is not None:
            blocks.append(block)
    return blocks


def home_blocks(request):
    """The (template_name, context) pairs that apply to this request, in order."""
    return _collect(_home_blocks, request)


def site_detail_blocks(request, designation):
    return _collect(_site_detail_blocks, request, designation)


def render_blocks(request, blocks):
    """Render (template_name, context) pairs to HTML fragments (each autoescaped by its template)."""
    return [mark_safe(render_to_string(template_name, context, request=request)) for template_name, context in blocks]


# The sites app's own public action: R10 revocation (sites.services.designation_revoke).
register_public_action("sites.designation.revoke", _("撤销称号，收回牌匾"))
