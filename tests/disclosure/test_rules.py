"""rules: every "may this user …" of the disclosure work, asked the same way by portal, API, admin and
services. A superuser (`admin`) is the municipal office: it reviews and inspects like the office, but
never keeps an organisation's items or answers its feedback."""
import pytest

from tests.disclosure import factories as df

ROLES = ["admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]
# Who holds each permission on the 麒麟区 organisation's item (or feedback, notice …).
OWN_ORGANISATION = {"org_user"}
SUPERVISES = {"admin", "municipal", "county_user"}
OBJECT_PERMS = {
    "disclosure.edit_item": OWN_ORGANISATION,
    "disclosure.initial_review_item": OWN_ORGANISATION,
    "disclosure.manage_catalogue": OWN_ORGANISATION,
    "disclosure.manage_exemption": OWN_ORGANISATION,
    "disclosure.answer_feedback": OWN_ORGANISATION,
    "disclosure.report_rectification": OWN_ORGANISATION,
    "disclosure.archive_item": OWN_ORGANISATION | {"admin", "municipal"},
    "disclosure.review_item": SUPERVISES | {"leading"},
    "disclosure.inspect_item": SUPERVISES,
    "disclosure.record_finding": SUPERVISES,
    "disclosure.issue_rectification": SUPERVISES,
    "disclosure.check_rectification": SUPERVISES,
}
# Which pages exist for whom (permissions without an object).
READERS = {"admin", "municipal", "leading", "county_user", "other_county_user", "org_user", "other_org_user"}
ORGANISATIONS = {"org_user", "other_org_user"}
OFFICES = {"admin", "municipal", "leading", "county_user", "other_county_user"}
PAGE_PERMS = {
    "disclosure.use_portal": READERS,
    "disclosure.add_entry": ORGANISATIONS,
    "disclosure.add_carrier": ORGANISATIONS,
    "disclosure.add_item": ORGANISATIONS,
    "disclosure.add_exemption": ORGANISATIONS,
    "disclosure.view_findings": OFFICES,
    "disclosure.add_finding": {"admin", "municipal", "county_user", "other_county_user"},
    "disclosure.view_board": OFFICES,
    "disclosure.export_report": OFFICES,
    "disclosure.manage_categories": {"admin", "municipal"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(OBJECT_PERMS))
def test_object_permissions_by_role(request, entry, role, perm):
    item = df.ItemFactory(entry=entry)
    assert request.getfixturevalue(role).has_perm(perm, item) == (role in OBJECT_PERMS[perm])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(PAGE_PERMS))
def test_page_permissions_by_role(request, role, perm):
    assert request.getfixturevalue(role).has_perm(perm) == (role in PAGE_PERMS[perm])


@pytest.mark.django_db
def test_an_inactive_account_holds_no_permission(org_user, entry):
    org_user.is_active = False
    assert [perm for perm in OBJECT_PERMS if org_user.has_perm(perm, df.ItemFactory(entry=entry))] == []
