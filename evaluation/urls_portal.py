app_name = "evaluation_portal"
urlpatterns = []
