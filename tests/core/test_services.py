"""core.services: accounts change only through these doors, audited with old and new values (never a
password), and only the municipal office (superusers for privileges) may call them."""
import pytest

from qujing_disclosure.core import services
from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.models import AuditEntry, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(county):
    return f.county_user(county, username="target")


def test_a_role_change_records_old_and_new_values(municipal, target, org, county):
    services.user_update(actor=municipal, user_id=target.pk,
                         values={"role": Role.ORGANIZATION, "organization": org, "jurisdiction": None})
    target.refresh_from_db()
    assert (target.role, target.organization, target.jurisdiction) == (Role.ORGANIZATION, org, None)
    entry = AuditEntry.objects.get(action="core.user.update")
    assert (entry.actor, entry.object_id) == (municipal, str(target.pk))
    assert entry.data["changes"] == {
        "jurisdiction": {"old": county.pk, "new": None},
        "organization": {"old": None, "new": org.pk},
        "role": {"old": "county", "new": "organization"},
    }


def test_the_same_values_again_write_nothing(municipal, target):
    services.user_update(actor=municipal, user_id=target.pk, values={"role": Role.COUNTY, "is_active": True})
    assert not AuditEntry.objects.exists()


def test_deactivating_an_account_is_audited(municipal, target):
    services.user_update(actor=municipal, user_id=target.pk, values={"is_active": False})
    assert AuditEntry.objects.get(action="core.user.update").data["changes"] == {"is_active": {"old": True, "new": False}}
    assert not User.objects.get(pk=target.pk).is_active


@pytest.mark.parametrize("values, field, code", [
    ({"jurisdiction": None}, "jurisdiction", "jurisdiction_required"),
    ({"role": Role.ORGANIZATION}, "organization", "organization_required"),
])
def test_an_account_without_its_binding_is_refused_and_nothing_changes(municipal, target, values, field, code):
    with pytest.raises(DomainError) as refused:
        services.user_update(actor=municipal, user_id=target.pk, values=values)
    assert (refused.value.field, refused.value.code) == (field, code)
    target.refresh_from_db()
    assert (target.role, target.jurisdiction_id is not None) == (Role.COUNTY, True)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["leading", "evaluator", "county_user", "other_county_user", "org_user"])
def test_only_the_municipal_office_manages_accounts(request, who, target):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotPermitted) as refused:
        services.user_update(actor=actor, user_id=target.pk, values={"is_active": False})
    assert refused.value.code == "forbidden"
    with pytest.raises(NotPermitted) as refused:
        services.user_create(actor=actor, values={"username": "new", "role": Role.LEADING_GROUP})
    assert refused.value.code == "forbidden"
    assert User.objects.get(pk=target.pk).is_active and not User.objects.filter(username="new").exists()


def test_office_staff_may_not_grant_privileges_or_touch_a_superuser(municipal, admin, target):
    with pytest.raises(NotPermitted) as refused:
        services.user_update(actor=municipal, user_id=target.pk, values={"is_superuser": True})
    assert refused.value.code == "forbidden"
    with pytest.raises(NotPermitted) as refused:
        services.user_update(actor=municipal, user_id=admin.pk, values={"is_active": False})
    assert refused.value.code == "forbidden"
    assert not User.objects.get(pk=target.pk).is_superuser and User.objects.get(pk=admin.pk).is_active
    # A superuser may do both.
    services.user_update(actor=admin, user_id=target.pk, values={"is_superuser": True})
    assert User.objects.get(pk=target.pk).is_superuser


def test_a_new_account_is_recorded_without_its_password(municipal, county):
    user = services.user_create(actor=municipal, values={"username": "luliang", "role": Role.COUNTY, "jurisdiction": county},
                                password="s3cret-Pass")
    assert user.check_password("s3cret-Pass")
    entry = AuditEntry.objects.get(action="core.user.create")
    assert entry.data["changes"] == {
        "jurisdiction": {"old": None, "new": county.pk},
        "role": {"old": None, "new": "county"},
        "username": {"old": None, "new": "luliang"},
    }
    assert "s3cret" not in str(entry.data) and user.password not in str(entry.data)


def test_a_password_change_is_audited_without_the_value(municipal, target):
    services.user_set_password(actor=municipal, user_id=target.pk, password="N3w-Password!")
    assert User.objects.get(pk=target.pk).check_password("N3w-Password!")
    entry = AuditEntry.objects.get(action="core.user.set_password")
    assert (entry.actor, entry.data) == (municipal, {"usable_password": True})
