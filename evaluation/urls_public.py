from django.urls import path

from .views import public

app_name = "evaluation_public"
urlpatterns = [
    path("publicity/", public.publicity, name="publicity"),
    path("publicity/objections/", public.objection_lookup, name="objection_lookup"),
    path("publicity/objections/thanks/", public.objection_thanks, name="objection_thanks"),
    path("publicity/objections/<str:code>/", public.objection, name="objection"),
    path("stories/<int:pk>/", public.story, name="story"),
]
