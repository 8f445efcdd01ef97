from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qujing_disclosure.core import views as core_views

admin.site.site_header = _("曲靖市党务公开示范点管理系统")
admin.site.site_title = _("曲靖市党务公开示范点管理系统")
admin.site.index_title = _("管理后台")

# An outage of the database or Redis answers 503 with a clear message; other errors 500.
handler500 = "qujing_disclosure.core.views.server_error"

urlpatterns = [
    # Probes: answered first by core.probes.ProbeMiddleware; the routes keep reverse() working.
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("i18n/switch/", core_views.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("qujing_disclosure.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("portal/", include("sites.urls_portal")),
    path("portal/evaluation/", include("evaluation.urls_portal")),
    path("portal/disclosure/", include("disclosure.urls_portal")),
    path("", include("evaluation.urls_public")),
    path("", include("disclosure.urls_public")),
    path("", include("sites.urls_public")),
    # Uploaded files are served only to signed-in users with access (see core/views.py).
    path("media/<path:path>", core_views.protected_media, name="media"),
]
