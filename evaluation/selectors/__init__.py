"""Reads of evaluation, publicity and award (`from evaluation import selectors`).

- scopes.py: who reads what — every `<entity>_list_for(user)` / `<entity>_get_for(user, pk)` (404 outside scope);
- scores.py: the panel's score, suggestions (R19), table lock, conflicts of interest (R5), the preliminary list;
- ranking.py: the ranking with inspection and disclosure records (R2, R6, R20) and the calibration;
- publicity.py: the running publicity, objection deadlines (R8) and published stories (R8a).
"""
from .publicity import (
    objection_by_code,
    objection_deadline,
    objections_with_deadlines,
    publicity_current,
    publicity_is_running,
    publicity_of_round,
    stories_published,
)
from .ranking import RankedCandidate, calibration, disclosure_records, disclosure_summary, inspections_for_organizations, ranking
from .scopes import (
    assignment_get_for,
    assignment_list_for,
    assignment_material_get_for,
    candidate_get_for,
    candidate_list_for,
    candidate_results_get_for,
    candidate_results_list_for,
    county_office_emails,
    deliberation_list_for,
    democratic_list_for,
    evaluation_round_get_for,
    evaluation_round_list_for,
    evidence_download_allowed,
    inspection_list_for,
    objection_get_for,
    objection_list_for,
    panel_scorecards_for,
    publicity_list_for,
    reevaluation_get_for,
    reevaluation_list_for,
    revocation_list_for,
    scorecard_get_for,
    scorecard_list_for,
    staff_file_download_allowed,
    story_list_for,
    story_photo_download_allowed,
    subsidy_get_for,
    subsidy_list_for,
    table_list_for,
    team_get_for,
    team_led_exists,
    team_list_for,
)
from .scores import (
    aggregate_totals,
    candidate_aggregate,
    candidate_aggregates,
    conflict_of_interest,
    current_list_ids,
    democratic_suggestion,
    fmt,
    suggested_points,
    table_is_locked,
)

__all__ = [
    "RankedCandidate", "aggregate_totals", "assignment_get_for", "assignment_list_for", "assignment_material_get_for",
    "calibration", "candidate_aggregate", "candidate_aggregates", "candidate_get_for", "candidate_list_for",
    "candidate_results_get_for", "candidate_results_list_for", "conflict_of_interest", "county_office_emails",
    "current_list_ids", "deliberation_list_for", "democratic_list_for", "democratic_suggestion", "disclosure_records",
    "disclosure_summary", "evaluation_round_get_for", "evaluation_round_list_for", "evidence_download_allowed", "fmt",
    "inspection_list_for", "inspections_for_organizations", "objection_by_code", "objection_deadline", "objection_get_for",
    "objection_list_for", "objections_with_deadlines", "panel_scorecards_for", "publicity_current", "publicity_is_running",
    "publicity_list_for", "publicity_of_round", "ranking", "reevaluation_get_for", "reevaluation_list_for", "revocation_list_for", "scorecard_get_for",
    "scorecard_list_for", "staff_file_download_allowed", "stories_published", "story_list_for",
    "story_photo_download_allowed", "subsidy_get_for", "subsidy_list_for", "suggested_points", "table_is_locked",
    "table_list_for", "team_get_for", "team_led_exists", "team_list_for",
]
