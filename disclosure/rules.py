"""Disclosure permissions, built from the predicates in core.access (the one place for roles).

- The organisation keeps its own catalogue, carriers, items, exemptions; answers its feedback;
  reports its rectifications.
- The supervising office (county office / dispatched committee of the organisation's jurisdiction,
  and the municipal office above all) reviews items (the leading group's review, R14), inspects them,
  records findings and issues and checks rectification notices (R20).
- Leading-group members may take part in the review step (审查) and read everything.
"""
import rules

from qujing_disclosure.core.access import (
    in_own_jurisdiction,
    is_county,
    is_leading_group,
    is_municipal,
    of_own_organization,
    sees_everything,
)

supervises = is_municipal | in_own_jurisdiction
can_read = sees_everything | in_own_jurisdiction | of_own_organization

rules.add_perm("disclosure.view_object", can_read)
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
rules.add_perm("disclosure.view_board", sees_everything | is_county)
rules.add_perm("disclosure.export_report", sees_everything | is_county)
