"""Portal pages of evaluation (/portal/evaluation/): evaluators score; staff rank, list, publish and award.

Thin views: reads start from the scoped selectors, writes go through evaluation.services, every
"may this user" is a rule (evaluation/rules.py). Out-of-scope objects answer 404 (never 403).
State changes are POST-only and CSRF-protected.

- evaluator.py: tasks, declaration, scoring, materials, a team leader's paper sheet;
- rounds.py: the office's round pages, ranking, list, deliberation, publicity, exports, county results, inspections;
- award.py: objections, award, subsidies, re-evaluation.
"""
from .award import award, objection_detail, objection_list, reevaluation, reevaluation_decide, subsidy_list
from .evaluator import assignment_declare, assignment_detail, assignment_evidence, assignment_material, tasks, team_import, team_sheet, teams
from .rounds import (
    assignment_withdraw,
    calibration,
    candidate_detail,
    county_results,
    deliberation,
    democratic_edit,
    export,
    inspections,
    publicity_open,
    ranking,
    round_action,
    round_detail,
    round_list,
    scorecard_reopen,
    shortlist,
)

__all__ = [
    "assignment_declare", "assignment_detail", "assignment_evidence", "assignment_material", "assignment_withdraw", "award",
    "calibration", "candidate_detail", "county_results", "deliberation", "democratic_edit", "export", "inspections",
    "objection_detail", "objection_list", "publicity_open", "ranking", "reevaluation", "reevaluation_decide", "round_action",
    "round_detail", "round_list", "scorecard_reopen", "shortlist", "subsidy_list", "tasks", "team_import", "team_sheet", "teams",
]
