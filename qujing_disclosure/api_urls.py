"""/api/v1/: one router; each app registers its viewsets in its api.py `register(router)`."""
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

import disclosure.api
import evaluation.api
import sites.api

router = DefaultRouter()
for module in (sites.api, evaluation.api, disclosure.api):
    module.register(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
