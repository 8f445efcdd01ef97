from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qujing_disclosure.core"
    label = "core"
    verbose_name = _("账户与审计")
