from django.urls import path

from .views import portal

app_name = "evaluation_portal"
urlpatterns = [
    path("", portal.tasks, name="tasks"),
    path("assignments/<int:pk>/", portal.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/declare/", portal.assignment_declare, name="assignment_declare"),
    path("assignments/<int:pk>/evidence/", portal.assignment_evidence, name="assignment_evidence"),
    path("assignments/<int:pk>/materials/<int:material_id>/", portal.assignment_material, name="assignment_material"),
    path("assignments/<int:pk>/withdraw/", portal.assignment_withdraw, name="assignment_withdraw"),
    path("results/", portal.county_results, name="county_results"),
    path("teams/", portal.teams, name="teams"),
    path("rounds/", portal.round_list, name="rounds"),
    path("rounds/<int:pk>/", portal.round_detail, name="round"),
    path("rounds/<int:pk>/do/<slug:action>/", portal.round_action, name="round_action"),
    path("rounds/<int:pk>/ranking/", portal.ranking, name="ranking"),
    path("rounds/<int:pk>/calibration/", portal.calibration, name="calibration"),
    path("rounds/<int:pk>/shortlist/<slug:action>/", portal.shortlist, name="shortlist"),
    path("rounds/<int:pk>/deliberation/", portal.deliberation, name="deliberation"),
    path("rounds/<int:pk>/publicity/", portal.publicity_open, name="publicity_open"),
    path("rounds/<int:pk>/award/", portal.award, name="award"),
    path("rounds/<int:pk>/reevaluation/", portal.reevaluation, name="reevaluation"),
    path("candidates/<int:pk>/", portal.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/democratic/", portal.democratic_edit, name="democratic"),
    path("candidates/<int:pk>/reevaluation/", portal.reevaluation_decide, name="reevaluation_decide"),
    path("scorecards/<int:pk>/reopen/", portal.scorecard_reopen, name="scorecard_reopen"),
    path("objections/", portal.objection_list, name="objections"),
    path("objections/<int:pk>/", portal.objection_detail, name="objection"),
    path("subsidies/", portal.subsidy_list, name="subsidies"),
    path("inspections/", portal.inspections, name="inspections"),
    path("rounds/<int:pk>/export/<slug:kind>.xlsx", portal.export, name="export"),
    path("teams/<int:pk>/sheet.xlsx", portal.team_sheet, name="team_sheet"),
    path("teams/<int:pk>/import/", portal.team_import, name="team_import"),
]
