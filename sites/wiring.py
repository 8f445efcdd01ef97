"""How sites plugs into the project, and how other apps plug into sites' public pages.

`connect()` runs once from `SitesConfig.ready()`: it registers the media checker, the portal menu
links, the words of sites' audit actions, sites' public actions, and the signal that bumps the public
pages' cache version.

Registries other apps use (from their own `wiring.connect()`):
- Home page blocks (`/`): `register_home_block(func)` where `func(request)` returns
  `(template_name, context_dict)` or None when it has nothing to show. The evaluation
  app uses this for good-practice case stories (R8a) and the current publicity (R8).
- Site page blocks (`/sites/<id>/`): `register_site_detail_block(func)` where
  `func(request, designation)` returns `(template_name, context_dict)` or None.
- Public audit actions: the site page shows a designation's audit history to the public, but
  only actions registered here with a public wording
  (`register_public_action("sites.designation.award", _("授予…称号，颁发牌匾"))`), so internal
  steps (subsidy payments, notes) never leak by default.

Registering the same function or action twice is harmless. Blocks are rendered in `order`, then
registration order (sites.views.public renders them).
"""
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

_home_blocks: list = []
_site_detail_blocks: list = []
_public_actions: dict = {}


def _register(registry: list, func: Callable, order: int) -> None:
    if func not in [f for _order, f in registry]:
        registry.append((order, func))


def register_home_block(func: Callable, *, order: int = 100) -> None:
    _register(_home_blocks, func, order)


def register_site_detail_block(func: Callable, *, order: int = 100) -> None:
    _register(_site_detail_blocks, func, order)


def register_public_action(action: str, label) -> None:
    """Make audit entries with this `action` visible on the public site page, worded as `label`."""
    _public_actions[action] = label


def public_action_label(action: str):
    """The public wording of an audit action, or None when the action is internal."""
    return _public_actions.get(action)


def _collect(registry: list, *args) -> list:
    blocks = []
    for _order, func in sorted(registry, key=lambda pair: pair[0]):
        block = func(*args)
        if block is not None:
            blocks.append(block)
    return blocks


def home_blocks(request) -> list:
    """The (template_name, context) pairs that apply to this request, in order."""
    return _collect(_home_blocks, request)


def site_detail_blocks(request, designation) -> list:
    return _collect(_site_detail_blocks, request, designation)


# Words for sites' audit actions wherever a history is shown (admin, other apps' pages).
ACTION_LABELS = {
    "sites.round.create": _("创建轮次"),
    "sites.round.update": _("修改轮次"),
    "sites.round.set_status": _("变更轮次状态"),
    "sites.quota.set": _("设置名额"),
    "sites.jurisdiction.create": _("新增辖区"),
    "sites.jurisdiction.update": _("修改辖区"),
    "sites.organization.create": _("新增党组织"),
    "sites.organization.update": _("修改党组织"),
    "sites.application.create": _("创建申报"),
    "sites.application.update": _("修改申报"),
    "sites.application.add_material": _("上传材料"),
    "sites.application.submit": _("提交申报"),
    "sites.application.withdraw": _("撤回申报"),
    "sites.application.recommend": _("审核推荐"),
    "sites.application.reject": _("审核不推荐"),
    "sites.designation.award": _("授予称号"),
    "sites.designation.revoke": _("撤销称号"),
}


def _public_pages_changed(**kwargs) -> None:
    from qujing_disclosure.core.caching import bump_public_version

    bump_public_version("sites")


def connect() -> None:
    """Register sites with core's registries and hook its signals (called from SitesConfig.ready())."""
    from django.db.models.signals import post_save

    from qujing_disclosure.core.audit import register_action_label
    from qujing_disclosure.core.media import register_media_prefix
    from qujing_disclosure.core.portal import register_portal_link

    from .models import Designation, Jurisdiction, Organization
    from .selectors import material_download_allowed

    register_media_prefix("applications/", material_download_allowed)
    # Public directory pages are cached for anonymous readers; any change to what they show bumps the version.
    for model in (Designation, Organization, Jurisdiction):
        post_save.connect(_public_pages_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}")
    register_portal_link(_("创建轮次"), "portal:round_list", visible=lambda user: user.is_authenticated, order=10)
    register_portal_link(_("申报"), "portal:application_list",
                         visible=lambda user: user.has_perm("sites.list_applications"), order=20)
    for action, label in ACTION_LABELS.items():
        register_action_label(action, label)
    # R9/R10: the award and the revocation of a title are public, with the office's words.
    register_public_action("sites.designation.award", _("授予“党务公开工作示范点”称号，颁发牌匾"))
    register_public_action("sites.designation.revoke", _("撤销称号，收回牌匾"))
