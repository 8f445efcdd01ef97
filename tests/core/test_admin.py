import pytest

from qujing_disclosure.core.services import calendar_day_set
from tests import factories as f

URLS = ["/admin/core/auditentry/", "/admin/core/user/", "/admin/core/calendarday/"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "municipal"])
@pytest.mark.parametrize("url", URLS)
def test_municipal_office_reaches_core_admin_pages(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_staff_flag_alone_does_not_open_the_admin(client, county, url):
    # A county office account wrongly marked is_staff still may not use the commission's admin.
    user = f.county_user(county, username="staff_county", is_staff=True)
    client.force_login(user)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted_in_admin(client, municipal):
    calendar_day_set(actor=municipal, date=__import__("datetime").date(2026, 12, 31), is_working_day=False, name="测试")
    client.force_login(municipal)
    from qujing_disclosure.core.models import AuditEntry

    entry = AuditEntry.objects.get()
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"reason": "改写"})
    entry.refresh_from_db()
    assert entry.reason == ""
    assert response.status_code == 403


@pytest.mark.django_db
def test_office_staff_cannot_grant_superuser(client, municipal, county):
    target = f.county_user(county, username="target")
    client.force_login(municipal)
    page = client.get(f"/admin/core/user/{target.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


@pytest.mark.django_db
def test_calendar_correction_in_admin_is_audited(client, municipal):
    from qujing_disclosure.core.models import AuditEntry, CalendarDay

    client.force_login(municipal)
    response = client.post(
        "/admin/core/calendarday/add/",
        {"date": "2027-02-12", "is_working_day": "", "name": "春节延长假", "note": "国务院办公厅通知"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date="2027-02-12")
    assert (day.is_working_day, day.updated_by) == (False, municipal)
    assert AuditEntry.objects.filter(action="core.calendar.set", actor=municipal).count() == 1


# --- accounts: every save through core.services, audited with old and new values ------------------
def _user_post(user, **overrides):
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "is_active": "on" if user.is_active else "", "is_staff": "on" if user.is_staff else "",
        "role": user.role, "jurisdiction": user.jurisdiction_id or "", "organization": user.organization_id or "",
        "phone": user.phone,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_an_admin_role_edit_writes_one_audit_row_with_old_and_new(client, municipal, county, org):
    from qujing_disclosure.core.models import AuditEntry

    target = f.county_user(county, username="target")
    client.force_login(municipal)
    response = client.post(f"/admin/core/user/{target.pk}/change/",
                           _user_post(target, role="organization", organization=org.pk, jurisdiction=""))
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert (target.role, target.organization, target.jurisdiction) == ("organization", org, None)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("core.user.update", municipal, str(target.pk))
    assert entry.data["changes"] == {
        "jurisdiction": {"old": county.pk, "new": None},
        "organization": {"old": None, "new": org.pk},
        "role": {"old": "county", "new": "organization"},
    }


@pytest.mark.django_db
def test_a_refused_admin_edit_shows_the_message_and_changes_nothing(client, municipal, county):
    from qujing_disclosure.core.models import AuditEntry, User

    target = f.county_user(county, username="target")
    client.force_login(municipal)
    response = client.post(f"/admin/core/user/{target.pk}/change/", _user_post(target, jurisdiction="", first_name="新名字"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"jurisdiction": ["县级党务公开办账号必须选择所属辖区。"]}
    assert User.objects.filter(pk=target.pk, jurisdiction=county, first_name="").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_office_staff_posting_superuser_status_changes_nothing(client, municipal, county):
    from qujing_disclosure.core.models import AuditEntry, User

    target = f.county_user(county, username="target")
    client.force_login(municipal)
    response = client.post(f"/admin/core/user/{target.pk}/change/", _user_post(target, is_superuser="on"))
    assert response.status_code == 302
    assert not User.objects.get(pk=target.pk).is_superuser
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_account_added_in_the_admin_is_audited_without_its_password(client, municipal, county):
    from qujing_disclosure.core.models import AuditEntry, User

    client.force_login(municipal)
    response = client.post("/admin/core/user/add/", {
        "username": "luliang", "usable_password": "true", "password1": "Lu-liang-2026!", "password2": "Lu-liang-2026!",
        "role": "county", "jurisdiction": county.pk,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="luliang")
    assert user.check_password("Lu-liang-2026!") and user.jurisdiction == county
    entry = AuditEntry.objects.get(action="core.user.create")
    assert (entry.actor, entry.object_id) == (municipal, str(user.pk))
    assert entry.data["changes"]["role"] == {"old": None, "new": "county"}
    assert user.password not in str(entry.data)


@pytest.mark.django_db
def test_a_password_set_in_the_admin_is_audited(client, municipal, county):
    from qujing_disclosure.core.models import AuditEntry, User

    target = f.county_user(county, username="target")
    client.force_login(municipal)
    response = client.post(f"/admin/core/user/{target.pk}/password/", {
        "usable_password": "true", "password1": "An0ther-Pass!", "password2": "An0ther-Pass!",
    })
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).check_password("An0ther-Pass!")
    entry = AuditEntry.objects.get(action="core.user.set_password")
    assert (entry.actor, entry.object_id, entry.data) == (municipal, str(target.pk), {"usable_password": True})
