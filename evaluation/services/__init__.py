"""Every write of evaluation, publicity and award: the only doors through which their rows change
(`from evaluation import services; services.round_award(...)`).

Each door is `<entity>_<action>(*, actor, …)`: it locks its row, returns quietly when already in the
target state, refuses an illegal source (core.transitions), checks the actor with the rules of
evaluation/rules.py (actor=None means a scheduled job), saves only what changed and writes its audit
row in the same transaction (edits with old and new values); e-mails go out after the commit.
Application, round and designation changes go through sites' services.

- tables.py: the evaluation table and its criteria (R4);
- teams.py: candidates (R10 queue), teams and assignments, the conflict declaration (R5);
- scoring.py: scorecards and evidence (R4), democratic evaluation (R19);
- inspections.py: daily inspections and special checks (R20);
- shortlist.py: the preliminary list (R2, R6) and the leading group's deliberation (R7);
- publicity.py: the online publicity and its objections (R8);
- award.py: award and subsidy (R9), re-evaluation outcome and revocation (R10);
- stories.py: good-practice case stories (R8a).
"""
from .award import designation_revoke_with_decision, reevaluation_retain, round_award, subsidy_advance
from .inspections import INSPECTION_EDITABLE, inspection_check, inspection_record, inspection_update
from .publicity import (
    objection_answer,
    objection_create,
    objection_investigate,
    publicity_close,
    publicity_open,
    publicity_withdraw,
)
from .scoring import democratic_record, evidence_add, parse_points, scorecard_reopen, scorecard_save, scorecard_submit
from .shortlist import deliberation_record, shortlist_add, shortlist_remove
from .stories import story_check, story_save, story_set_status
from .tables import criterion_check, criterion_delete, criterion_methods_check, criterion_save, table_create_default, table_save, validate_methods
from .teams import (
    assignment_create,
    assignment_declare,
    assignment_withdraw,
    candidate_assign_team,
    candidates_sync,
    team_member_check,
    team_save,
)

__all__ = [
    "INSPECTION_EDITABLE", "assignment_create", "assignment_declare", "assignment_withdraw", "candidate_assign_team",
    "candidates_sync", "criterion_check", "criterion_delete", "criterion_methods_check", "criterion_save", "deliberation_record", "democratic_record",
    "designation_revoke_with_decision", "evidence_add", "inspection_check", "inspection_record", "inspection_update",
    "objection_answer", "objection_create", "objection_investigate", "parse_points", "publicity_close", "publicity_open",
    "publicity_withdraw", "reevaluation_retain", "round_award", "scorecard_reopen", "scorecard_save", "scorecard_submit",
    "shortlist_add", "shortlist_remove", "story_check", "story_save", "story_set_status", "subsidy_advance",
    "table_create_default", "table_save", "team_member_check", "team_save", "validate_methods",
]
