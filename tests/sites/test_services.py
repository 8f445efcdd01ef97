import datetime

import pytest

from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState
from sites.models import Application
from tests import factories as f
from tests.sites.conftest import attach_material


def _submitted(round_, jurisdiction, actor):
    org = f.OrganizationFactory(jurisdiction=jurisdiction)
    app = services.application_create(actor=actor, round_id=round_.pk, organization_id=org.pk,
                                      summary="情况", contact_name="李四", contact_phone="13800000000")
    attach_material(app, actor)
    return services.application_submit(actor=actor, application_id=app.pk)


def test_recommend_refuses_past_ratio(open_round, county_user, county):
    # R2: quota 2 at 2:1 → at most 4 recommended.
    apps = [_submitted(open_round, county, county_user) for _ in range(5)]
    for app in apps[:4]:
        services.application_recommend(actor=county_user, application_id=app.pk)
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=county_user, application_id=apps[4].pk)
    assert "最多推荐4个" in str(exc.value) and "已推荐4个" in str(exc.value)
    assert exc.value.rule == "R2"
    apps[4].refresh_from_db()
    assert apps[4].state == ApplicationState.SUBMITTED
    assert Application.objects.filter(state=ApplicationState.RECOMMENDED).count() == 4


def test_transitions_are_audited(open_round, county_user, county):
    app = _submitted(open_round, county, county_user)
    services.application_reject(actor=county_user, application_id=app.pk, reason="材料不全")
    entries = list(AuditEntry.objects.filter(object_id=str(app.pk)).values_list("action", "from_state", "to_state", "reason"))
    assert entries == [
        ("sites.application.create", "", "draft", ""),
        ("sites.application.add_material", "", "", ""),
        ("sites.application.submit", "draft", "submitted", ""),
        ("sites.application.reject", "submitted", "rejected", "材料不全"),
    ]


def test_reject_requires_reason(open_round, county_user, county):
    app = _submitted(open_round, county, county_user)
    with pytest.raises(DomainError):
        services.application_reject(actor=county_user, application_id=app.pk, reason="  ")


def test_neighbouring_county_cannot_recommend(open_round, county_user, other_county_user, county):
    app = _submitted(open_round, county, county_user)
    with pytest.raises(NotPermitted):
        services.application_recommend(actor=other_county_user, application_id=app.pk)


def test_illegal_transition_refused(open_round, county_user, county):
    app = _submitted(open_round, county, county_user)
    services.application_reject(actor=county_user, application_id=app.pk, reason="不符合条件")
    with pytest.raises(InvalidTransition):
        services.application_recommend(actor=county_user, application_id=app.pk)


def test_audit_entries_are_append_only(open_round, county_user, county):
    _submitted(open_round, county, county_user)
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_quota_cannot_fall_below_recommendations(open_round, county_user, county, municipal):
    # R2: with 3 recommended at 2:1, the quota may drop to 2 (limit 4) but not to 1 (limit 2).
    for app in [_submitted(open_round, county, county_user) for _ in range(3)]:
        services.application_recommend(actor=county_user, application_id=app.pk)
    services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=2)
    with pytest.raises(DomainError) as exc:
        services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=1)
    assert exc.value.rule == "R2" and "已推荐3个" in str(exc.value)
    assert open_round.quotas.get(jurisdiction=county).slots == 2


def test_quota_changes_are_audited_and_only_by_the_municipal_office(open_round, county, county_user, municipal):
    services.quota_set(actor=municipal, round_id=open_round.pk, jurisdiction_id=county.pk, slots=5)
    entry = AuditEntry.objects.get(action="sites.quota.set")
    assert (entry.actor, entry.from_state, entry.to_state) == (municipal, "2", "5")
    with pytest.raises(NotPermitted):
        services.quota_set(actor=county_user, round_id=open_round.pk, jurisdiction_id=county.pk, slots=9)
    assert open_round.quotas.get(jurisdiction=county).slots == 5


def test_county_office_cannot_withdraw_a_units_own_application(open_round, county_user, org, org_user):
    # R3: the office screens with a reason; it may not quietly withdraw what the unit filed itself.
    app = services.application_create(actor=org_user, round_id=open_round.pk, organization_id=org.pk,
                                      summary="情况", contact_name="赵六", contact_phone="13700000000")
    attach_material(app, org_user)
    services.application_submit(actor=org_user, application_id=app.pk)
    with pytest.raises(NotPermitted):
        services.application_withdraw(actor=county_user, application_id=app.pk)
    services.application_withdraw(actor=org_user, application_id=app.pk, reason="材料需补充")
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN


