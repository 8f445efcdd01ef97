from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = _("示范点创建")

    def ready(self):
        from . import wiring

        wiring.connect()
