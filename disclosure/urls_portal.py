from django.urls import path

from .views.portal import catalogue, items, overview, supervision

app_name = "disclosure_portal"
urlpatterns = [
    path("", overview.home, name="home"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", catalogue.entry_create, name="entry_create"),
    path("catalogue/<int:pk>/edit/", catalogue.entry_edit, name="entry_edit"),
    path("carriers/new/", catalogue.carrier_create, name="carrier_create"),
    path("carriers/<int:pk>/edit/", catalogue.carrier_edit, name="carrier_edit"),
    path("items/", items.item_list, name="item_list"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/<slug:action>/", items.item_action, name="item_action"),
    path("feedback/", supervision.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", supervision.feedback_detail, name="feedback_detail"),
    path("exemptions/", catalogue.exemption_list, name="exemption_list"),
    path("exemptions/new/", catalogue.exemption_create, name="exemption_create"),
    path("exemptions/<int:pk>/review/", catalogue.exemption_review, name="exemption_review"),
    path("findings/", supervision.finding_list, name="finding_list"),
    path("findings/new/", supervision.finding_create, name="finding_create"),
    path("findings/<int:pk>/", supervision.finding_detail, name="finding_detail"),
    path("rectifications/", supervision.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", supervision.rectification_detail, name="rectification_detail"),
    path("board/", overview.board, name="board"),
    path("board/export.xlsx", overview.board_export, name="board_export"),
]
