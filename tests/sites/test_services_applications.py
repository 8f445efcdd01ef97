"""sites.services.applications: a unit or its county office applies (R3); the county office recommends
within ratio × quota (R2) or rejects with a reason; every change through one door, audited."""
import datetime
import threading
import time

import pytest
from django.db import connection

from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState
from sites.models import Application
from sites.services import applications as application_services
from tests import factories as f
from tests.sites.conftest import attach_material, submitted_in


def test_recommend_refuses_past_ratio(open_round, county_user, county):
    # R2: quota 2 at 2:1 → at most 4 recommended.
    apps = [submitted_in(open_round, county, county_user) for _ in range(5)]
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
    app = submitted_in(open_round, county, county_user)
    services.application_reject(actor=county_user, application_id=app.pk, reason="材料不全")
    entries = list(AuditEntry.objects.filter(object_id=str(app.pk)).values_list("action", "from_state", "to_state", "reason"))
    assert entries == [
        ("sites.application.create", "", "draft", ""),
        ("sites.application.add_material", "", "", ""),
        ("sites.application.submit", "draft", "submitted", ""),
        ("sites.application.reject", "submitted", "rejected", "材料不全"),
    ]


def test_reject_requires_reason(open_round, county_user, county):
    app = submitted_in(open_round, county, county_user)
    with pytest.raises(DomainError) as exc:
        services.application_reject(actor=county_user, application_id=app.pk, reason="  ")
    assert (exc.value.code, exc.value.field, str(exc.value)) == ("reason_required", "reason", "不推荐时必须填写理由。")


def test_neighbouring_county_cannot_recommend(open_round, county_user, other_county_user, county):
    app = submitted_in(open_round, county, county_user)
    with pytest.raises(NotPermitted) as exc:
        services.application_recommend(actor=other_county_user, application_id=app.pk)
    assert exc.value.code == "forbidden"


def test_illegal_transition_refused(open_round, county_user, county):
    app = submitted_in(open_round, county, county_user)
    services.application_reject(actor=county_user, application_id=app.pk, reason="不符合条件")
    with pytest.raises(InvalidTransition) as exc:
        services.application_recommend(actor=county_user, application_id=app.pk)
    assert str(exc.value) == "申报当前状态为“未推荐”，不能变更为“已推荐”。"


def test_county_office_cannot_withdraw_a_units_own_application(open_round, county_user, org, org_user):
    # R3: the office screens with a reason; it may not quietly withdraw what the unit filed itself.
    app = services.application_create(actor=org_user, round_id=open_round.pk, organization_id=org.pk,
                                      summary="情况", contact_name="赵六", contact_phone="13700000000")
    attach_material(app, org_user)
    services.application_submit(actor=org_user, application_id=app.pk)
    with pytest.raises(NotPermitted) as exc:
        services.application_withdraw(actor=county_user, application_id=app.pk)
    assert exc.value.code == "forbidden"
    services.application_withdraw(actor=org_user, application_id=app.pk, reason="材料需补充")
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN


def test_county_office_withdraws_what_it_filed(open_round, county_user, county):
    app = submitted_in(open_round, county, county_user)
    services.application_withdraw(actor=county_user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN


def test_screening_goes_on_after_applications_close_until_its_deadline(open_round, county_user, county, municipal):
    import time_machine

    app = submitted_in(open_round, county, county_user)
    services.round_set_status(actor=municipal, round_id=open_round.pk, status="closed")
    services.application_recommend(actor=county_user, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == ApplicationState.RECOMMENDED
    # The application window itself is over: no new applications.
    with pytest.raises(DomainError, match="不接受申报") as exc:
        services.application_create(actor=county_user, round_id=open_round.pk,
                                    organization_id=f.OrganizationFactory(jurisdiction=county).pk,
                                    summary="情况", contact_name="李四", contact_phone="13800000000")
    assert exc.value.code == "round_not_open"
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


# --- R2 under concurrency: parallel recommendations never exceed ratio × quota (PostgreSQL row locks) ---
def _run_in_parallel(funcs):
    barrier = threading.Barrier(len(funcs))
    outcomes = [None] * len(funcs)

    def worker(i, func):
        try:
            barrier.wait()
            func()
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendations_for_the_last_slot_never_exceed_the_limit(open_round, county, monkeypatch):
    # Quota 2 at 2:1 → limit 4. Three already recommended; six offices race for the last one.
    office_a = f.county_user(county, username="qilin_a")
    office_b = f.county_user(county, username="qilin_b")
    apps = []
    for _ in range(9):
        org = f.OrganizationFactory(jurisdiction=county)
        app = services.application_create(actor=office_a, round_id=open_round.pk, organization_id=org.pk,
                                          summary="情况", contact_name="王五", contact_phone="13900000000")
        attach_material(app, office_a)
        apps.append(services.application_submit(actor=office_a, application_id=app.pk))
    for app in apps[:3]:
        services.application_recommend(actor=office_a, application_id=app.pk)

    # Widen the race window: every recommendation pauses between counting and saving,
    # so without the quota row lock all six would count 3 and all six would pass.
    original_apply = application_services.transition_apply

    def slow_apply(*args, **kwargs):
        time.sleep(0.15)
        return original_apply(*args, **kwargs)

    monkeypatch.setattr(application_services, "transition_apply", slow_apply)
    racers = apps[3:]
    outcomes = _run_in_parallel(
        [
            (lambda a=app, u=(office_a if i % 2 else office_b): services.application_recommend(actor=u, application_id=a.pk))
            for i, app in enumerate(racers)
        ]
    )

    assert sorted(outcomes) == ["ok"] + ["quota_exceeded"] * 5
    assert Application.objects.filter(round=open_round, jurisdiction=county, state=ApplicationState.RECOMMENDED).count() == 4
