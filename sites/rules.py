"""Who may do what in the designation workflow: every "may this user …" of sites, as django-rules
permissions built from core.access's role predicates.

Portal, API, admin and services ask the same question: `user.has_perm("sites.screen_application", app)`
(services through `core.access.require`). A superuser is the municipal office (core.access.role_of):
it may run rounds and award, but a county's screening stays the county's.
"""
import rules

from qujing_disclosure.core.access import (
    in_own_jurisdiction,
    is_county,
    is_municipal,
    is_organization_user,
    of_own_organization,
    sees_everything,
)
from qujing_disclosure.core.models import Role


@rules.predicate
def filed_by_own_office(user, application):
    """The county office filed this application itself (on the unit's behalf)."""
    creator = getattr(application, "created_by", None)
    return creator is not None and creator.role == Role.COUNTY and creator.jurisdiction_id == user.jurisdiction_id


# --- applications (R3) -----------------------------------------------------------------
rules.add_perm("sites.view_application", sees_everything | in_own_jurisdiction | of_own_organization)
# Without an object: does this user work with applications at all (their list, their quota usage)?
rules.add_perm("sites.list_applications", sees_everything | is_county | is_organization_user)
# R3: the unit applies (an organisation user) or its county office applies for it.
rules.add_perm("sites.create_application", in_own_jurisdiction | of_own_organization)
# Without an object: may this user ever apply (a county office or an organisation user)?
rules.add_perm("sites.add_application", is_county | is_organization_user)
rules.add_perm("sites.edit_application", in_own_jurisdiction | of_own_organization)
rules.add_perm("sites.submit_application", in_own_jurisdiction | of_own_organization)
# The applicant withdraws: the unit, or the county office for an application it filed itself.
# Withdrawing a unit's own application would be a rejection without a reason (R3).
rules.add_perm("sites.withdraw_application", of_own_organization | (in_own_jurisdiction & filed_by_own_office))
# R2/R3: the jurisdiction vets and recommends or rejects (never the municipal office, superusers included).
rules.add_perm("sites.screen_application", in_own_jurisdiction)
# The R2 usage beside an application: those who screen it and those who oversee every jurisdiction.
rules.add_perm("sites.view_screening_usage", sees_everything | in_own_jurisdiction)
# Every jurisdiction's screening figures of a round (R2): those who oversee them all.
rules.add_perm("sites.view_screening_summary", sees_everything)

# --- the municipal office's work ---------------------------------------------------------
rules.add_perm("sites.manage_round", is_municipal)
rules.add_perm("sites.manage_designation", is_municipal)
rules.add_perm("sites.manage_places", is_municipal)
rules.add_perm("sites.export_screening", is_municipal)
