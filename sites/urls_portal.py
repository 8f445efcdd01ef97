from django.contrib.auth import views as auth_views
from django.urls import path

from .views import portal

app_name = "portal"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", portal.dashboard, name="dashboard"),
    path("rounds/", portal.round_list, name="round_list"),
    path("rounds/<int:pk>/", portal.round_detail, name="round_detail"),
    path("applications/", portal.application_list, name="application_list"),
    path("applications/new/", portal.application_create, name="application_create"),
    path("applications/<int:pk>/", portal.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", portal.application_edit, name="application_edit"),
    path("applications/<int:pk>/materials/", portal.application_materials, name="application_materials"),
    path("applications/<int:pk>/submit/", portal.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", portal.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/recommend/", portal.application_recommend, name="application_recommend"),
    path("applications/<int:pk>/reject/", portal.application_reject, name="application_reject"),
]
