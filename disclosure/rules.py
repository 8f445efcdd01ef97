"""Who may do what in the disclosure work: every permission is a django-rules predicate here, built from
the roles in core.access. Portal, API, admin and services ask the same question
(`user.has_perm("disclosure.review_item", item)`); a superuser is the municipal office (User.has_perm asks
these rules for superusers too), so it reviews and inspects like the office but never keeps an
organisation's catalogue or answers its feedback.

- The organisation keeps its own catalogue, carriers, items and exemptions; answers its feedback;
  reports its rectifications.
- The supervising office (county office / dispatched committee of the organisation's jurisdiction,
  and the municipal office above all) reviews items (the leading group's review, R14), inspects them,
  records findings and issues and checks rectification notices (R20).
- Leading-group members may take part in the review step (审查) and read everything.

Permissions without an object answer "may this user ever …" (which portal pages exist for them);
those with an object answer for that object.
"""
import rules

from qujing_disclosure.core.access import (
    in_own_jurisdiction,
    is_county,
    is_leading_group,
    is_municipal,
    is_organization_user,
    of_own_organization,
    sees_everything,
)

supervises = is_municipal | in_own_jurisdiction
# Reads what an office supervises: county offices their jurisdiction, staff and the leading group everything.
is_supervising_reader = sees_everything | is_county

# --- pages (no object) ----------------------------------------------------------------------------
rules.add_perm("disclosure.use_portal", is_organization_user | is_supervising_reader)
rules.add_perm("disclosure.add_entry", is_organization_user)
rules.add_perm("disclosure.add_carrier", is_organization_user)
rules.add_perm("disclosure.add_item", is_organization_user)
rules.add_perm("disclosure.add_exemption", is_organization_user)
rules.add_perm("disclosure.view_findings", is_supervising_reader)
rules.add_perm("disclosure.add_finding", is_municipal | is_county)
rules.add_perm("disclosure.view_board", is_supervising_reader)
rules.add_perm("disclosure.export_report", is_supervising_reader)
# R12: the standard categories of the catalogue are the municipal office's (admin).
rules.add_perm("disclosure.manage_categories", is_municipal)

# --- objects ----------------------------------------------------------------------------------------
rules.add_perm("disclosure.manage_catalogue", of_own_organization)
rules.add_perm("disclosure.edit_item", of_own_organization)
rules.add_perm("disclosure.initial_review_item", of_own_organization)
# R14 step 4: the organisation archives; the municipal office may too (admin), never before 15 days (R17).
rules.add_perm("disclosure.archive_item", of_own_organization | is_municipal)
# R14: the leading group's review (审查), done through the supervising office or by its members.
rules.add_perm("disclosure.review_item", supervises | is_leading_group)
rules.add_perm("disclosure.inspect_item", supervises)
rules.add_perm("disclosure.manage_exemption", of_own_organization)
rules.add_perm("disclosure.answer_feedback", of_own_organization)
rules.add_perm("disclosure.record_finding", supervises)
rules.add_perm("disclosure.issue_rectification", supervises)
rules.add_perm("disclosure.check_rectification", supervises)
rules.add_perm("disclosure.report_rectification", of_own_organization)