def test_county_office_withdraws_what_it_filed(open_round, county_user, county):
    app = _submitted(open_round, county, county_user)
    services.application_withdraw(actor=county_user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN


def test_screening_goes_on_after_applications_close_until_its_deadline(open_round, county_user, county, municipal):
    import time_machine

    app = _submitted(open_round, county, county_user)
    services.round_set_status(actor=municipal, round_id=open_round.pk, status="closed")
    services.application_recommend(actor=county_user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == ApplicationState.RECOMMENDED
    # The application window itself is over: no new applications.
    with pytest.raises(DomainError):
        services.application_create(actor=county_user, round_id=open_round.pk,
                                    organization_id=f.OrganizationFactory(jurisdiction=county).pk,
                                    summary="情况", contact_name="李四", contact_phone="13800000000")
    # After the screening deadline (China time) screening stops too.
    deadline = open_round.screening_close_on
    second = f.ApplicationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=county),
                                  created_by=county_user)
    Application.objects.filter(pk=second.pk).update(state=ApplicationState.SUBMITTED)
    with time_machine.travel(f"{deadline + datetime.timedelta(days=1)} 00:30 +0800", tick=False):
        with pytest.raises(DomainError) as exc:
            services.application_reject(actor=county_user, application_id=second.pk, reason="逾期")
    assert "审核推荐已于" in str(exc.value)


def _draft(round_, organization, actor):
    return services.application_create(actor=actor, round_id=round_.pk, organization_id=organization.pk,
                                       summary="情况", contact_name="李四", contact_phone="13800000000")


def test_submitting_without_materials_is_refused_and_nothing_changes(open_round, county_user, org):
    # R3: the unit applies with its materials.
    app = _draft(open_round, org, county_user)
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=county_user, application_id=app.pk)
    assert (exc.value.field, str(exc.value.message)) == ("materials", "请先上传申报材料再提交。")
    app.refresh_from_db()
    assert (app.state, app.submitted_at) == (ApplicationState.DRAFT, None)
    assert not AuditEntry.objects.filter(action="sites.application.submit").exists()
    attach_material(app, county_user)
    services.application_submit(actor=county_user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == ApplicationState.SUBMITTED


def test_an_inactive_organisation_cannot_apply(open_round, county_user, org):
    org.is_active = False
    org.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as exc:
        _draft(open_round, org, county_user)
    assert exc.value.field == "organization"
    assert str(exc.value.message) == f"{org.name}已停用，不能申报。"
    assert not Application.objects.filter(organization=org).exists()


@pytest.mark.parametrize("state", [ApplicationState.DRAFT, ApplicationState.SUBMITTED])
def test_withdrawing_is_refused_once_the_window_closes_in_china_time(open_round, county_user, org, state):
    import time_machine

    app = _draft(open_round, org, county_user)
    if state == ApplicationState.SUBMITTED:
        attach_material(app, county_user)
        services.application_submit(actor=county_user, application_id=app.pk)
    close = open_round.applications_close_on
    # 23:59 on the closing day in Beijing is still inside the window (15:59 UTC)...
    with time_machine.travel(f"{close} 23:59 +0800", tick=False):
        services.application_withdraw(actor=county_user, application_id=app.pk, reason="再考虑")
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN

    # ...and one minute later, after midnight in Beijing but still the closing day in UTC, it is over.
    late = _draft(open_round, f.OrganizationFactory(jurisdiction=org.jurisdiction), county_user)
    if state == ApplicationState.SUBMITTED:
        attach_material(late, county_user)
        services.application_submit(actor=county_user, application_id=late.pk)
    with time_machine.travel(f"{close + datetime.timedelta(days=1)} 00:00 +0800", tick=False):
        with pytest.raises(DomainError) as exc:
            services.application_withdraw(actor=county_user, application_id=late.pk, reason="再考虑")
    assert exc.value.field == "round"
    assert str(exc.value.message) == f"申报已于 {close.isoformat()} 截止（北京时间）。"
    late.refresh_from_db()
    assert late.state == state
