"""The browser admin for the municipal office: access, read-only state, actions through services, no deletes."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState, DesignationStatus, RoundStatus
from sites.models import Application, Designation, Organization, Round
from tests import factories as f
from tests.sites.conftest import attach_material

MODELS = ["jurisdiction", "organization", "round", "application", "designation"]


def _changelist(model):
    return reverse(f"admin:sites_{model}_changelist")


@pytest.fixture
def admin_client_municipal(client, municipal):
    """The municipal office: staff, not superuser — access comes from core.access, not model permissions."""
    assert municipal.is_staff and not municipal.is_superuser
    client.force_login(municipal)
    return client


@pytest.fixture
def submitted(open_round, county, county_user):
    org = f.OrganizationFactory(jurisdiction=county, name="麒麟区白石江社区党委")
    app = services.application_create(actor=county_user, round_id=open_round.pk, organization_id=org.pk,
                                      summary="创建情况", contact_name="李四", contact_phone="13800000000")
    attach_material(app, county_user)
    return services.application_submit(actor=county_user, application_id=app.pk)


@pytest.fixture
def designation(open_round, county):
    return f.DesignationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=county, name="麒麟区某社区党委"),
                                plaque_number="QJ-X-2018-045")


# --- who gets in ---------------------------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_municipal_office_sees_every_changelist(admin_client_municipal, model, submitted, designation):
    response = admin_client_municipal.get(_changelist(model))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_sees_every_changelist_with_the_same_rows(client, admin, municipal, model, submitted, designation):
    counts = []
    for user in (admin, municipal):
        client.force_login(user)
        response = client.get(_changelist(model))
        assert response.status_code == 200
        counts.append(response.context["cl"].result_count)
    assert counts[0] == counts[1] > 0


def test_admin_index_lists_the_sites_models_for_the_municipal_office(admin_client_municipal):
    response = admin_client_municipal.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("辖区", "党组织", "创建轮次", "申报", "示范点"):
        assert label in content


@pytest.mark.parametrize("who", [None, "leading", "evaluator", "county_user", "other_county_user", "org_user"])
@pytest.mark.parametrize("model", MODELS)
def test_admin_sends_other_roles_to_the_admin_login(client, request, who, model, open_round):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(_changelist(model))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS)
def test_staff_who_are_not_municipal_get_nothing(client, county, model):
    client.force_login(f.county_user(county, username="staff_county", is_staff=True))
    assert client.get(_changelist(model)).status_code == 403
    index = client.get(reverse("admin:index"))
    assert "创建轮次" not in index.content.decode()


# --- nothing official is deleted -------------------------------------------------------
@pytest.mark.parametrize("model", MODELS)
def test_delete_is_not_offered(admin_client_municipal, model, open_round, submitted, designation):
    obj = {
        "jurisdiction": open_round.organizer, "organization": submitted.organization, "round": open_round,
        "application": submitted, "designation": designation,
    }[model]
    changelist = admin_client_municipal.get(_changelist(model)).content.decode()
    assert "delete_selected" not in changelist
    change = admin_client_municipal.get(reverse(f"admin:sites_{model}_change", args=[obj.pk])).content.decode()
    assert reverse(f"admin:sites_{model}_delete", args=[obj.pk]) not in change
    assert admin_client_municipal.post(reverse(f"admin:sites_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_quota_inline_offers_no_delete(admin_client_municipal, open_round):
    content = admin_client_municipal.get(reverse("admin:sites_round_change", args=[open_round.pk])).content.decode()
    assert "quotas-0-DELETE" not in content
    assert 'name="quotas-0-slots"' in content


# --- rounds: status read-only, changed by actions ------------------------------------
def _round_post(round_, **overrides):
    data = {
        "name": round_.name, "year": round_.year, "level": round_.level, "organizer": round_.organizer_id,
        "ratio": round_.ratio, "pass_mark": "80", "description": "",
        "applications_open_on": round_.applications_open_on.isoformat(),
        "applications_close_on": round_.applications_close_on.isoformat(),
        "screening_close_on": round_.screening_close_on.isoformat(),
        "quotas-TOTAL_FORMS": "0", "quotas-INITIAL_FORMS": "0", "quotas-MIN_NUM_FORMS": "0", "quotas-MAX_NUM_FORMS": "1000",
    }
    quotas = list(round_.quotas.order_by("jurisdiction__sort_order"))
    data["quotas-TOTAL_FORMS"] = data["quotas-INITIAL_FORMS"] = str(len(quotas))
    for index, quota in enumerate(quotas):
        data.update({
            f"quotas-{index}-id": quota.pk, f"quotas-{index}-round": round_.pk,
            f"quotas-{index}-jurisdiction": quota.jurisdiction_id, f"quotas-{index}-slots": quota.slots,
        })
    data.update(overrides)
    return data


def test_posting_status_in_the_round_form_changes_nothing(admin_client_municipal, open_round):
    response = admin_client_municipal.post(
        reverse("admin:sites_round_change", args=[open_round.pk]),
        _round_post(open_round, status=RoundStatus.FINISHED, name="2026年县级示范点创建（修订）"),
    )
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert (open_round.name, open_round.status) == ("2026年县级示范点创建（修订）", RoundStatus.OPEN)


def test_lowering_a_quota_below_recommendations_is_refused(admin_client_municipal, open_round, county, county_user, submitted):
    services.application_recommend(actor=county_user, application_id=submitted.pk)
    for _ in range(2):
        org = f.OrganizationFactory(jurisdiction=county)
        app = services.application_create(actor=county_user, round_id=open_round.pk, organization_id=org.pk,
                                          summary="情况", contact_name="王五", contact_phone="13900000000")
        attach_material(app, county_user)
        services.application_submit(actor=county_user, application_id=app.pk)
        services.application_recommend(actor=county_user, application_id=app.pk)
    data = _round_post(open_round)
    data["quotas-0-slots"] = 1  # 麒麟区: 1 slot allows 2 at 2:1, but 3 are recommended
    response = admin_client_municipal.post(reverse("admin:sites_round_change", args=[open_round.pk]), data)
    assert response.status_code == 200
    assert "按2:1比例，名额1个最多推荐2个，但已推荐3个，名额不能再减少。" in response.content.decode()
    assert open_round.quotas.get(jurisdiction=county).slots == 2


def test_new_round_form_lists_every_county_for_its_quotas(admin_client_municipal, city, county, other_county):
    content = admin_client_municipal.get(reverse("admin:sites_round_add")).content.decode()
    assert 'name="quotas-1-slots"' in content and 'name="quotas-2-slots"' not in content


def test_adding_a_round_saves_only_the_quotas_filled_in(admin_client_municipal, city, county, other_county):
    data = {
        "name": "2027年度县级党务公开工作示范点创建", "year": 2027, "level": "county", "organizer": city.pk, "ratio": 2,
        "pass_mark": "80", "description": "", "applications_open_on": "2027-03-01",
        "applications_close_on": "2027-04-30", "screening_close_on": "2027-05-31",
        "quotas-TOTAL_FORMS": "2", "quotas-INITIAL_FORMS": "0", "quotas-MIN_NUM_FORMS": "0", "quotas-MAX_NUM_FORMS": "1000",
        "quotas-0-jurisdiction": county.pk, "quotas-0-slots": "3",
        "quotas-1-jurisdiction": other_county.pk, "quotas-1-slots": "",
    }
    response = admin_client_municipal.post(reverse("admin:sites_round_add"), data)
    assert response.status_code == 302
    new = Round.objects.get(year=2027)
    assert new.status == RoundStatus.DRAFT
    assert list(new.quotas.values_list("jurisdiction__name", "slots")) == [("麒麟区", 3)]


def _action(client, model, action, ids, **extra):
    return client.post(_changelist(model), {"action": action, "_selected_action": ids, "index": 0, **extra}, follow=True)


def test_open_action_without_quotas_shows_the_chinese_error(admin_client_municipal, city):
    draft = f.RoundFactory(organizer=city, status=RoundStatus.DRAFT, name="筹备中的轮次")
    response = _action(admin_client_municipal, "round", "open_applications", [draft.pk])
    messages = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert messages == [("error", "筹备中的轮次：开启申报前，请先为各辖区设置名额。")]
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT


def test_open_and_close_actions_go_through_the_service(admin_client_municipal, municipal, city, county):
    draft = f.RoundFactory(organizer=city, status=RoundStatus.DRAFT, name="新轮次")
    f.QuotaFactory(round=draft, jurisdiction=county, slots=2)
    response = _action(admin_client_municipal, "round", "open_applications", [draft.pk])
    assert [m.message for m in response.context["messages"]] == ["1 个轮次已变更为“申报中”。"]
    _action(admin_client_municipal, "round", "close_applications", [draft.pk])
    draft.refresh_from_db()
    assert draft.status == RoundStatus.CLOSED
    trail = list(AuditEntry.objects.filter(action="sites.round.set_status", object_id=str(draft.pk))
                 .values_list("actor__username", "from_state", "to_state"))
    assert trail == [("municipal", "draft", "open"), ("municipal", "open", "closed")]


def test_illegal_round_transition_is_shown_and_nothing_changes(admin_client_municipal, city):
    finished = f.RoundFactory(organizer=city, status=RoundStatus.FINISHED, name="已完成轮次")
    response = _action(admin_client_municipal, "round", "open_applications", [finished.pk])
    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [
        ("error", "已完成轮次：轮次当前状态为“已完成”，不能变更为“申报中”。"),
    ]


def test_round_change_page_links_the_excel_export(admin_client_municipal, open_round):
    content = admin_client_municipal.get(reverse("admin:sites_round_change", args=[open_round.pk])).content.decode()
    assert reverse("admin:sites_round_screening", args=[open_round.pk]) in content
    assert "导出2:1审核推荐汇总（Excel）" in content


# --- applications: watched, read-only, with history -----------------------------------
def test_application_page_is_read_only_and_shows_its_history(admin_client_municipal, submitted, county_user):
    url = reverse("admin:sites_application_change", args=[submitted.pk])
    content = admin_client_municipal.get(url).content.decode()
    assert "操作记录" in content and "创建申报" in content and "提交申报" in content
    assert "草稿 → 已提交" in content and county_user.username in content
    assert 'name="summary"' not in content and 'name="_save"' not in content
    response = admin_client_municipal.post(url, {"summary": "改写", "state": ApplicationState.RECOMMENDED})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.summary, submitted.state) == ("创建情况", ApplicationState.SUBMITTED)


def test_application_add_is_not_offered(admin_client_municipal):
    assert admin_client_municipal.get(reverse("admin:sites_application_add")).status_code == 403


def test_application_search_and_filters(admin_client_municipal, open_round, submitted, other_org, other_county_user):
    app = services.application_create(actor=other_county_user, round_id=open_round.pk, organization_id=other_org.pk,
                                      summary="情况", contact_name="赵六", contact_phone="13700000000")
    by_name = admin_client_municipal.get(_changelist("application"), {"q": "白石江"})
    assert [a.pk for a in by_name.context["cl"].result_list] == [submitted.pk]
    by_state = admin_client_municipal.get(_changelist("application"), {"state__exact": "draft"})
    assert [a.pk for a in by_state.context["cl"].result_list] == [app.pk]
    by_place = admin_client_municipal.get(_changelist("application"), {"jurisdiction__id__exact": other_org.jurisdiction_id})
    assert [a.pk for a in by_place.context["cl"].result_list] == [app.pk]


# --- designations: revoke with a reason --------------------------------------------------
def test_revoke_action_asks_for_a_reason_first(admin_client_municipal, designation):
    response = admin_client_municipal.post(
        _changelist("designation"), {"action": "revoke", "_selected_action": [designation.pk], "index": 0}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "撤销理由" in content and "QJ-X-2018-045" in content
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.ACTIVE


def test_revoke_action_records_reason_date_and_audit(admin_client_municipal, municipal, designation):
    reason = "复评得分72分，低于合格线80分，取消示范点资格，收回牌匾"
    response = _action(admin_client_municipal, "designation", "revoke", [designation.pk],
                       confirm="yes", reason=reason, revoked_on="2026-11-20")
    assert [m.message for m in response.context["messages"]] == ["已撤销 1 个示范点称号。"]
    designation.refresh_from_db()
    assert (designation.status, designation.revoked_on, designation.revoke_reason) == (
        DesignationStatus.REVOKED, datetime.date(2026, 11, 20), reason,
    )
    entry = AuditEntry.objects.get(action="sites.designation.revoke", object_id=str(designation.pk))
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (municipal, "active", "revoked", reason)
    page = admin_client_municipal.get(reverse("admin:sites_designation_change", args=[designation.pk])).content.decode()
    assert "撤销称号" in page and reason in page


def test_revoke_action_without_reason_changes_nothing(admin_client_municipal, designation):
    response = admin_client_municipal.post(
        _changelist("designation"),
        {"action": "revoke", "_selected_action": [designation.pk], "confirm": "yes", "reason": "   ", "revoked_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert "撤销理由" in response.content.decode()
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.ACTIVE
    assert not AuditEntry.objects.filter(action="sites.designation.revoke").exists()


def test_designation_status_is_read_only(admin_client_municipal, designation):
    url = reverse("admin:sites_designation_change", args=[designation.pk])
    assert 'name="status"' not in admin_client_municipal.get(url).content.decode()
    assert admin_client_municipal.post(url, {"status": "revoked"}).status_code == 403
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.ACTIVE


def test_designation_search_by_plaque(admin_client_municipal, designation, open_round, other_county):
    f.DesignationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=other_county))
    response = admin_client_municipal.get(_changelist("designation"), {"q": "QJ-X-2018"})
    assert [d.pk for d in response.context["cl"].result_list] == [designation.pk]


# --- query counts ----------------------------------------------------------------------
def _grow(model, open_round, n):
    for _ in range(n):
        county = f.JurisdictionFactory()
        org = f.OrganizationFactory(jurisdiction=county)
        if model == "application":
            f.ApplicationFactory(round=open_round, organization=org, state=ApplicationState.SUBMITTED)
        elif model == "designation":
            f.DesignationFactory(round=open_round, organization=org)
        elif model == "round":
            r = f.RoundFactory(organizer=open_round.organizer, status=RoundStatus.FINISHED, year=2000 + _ + n)
            f.QuotaFactory(round=r, jurisdiction=county)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_query_count_is_constant(admin_client_municipal, model, open_round, django_assert_num_queries):
    _grow(model, open_round, 1)
    with CaptureQueriesContext(connection) as small:
        assert admin_client_municipal.get(_changelist(model)).status_code == 200
    _grow(model, open_round, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client_municipal.get(_changelist(model)).status_code == 200


def test_application_page_query_count_does_not_grow_with_history(admin_client_municipal, submitted, county_user):
    url = reverse("admin:sites_application_change", args=[submitted.pk])
    with CaptureQueriesContext(connection) as small:
        admin_client_municipal.get(url)
    services.application_recommend(actor=county_user, application_id=submitted.pk)
    with CaptureQueriesContext(connection) as large:
        admin_client_municipal.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Application.objects.get(pk=submitted.pk).state == ApplicationState.RECOMMENDED
    assert Designation.objects.count() == 0


def test_round_page_query_count_does_not_grow_with_quotas(admin_client_municipal, open_round, django_assert_num_queries):
    url = reverse("admin:sites_round_change", args=[open_round.pk])
    with CaptureQueriesContext(connection) as small:
        assert admin_client_municipal.get(url).status_code == 200
    for _ in range(5):
        f.QuotaFactory(round=open_round, jurisdiction=f.JurisdictionFactory(), slots=2)
    with django_assert_num_queries(len(small.captured_queries)):
        assert admin_client_municipal.get(url).status_code == 200


def test_quota_edit_in_admin_goes_through_the_service_and_is_audited(client, municipal, open_round, county):
    from qujing_disclosure.core.models import AuditEntry

    quotas = list(open_round.quotas.order_by("id"))
    data = {
        "name": open_round.name, "year": open_round.year, "level": open_round.level,
        "organizer": open_round.organizer_id, "ratio": open_round.ratio,
        "applications_open_on": open_round.applications_open_on.isoformat(),
        "applications_close_on": open_round.applications_close_on.isoformat(),
        "screening_close_on": open_round.screening_close_on.isoformat(),
        "pass_mark": "80", "description": "",
        "quotas-TOTAL_FORMS": str(len(quotas)), "quotas-INITIAL_FORMS": str(len(quotas)),
        "quotas-MIN_NUM_FORMS": "0", "quotas-MAX_NUM_FORMS": "1000",
    }
    for i, quota in enumerate(quotas):
        data.update({f"quotas-{i}-id": quota.pk, f"quotas-{i}-round": open_round.pk,
                     f"quotas-{i}-jurisdiction": quota.jurisdiction_id,
                     f"quotas-{i}-slots": 7 if quota.jurisdiction_id == county.pk else quota.slots})
    client.force_login(municipal)
    response = client.post(f"/admin/sites/round/{open_round.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert open_round.quotas.get(jurisdiction=county).slots == 7
    entry = AuditEntry.objects.get(action="sites.quota.set")
    assert (entry.actor, entry.from_state, entry.to_state) == (municipal, "2", "7")


def test_office_staff_cannot_open_or_change_a_superuser(client, municipal):
    from tests import factories as f

    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(municipal)
    assert client.get(f"/admin/core/user/{root.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/core/user/{root.pk}/password/").status_code == 404
    assert "root" not in client.get("/admin/core/user/").content.decode()


def test_ratio_is_fixed_once_applications_open(client, municipal, open_round):
    client.force_login(municipal)
    page = client.get(f"/admin/sites/round/{open_round.pk}/change/").content.decode()
    assert 'name="ratio"' not in page


# --- places, units and rounds: every save through a service, audited with old and new values -------
def _organization_post(org, **overrides):
    data = {
        "name": org.name, "jurisdiction": org.jurisdiction_id, "parent": org.parent_id or "", "sector": org.sector,
        "address": org.address, "contact_name": org.contact_name, "contact_phone": org.contact_phone,
        "is_active": "on" if org.is_active else "",
    }
    data.update(overrides)
    return data


def test_moving_a_unit_in_the_admin_writes_one_audit_row_with_old_and_new(admin_client_municipal, municipal, org, county,
                                                                          other_county):
    response = admin_client_municipal.post(
        reverse("admin:sites_organization_change", args=[org.pk]), _organization_post(org, jurisdiction=other_county.pk),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.jurisdiction == other_county
    entry = AuditEntry.objects.get(object_id=str(org.pk))
    assert (entry.action, entry.actor) == ("sites.organization.update", municipal)
    assert entry.data["changes"] == {"jurisdiction": {"old": county.pk, "new": other_county.pk}}


def test_deactivating_a_unit_in_the_admin_is_audited(admin_client_municipal, org):
    admin_client_municipal.post(reverse("admin:sites_organization_change", args=[org.pk]), _organization_post(org, is_active=""))
    entry = AuditEntry.objects.get(action="sites.organization.update")
    assert entry.data["changes"] == {"is_active": {"old": True, "new": False}}


def test_a_refused_unit_edit_shows_the_message_on_the_field_and_changes_nothing(admin_client_municipal, org):
    child = f.OrganizationFactory(jurisdiction=org.jurisdiction, parent=org, name="下级党小组")
    response = admin_client_municipal.post(
        reverse("admin:sites_organization_change", args=[org.pk]), _organization_post(org, parent=child.pk, sector="学校"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"parent": ["上级党组织不能是本组织或其下级组织。"]}
    org.refresh_from_db()
    assert (org.parent_id, org.sector) == (None, "机关")
    assert not AuditEntry.objects.exists()


def test_adding_a_unit_in_the_admin_is_audited_as_created(admin_client_municipal, municipal, county):
    response = admin_client_municipal.post(reverse("admin:sites_organization_add"), {
        "name": "麒麟区新设党支部", "jurisdiction": county.pk, "parent": "", "sector": "机关", "address": "",
        "contact_name": "", "contact_phone": "", "is_active": "on",
    })
    assert response.status_code == 302
    unit = Organization.objects.get(name="麒麟区新设党支部")
    entry = AuditEntry.objects.get(action="sites.organization.create")
    assert (entry.object_id, entry.actor) == (str(unit.pk), municipal)
    assert entry.data["changes"]["jurisdiction"] == {"old": None, "new": county.pk}


def test_renaming_a_jurisdiction_in_the_admin_is_audited(admin_client_municipal, county):
    response = admin_client_municipal.post(reverse("admin:sites_jurisdiction_change", args=[county.pk]), {
        "name": "麒麟区（新）", "kind": county.kind, "code": county.code, "parent": "", "sort_order": county.sort_order,
    })
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="sites.jurisdiction.update")
    assert entry.data["changes"] == {"name": {"old": "麒麟区", "new": "麒麟区（新）"}}


def test_a_round_edit_in_the_admin_records_old_and_new_values(admin_client_municipal, municipal, open_round):
    old_name = open_round.name
    admin_client_municipal.post(reverse("admin:sites_round_change", args=[open_round.pk]),
                                _round_post(open_round, name="2026年县级示范点创建（修订）"))
    entry = AuditEntry.objects.get(action="sites.round.update")
    assert (entry.actor, entry.data["changes"]) == (municipal, {"name": {"old": old_name, "new": "2026年县级示范点创建（修订）"}})


def test_a_new_round_in_the_admin_is_audited_as_created(admin_client_municipal, city, county):
    admin_client_municipal.post(reverse("admin:sites_round_add"), {
        "name": "2027年度县级党务公开工作示范点创建", "year": 2027, "level": "county", "organizer": city.pk, "ratio": 2,
        "pass_mark": "80", "description": "", "applications_open_on": "2027-03-01",
        "applications_close_on": "2027-04-30", "screening_close_on": "2027-05-31",
        "quotas-TOTAL_FORMS": "1", "quotas-INITIAL_FORMS": "0", "quotas-MIN_NUM_FORMS": "0", "quotas-MAX_NUM_FORMS": "1000",
        "quotas-0-jurisdiction": county.pk, "quotas-0-slots": "3",
    })
    new = Round.objects.get(year=2027)
    entry = AuditEntry.objects.get(action="sites.round.create")
    assert (entry.object_id, entry.to_state) == (str(new.pk), "draft")
    assert entry.data["changes"]["ratio"] == {"old": None, "new": 2}
    assert AuditEntry.objects.get(action="sites.quota.set").data["changes"] == {"slots": {"old": None, "new": 3}}
