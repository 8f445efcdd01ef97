"""core/rules.py: who keeps the accounts, the audit record and the calendar — every role, `admin` included."""
import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]


@pytest.mark.parametrize("role", ROLES)
def test_who_holds_each_core_permission(request, role, county):
    user = request.getfixturevalue(role)
    account = f.county_user(county, username="someone")
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    office = role in ("admin", "municipal")
    assert user.has_perm("core.manage_user", account) is office
    assert user.has_perm("core.manage_user", superuser) is (role == "admin")
    assert user.has_perm("core.manage_user", None) is office  # a new account
    assert user.has_perm("core.grant_privileges") is (role == "admin")
    assert user.has_perm("core.view_audit") is office
    assert user.has_perm("core.set_calendar_day") is office


def test_an_inactive_superuser_holds_nothing(admin):
    admin.is_active = False
    assert not admin.has_perm("core.manage_user", None)
    assert not admin.has_perm("sites.manage_round")
