"""sites.services.designations: a title is awarded (R9) and revoked (R10) through one door each,
one audit row per change, never deleted."""
import datetime
from decimal import Decimal

import pytest

from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import DesignationStatus, Level, RoundStatus
from sites.models import Designation
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def past_round(city):
    return f.RoundFactory(organizer=city, name="2016年度市级创建", year=2016, level=Level.CITY, status=RoundStatus.FINISHED)


def test_a_title_of_a_round_before_the_system_names_its_unit_and_round(municipal, past_round, org):
    site = services.designation_award(actor=municipal, organization_id=org.pk, round_id=past_round.pk,
                                      plaque_number="QJ-S-2016-001", awarded_on=D(2016, 12, 16),
                                      subsidy_amount=Decimal("3000"))
    assert (site.organization, site.jurisdiction, site.level, site.status) == (org, org.jurisdiction, "city", "active")
    entry = AuditEntry.objects.get(object_id=str(site.pk))
    assert (entry.action, entry.actor, entry.to_state, entry.data) == (
        "sites.designation.award", municipal, "active", {"plaque_number": "QJ-S-2016-001", "subsidy": "3000"},
    )


@pytest.mark.parametrize("who", ["leading", "county_user", "org_user", "evaluator"])
def test_only_the_municipal_office_awards(request, who, past_round, org):
    with pytest.raises(NotPermitted) as refused:
        services.designation_award(actor=request.getfixturevalue(who), organization_id=org.pk, round_id=past_round.pk,
                                   plaque_number="QJ-S-2016-002", awarded_on=D(2016, 12, 16), subsidy_amount=Decimal("0"))
    assert refused.value.code == "forbidden"
    assert not Designation.objects.exists()


def test_a_revocation_is_one_audit_row_with_old_and_new_values_and_happens_once(municipal, org):
    site = f.DesignationFactory(organization=org)
    for _ in range(2):
        services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不达标", revoked_on=D(2026, 11, 25))
    site.refresh_from_db()
    assert (site.status, site.revoked_on, site.revoke_reason) == (DesignationStatus.REVOKED, D(2026, 11, 25), "复评不达标")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.from_state, entry.to_state, entry.reason) == (
        "sites.designation.revoke", "active", "revoked", "复评不达标",
    )
    assert entry.data["changes"] == {
        "revoke_reason": {"old": "", "new": "复评不达标"},
        "revoked_on": {"old": None, "new": "2026-11-25"},
    }


def test_a_caller_with_a_decision_passes_its_action_and_data_in_the_same_row(municipal, org):
    site = f.DesignationFactory(organization=org)
    services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评72分", action="evaluation.designation.revoke",
                                data={"decision_ref": "曲党公〔2026〕3号"})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.data["decision_ref"]) == ("evaluation.designation.revoke", "曲党公〔2026〕3号")


def test_a_revocation_needs_a_reason_and_the_municipal_office(municipal, county_user, org):
    site = f.DesignationFactory(organization=org)
    with pytest.raises(DomainError) as refused:
        services.designation_revoke(actor=municipal, designation_id=site.pk, reason="  ")
    assert (refused.value.code, refused.value.field, refused.value.rule) == ("reason_required", "reason", "R10")
    with pytest.raises(NotPermitted) as refused:
        services.designation_revoke(actor=county_user, designation_id=site.pk, reason="复评不达标")
    assert refused.value.code == "forbidden"
    assert Designation.objects.get(pk=site.pk).status == DesignationStatus.ACTIVE
    assert not AuditEntry.objects.exists()
