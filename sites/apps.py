from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = _("示范点创建")

    def ready(self):
        from qujing_disclosure.core.access import (
            is_county,
            is_organization_user,
            sees_everything,
        )
        from qujing_disclosure.core.media import register_media_prefix
        from qujing_disclosure.core.portal import register_portal_link

        from .selectors import material_download_allowed

        register_media_prefix("applications/", material_download_allowed)
        # Public directory pages are cached for anonymous readers; any change to what they show bumps the version.
        from django.db.models.signals import post_save

        from .models import Designation, Jurisdiction, Organization

        for model in (Designation, Organization, Jurisdiction):
            post_save.connect(_public_pages_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}")
        register_portal_link(_("创建轮次"), "portal:round_list", visible=lambda u: u.is_authenticated, order=10)
        register_portal_link(
            _("申报"), "portal:application_list",
            visible=lambda u: sees_everything(u) or is_county(u) or is_organization_user(u), order=20,
        )


def _public_pages_changed(**kwargs):
    from qujing_disclosure.core.caching import bump_public_version

    bump_public_version("sites")
