"""Public pages of the designation programme (anyone may read them)."""
from django.urls import path

from .views import public

app_name = "public"
urlpatterns = [
    path("", public.home, name="home"),
    path("sites/", public.site_list, name="site_list"),
    path("sites/verify/", public.site_verify, name="site_verify"),
    path("sites/<int:pk>/", public.site_detail, name="site_detail"),
]
