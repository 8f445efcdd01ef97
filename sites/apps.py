from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = _("示范点创建")

    def ready(self):
        from qujing_disclosure.core.media import register_media_prefix

        register_media_prefix("applications/", _material_download_allowed)


def _material_download_allowed(user, path):
    """Application materials: only users who may read the application (same scoping as the portal)."""
    from .models import ApplicationMaterial
    from .selectors import application_list_for

    return ApplicationMaterial.objects.filter(
        file=path, application__in=application_list_for(user).values("pk")
    ).exists()
