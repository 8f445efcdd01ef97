"""Every write of the designation workflow: the only door through which its rows and states change.

Each service follows core's door (`qujing_disclosure/core/transitions.py`): lock the row, check the
actor against `sites/rules.py` (`core.access.require`; `actor=None` is a scheduled job), return
quietly if already there, refuse a state the enums' table does not allow, save with update_fields
and write the audit record (old and new values) in the same transaction.

- places:        jurisdiction_save, organization_save (+ their checks for admin forms)
- rounds:        round_save, round_set_status, quota_set (+ round_check, quota_check)
- applications:  application_create / update / add_material / submit / withdraw / recommend /
                 reject, and application_set_state for the evaluation workflow
- designations:  designation_award, designation_revoke (R9, R10)
- uploads:       validate_upload (shared with disclosure)
"""
from .applications import (
    application_add_material,
    application_create,
    application_recommend,
    application_reject,
    application_set_state,
    application_submit,
    application_update,
    application_withdraw,
)
from .designations import designation_award, designation_revoke
from .places import (
    JURISDICTION_FIELDS,
    ORGANIZATION_FIELDS,
    jurisdiction_check,
    jurisdiction_save,
    organization_check,
    organization_save,
)
from .rounds import ROUND_FIELDS, quota_check, quota_set, round_check, round_save, round_set_status
from .uploads import ALLOWED_UPLOAD_EXTENSIONS, validate_upload

__all__ = [
    "ALLOWED_UPLOAD_EXTENSIONS", "JURISDICTION_FIELDS", "ORGANIZATION_FIELDS", "ROUND_FIELDS",
    "application_add_material", "application_create", "application_recommend", "application_reject",
    "application_set_state", "application_submit", "application_update", "application_withdraw",
    "designation_award", "designation_revoke", "jurisdiction_check", "jurisdiction_save",
    "organization_check", "organization_save", "quota_check", "quota_set", "round_check", "round_save",
    "round_set_status", "validate_upload",
]
