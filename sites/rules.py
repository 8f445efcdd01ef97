"""Who may do what in the designation workflow (django-rules), built from core.access's roles."""
import rules

from qujing_disclosure.core.access import in_own_jurisdiction, is_county, is_municipal, is_organization_user, of_own_organization, sees_everything
from qujing_disclosure.core.models import Role

rules.add_perm("sites.view_application", sees_everything | in_own_jurisdiction | of_own_organization)
# R3: the unit applies (an organisation user) or its county office applies for it.
rules.add_perm("sites.create_application", in_own_jurisdiction | of_own_organization)
# Without an object: may this user ever apply (a county office or an organisation user)?
rules.add_perm("sites.add_application", is_county | is_organization_user)
rules.add_perm("sites.edit_application", in_own_jurisdiction | of_own_organization)
rules.add_perm("sites.submit_application", in_own_jurisdiction | of_own_organization)
@rules.predicate
def filed_by_own_office(user, application):
    """The county office filed this application itself (on the unit's behalf)."""
    creator = getattr(application, "created_by", None)
    return creator is not None and creator.role == Role.COUNTY and creator.jurisdiction_id == user.jurisdiction_id


# The applicant withdraws: the unit, or the county office for an application it filed itself.
# Withdrawing a unit's own application would be a rejection without a reason (R3).
rules.add_perm("sites.withdraw_application", of_own_organization | (in_own_jurisdiction & filed_by_own_office))
# R2/R3: the jurisdiction vets and recommends or rejects.
rules.add_perm("sites.screen_application", in_own_jurisdiction)
rules.add_perm("sites.manage_round", is_municipal)
rules.add_perm("sites.manage_designation", is_municipal)
rules.add_perm("sites.export_screening", is_municipal)
