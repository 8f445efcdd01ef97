"""sites/rules.py decides every "may this user …" of the designation workflow, for every role.

A superuser is the municipal office with admin rights (core.access.role_of): it may run rounds,
keep places and units, award and revoke, but rules that name who decides hold for it too — the
demo's `admin` cannot screen a county's application through the portal, the API or a service.
"""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from qujing_disclosure.core.errors import NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState
from tests.sites.conftest import attach_material

pytestmark = pytest.mark.django_db

ROLES = ["admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]


@pytest.fixture
def submitted(open_round, org, county_user):
    application = services.application_create(actor=county_user, round_id=open_round.pk, organization_id=org.pk,
                                              summary="创建情况", contact_name="李四", contact_phone="13800000000")
    attach_material(application, county_user)
    return services.application_submit(actor=county_user, application_id=application.pk)


# (permission, object key, roles that hold it)
TABLE = [
    ("sites.view_application", "submitted", {"admin", "municipal", "leading", "county_user", "org_user"}),
    ("sites.list_applications", None, {"admin", "municipal", "leading", "county_user", "other_county_user", "org_user"}),
    ("sites.add_application", None, {"county_user", "other_county_user", "org_user"}),
    ("sites.create_application", "org", {"county_user", "org_user"}),
    ("sites.edit_application", "submitted", {"county_user", "org_user"}),
    ("sites.submit_application", "submitted", {"county_user", "org_user"}),
    ("sites.withdraw_application", "submitted", {"county_user", "org_user"}),  # the county filed it itself
    ("sites.screen_application", "submitted", {"county_user"}),
    ("sites.view_screening_usage", "submitted", {"admin", "municipal", "leading", "county_user"}),
    ("sites.view_screening_summary", "round", {"admin", "municipal", "leading"}),
    ("sites.manage_round", "round", {"admin", "municipal"}),
    ("sites.manage_designation", None, {"admin", "municipal"}),
    ("sites.manage_places", None, {"admin", "municipal"}),
    ("sites.export_screening", None, {"admin", "municipal"}),
]


@pytest.mark.parametrize("perm, key, holders", TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ROLES)
def test_who_holds_each_permission(request, submitted, open_round, org, perm, key, holders, role):
    user = request.getfixturevalue(role)
    obj = {"submitted": submitted, "org": org, "round": open_round, None: None}[key]
    assert user.has_perm(perm, obj) is (role in holders)


def test_a_superuser_cannot_screen_a_countys_application_anywhere(client, admin, submitted):
    """Portal, API and service refuse the demo-like `admin`; the application stays submitted, unaudited."""
    before = AuditEntry.objects.count()

    client.force_login(admin)
    assert client.post(reverse("portal:application_recommend", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("portal:application_reject", args=[submitted.pk]), {"reject-reason": "x"}).status_code == 404

    api = APIClient()
    api.force_authenticate(admin)
    assert api.post(f"/api/v1/applications/{submitted.pk}/recommend/", {"reason": ""}, format="json").status_code == 404
    assert api.post(f"/api/v1/applications/{submitted.pk}/reject/", {"reason": "x"}, format="json").status_code == 404

    for service, kwargs in ((services.application_recommend, {}), (services.application_reject, {"reason": "x"})):
        with pytest.raises(NotPermitted) as refused:
            service(actor=admin, application_id=submitted.pk, **kwargs)
        assert refused.value.code == "forbidden"

    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED
    assert AuditEntry.objects.count() == before
