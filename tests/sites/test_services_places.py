"""sites.services.places: jurisdictions and organisations are kept by the municipal office, every edit
audited with old and new values (a unit's jurisdiction decides which county office sees it)."""
import pytest

from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.models import Jurisdiction, Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


def _changes(entry):
    return entry.data["changes"]


def test_moving_a_unit_to_another_jurisdiction_records_old_and_new(municipal, org, county, other_county):
    services.organization_save(actor=municipal, organization_id=org.pk,
                               values={"jurisdiction": other_county, "contact_phone": "0874-9999999"})
    org.refresh_from_db()
    assert org.jurisdiction == other_county
    entry = AuditEntry.objects.get(action="sites.organization.update")
    assert entry.actor == municipal
    assert _changes(entry) == {
        "contact_phone": {"old": "", "new": "0874-9999999"},
        "jurisdiction": {"old": county.pk, "new": other_county.pk},
    }


def test_saving_the_same_values_again_writes_nothing(municipal, org):
    services.organization_save(actor=municipal, organization_id=org.pk, values={"name": org.name, "is_active": True})
    assert not AuditEntry.objects.exists()


def test_a_new_unit_is_recorded_with_every_value_as_new(municipal, county):
    unit = services.organization_save(actor=municipal, organization_id=None,
                                      values={"name": "麒麟区新设党支部", "jurisdiction": county, "sector": "机关"})
    entry = AuditEntry.objects.get(action="sites.organization.create", object_id=str(unit.pk))
    assert _changes(entry) == {
        "jurisdiction": {"old": None, "new": county.pk},
        "name": {"old": None, "new": "麒麟区新设党支部"},
        "sector": {"old": None, "new": "机关"},
    }


@pytest.mark.parametrize("who", ["admin", "leading", "county_user", "org_user", "evaluator"])
def test_only_the_municipal_office_edits_units_and_places(request, who, org, county):
    actor = f.UserFactory(username="admin", is_superuser=True, is_staff=True) if who == "admin" else request.getfixturevalue(who)
    if who == "admin":  # a superuser is the municipal office: allowed
        services.organization_save(actor=actor, organization_id=org.pk, values={"sector": "学校"})
        services.jurisdiction_save(actor=actor, jurisdiction_id=county.pk, values={"sort_order": 7})
        assert AuditEntry.objects.filter(actor=actor).count() == 2
        return
    with pytest.raises(NotPermitted) as refused:
        services.organization_save(actor=actor, organization_id=org.pk, values={"jurisdiction": f.JurisdictionFactory()})
    assert refused.value.code == "forbidden"
    with pytest.raises(NotPermitted) as refused:
        services.jurisdiction_save(actor=actor, jurisdiction_id=county.pk, values={"name": "改名区"})
    assert refused.value.code == "forbidden"
    org.refresh_from_db()
    county.refresh_from_db()
    assert (org.jurisdiction_id, county.name) == (county.pk, "麒麟区")
    assert not AuditEntry.objects.exists()


def test_a_unit_cannot_be_placed_under_its_own_child(municipal, org):
    child = f.OrganizationFactory(jurisdiction=org.jurisdiction, parent=org, name="麒麟区第一党支部第一党小组")
    with pytest.raises(DomainError) as refused:
        services.organization_save(actor=municipal, organization_id=org.pk, values={"parent": child})
    assert (refused.value.code, refused.value.field) == ("parent_circle", "parent")
    assert str(refused.value) == "上级党组织不能是本组织或其下级组织。"
    org.refresh_from_db()
    assert org.parent is None


def test_a_jurisdiction_cannot_be_its_own_parent(municipal, county):
    with pytest.raises(DomainError) as refused:
        services.jurisdiction_save(actor=municipal, jurisdiction_id=county.pk, values={"parent": county})
    assert refused.value.code == "parent_circle"
    assert Jurisdiction.objects.get(pk=county.pk).parent is None


def test_fields_outside_the_editable_set_are_a_programming_error(municipal, org):
    with pytest.raises(TypeError, match="created_at"):
        services.organization_save(actor=municipal, organization_id=org.pk, values={"created_at": None})
    assert Organization.objects.get(pk=org.pk).created_at is not None
