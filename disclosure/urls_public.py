from django.urls import path

from .views import public

app_name = "disclosure_public"
urlpatterns = [
    path("disclosure/", public.organization_index, name="index"),
    path("disclosure/<int:pk>/", public.organization_page, name="organization"),
    path("disclosure/<int:pk>/feedback/", public.feedback_create, name="feedback_create"),
    path("disclosure/<int:pk>/rate/", public.rating_create, name="rating_create"),
    path("feedback/", public.feedback_lookup, name="feedback_lookup"),
    path("feedback/<str:code>/", public.feedback_detail, name="feedback"),
]
