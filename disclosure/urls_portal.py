app_name = "disclosure_portal"
urlpatterns = []
