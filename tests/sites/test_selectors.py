"""sites/selectors.py: what each role reads, and the R2 figures the portal, admin and export share."""
import pytest

from sites.enums import ApplicationState, DesignationStatus, RoundStatus
from sites.selectors import (
    material_list_for,
    quota_list_for,
    quota_usage_for,
    round_apply_list_for,
    round_usage_list_for,
    screening_summary,
)
from tests import factories as f
from tests.sites.conftest import application_in, attach_material

pytestmark = pytest.mark.django_db

def _user(request, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role, expected", [
    ("anonymous", []), ("admin", ["麒麟区", "沾益区"]), ("municipal", ["麒麟区", "沾益区"]), ("leading", ["麒麟区", "沾益区"]),
    ("evaluator", []), ("county_user", ["麒麟区"]), ("other_county_user", ["沾益区"]), ("org_user", ["麒麟区"]),
])
def test_quotas_by_role(request, open_round, role, expected):
    quotas = quota_list_for(_user(request, role)).filter(round=open_round).order_by("jurisdiction__sort_order")
    assert [q.jurisdiction.name for q in quotas] == expected


@pytest.mark.parametrize("role, expected", [
    ("anonymous", None), ("admin", (4, 8)), ("municipal", (4, 8)), ("leading", (4, 8)), ("evaluator", None),
    ("county_user", (2, 4)), ("other_county_user", (2, 4)), ("org_user", (2, 4)),
])
def test_round_usage_is_the_own_jurisdictions_or_the_citys(request, open_round, role, expected):
    """Slots and limit (R2): a county office or a unit sees its own, staff the city's totals, others none."""
    rounds = round_usage_list_for(_user(request, role))
    if role == "anonymous":
        assert rounds == []
        return
    usage = next(r for r in rounds if r.pk == open_round.pk).usage
    assert (None if usage is None else (usage.slots, usage.limit)) == expected


@pytest.mark.parametrize("role, expected", [
    ("admin", []), ("municipal", []), ("leading", []), ("evaluator", []),
    ("county_user", ["2026年县级示范点创建"]), ("other_county_user", ["2026年县级示范点创建"]), ("org_user", ["2026年县级示范点创建"]),
])
def test_rounds_to_apply_in_are_open_with_an_own_quota(request, open_round, city, role, expected):
    f.RoundFactory(organizer=city, name="无名额的轮次")  # open, but no quota for anyone
    f.QuotaFactory(round=f.RoundFactory(organizer=city, name="已结束的轮次", status=RoundStatus.CLOSED),
                   jurisdiction=open_round.quotas.first().jurisdiction)
    assert [r.name for r in round_apply_list_for(_user(request, role))] == expected


def test_a_unit_is_not_offered_a_round_it_already_applied_in(open_round, org, org_user):
    assert list(round_apply_list_for(org_user, in_window=True)) == [open_round]
    f.ApplicationFactory(round=open_round, organization=org, created_by=org_user)
    assert list(round_apply_list_for(org_user, in_window=True)) == []


def test_quota_usage_for_names_the_jurisdiction(open_round, county_user, municipal):
    assert quota_usage_for(county_user, round_=open_round).jurisdiction_name == "麒麟区"
    assert quota_usage_for(municipal, round_=open_round) is None


@pytest.mark.parametrize("role, visible", [
    ("anonymous", False), ("admin", True), ("municipal", True), ("leading", True), ("evaluator", False),
    ("county_user", True), ("other_county_user", False), ("org_user", True),
])
def test_materials_follow_their_application(request, open_round, org, county_user, role, visible):
    from sites import services

    application = services.application_create(actor=county_user, round_id=open_round.pk, organization_id=org.pk,
                                              summary="情况", contact_name="李四", contact_phone="13800000000")
    material = attach_material(application, county_user)
    assert list(material_list_for(_user(request, role))) == ([material] if visible else [])


# --- the summary -------------------------------------------------------------------
def test_screening_rows_count_states_and_designations_without_applications(screened_round):
    assert screening_summary(round_=screened_round) == [
        {"jurisdiction": "麒麟区", "slots": 2, "applications": 3, "recommended": 2, "limit": 4, "awarded": 0},
        {"jurisdiction": "沾益区", "slots": 2, "applications": 1, "recommended": 0, "limit": 4, "awarded": 1},
    ]


def test_screening_rows_count_an_awarded_application_once(open_round, county):
    awarded = application_in(open_round, county, ApplicationState.AWARDED)
    application_in(open_round, county, ApplicationState.AWARDED)  # designation not recorded (yet)
    f.DesignationFactory(round=open_round, organization=awarded.organization, application=awarded)
    row = screening_summary(round_=open_round)[0]
    assert (row["jurisdiction"], row["recommended"], row["awarded"]) == ("麒麟区", 2, 2)


def test_screening_rows_keep_a_later_revoked_title_as_awarded_in_its_round(open_round, other_county):
    f.DesignationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=other_county),
                         status=DesignationStatus.REVOKED, revoked_on="2026-01-05", revoke_reason="复评不合格")
    assert screening_summary(round_=open_round)[1]["awarded"] == 1


def test_screening_rows_take_three_queries_whatever_the_size(screened_round, django_assert_num_queries):
    for _ in range(5):
        county = f.JurisdictionFactory()
        f.QuotaFactory(round=screened_round, jurisdiction=county)
        application_in(screened_round, county, ApplicationState.SUBMITTED)
    with django_assert_num_queries(3):
        assert len(screening_summary(round_=screened_round)) == 7
