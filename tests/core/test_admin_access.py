import pytest

from qujing_disclosure.core.services import calendar_day_set
from tests import factories as f

URLS = ["/admin/core/auditentry/", "/admin/core/user/", "/admin/core/calendarday/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_municipal_office_reaches_core_admin_pages(client, municipal, url):
    client.force_login(municipal)
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
