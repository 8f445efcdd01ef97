"""Who may do what with core's own rows (accounts, the audit record, the working-day calendar).

django-rules autodiscovers `<app>.rules`: core's role predicates live in access.py, each app's
permissions in its own rules.py; these are core's.
"""
import rules

from .access import is_municipal, is_superuser


@rules.predicate
def not_a_superuser_account(user, target):
    """The account is not a superuser's (or there is none yet: a new account)."""
    return target is None or not target.is_superuser


# The municipal office keeps the programme's accounts (roles, bindings, activation, passwords);
# a superuser's account only another superuser touches.
rules.add_perm("core.manage_user", is_municipal & (is_superuser | not_a_superuser_account))
# Superuser status, groups and raw Django permissions: superusers only.
rules.add_perm("core.grant_privileges", is_superuser)
rules.add_perm("core.view_audit", is_municipal)
rules.add_perm("core.set_calendar_day", is_municipal)
