from django.urls import path

from .views import portal

app_name = "disclosure_portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("catalogue/", portal.catalogue, name="catalogue"),
    path("catalogue/new/", portal.entry_create, name="entry_create"),
    path("catalogue/<int:pk>/edit/", portal.entry_edit, name="entry_edit"),
    path("carriers/new/", portal.carrier_create, name="carrier_create"),
    path("carriers/<int:pk>/edit/", portal.carrier_edit, name="carrier_edit"),
    path("items/", portal.item_list, name="item_list"),
    path("items/new/", portal.item_create, name="item_create"),
    path("items/<int:pk>/", portal.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", portal.item_edit, name="item_edit"),
    path("items/<int:pk>/<slug:action>/", portal.item_action, name="item_action"),
    path("feedback/", portal.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", portal.feedback_detail, name="feedback_detail"),
    path("exemptions/", portal.exemption_list, name="exemption_list"),
    path("exemptions/new/", portal.exemption_create, name="exemption_create"),
    path("exemptions/<int:pk>/review/", portal.exemption_review, name="exemption_review"),
    path("findings/", portal.finding_list, name="finding_list"),
    path("findings/new/", portal.finding_create, name="finding_create"),
    path("findings/<int:pk>/", portal.finding_detail, name="finding_detail"),
    path("rectifications/", portal.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", portal.rectification_detail, name="rectification_detail"),
    path("board/", portal.board, name="board"),
    path("board/export.xlsx", portal.board_export, name="board_export"),
]
