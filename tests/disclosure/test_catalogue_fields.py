"""R12 (统筹兼顾) and R13: the portal catalogue and the public catalogue show each entry's field
(party, government, judicial, service disclosure) and the carriers it is published on."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import services
from disclosure.enums import CarrierKind, Field
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture
def service_entry(org, carrier):
    kiosk = df.CarrierFactory(organization=org, kind=CarrierKind.KIOSK, name="党群服务中心信息岛", location="服务中心门口")
    retired = df.CarrierFactory(organization=org, name="旧公开栏", location="后院", is_active=False)
    entry = df.EntryFactory(organization=org, title="为民服务事项及办事指南", field=Field.SERVICE)
    entry.carriers.set([carrier, kiosk, retired])
    return entry


def _row(body, entry):
    return body.split(f'id="entry-{entry.pk}"', 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal"])
def test_portal_catalogue_shows_field_and_carriers(request, client, service_entry, who):
    client.force_login(request.getfixturevalue(who))
    row = _row(client.get(reverse("disclosure_portal:catalogue")).content.decode(), service_entry)
    assert "办事公开" in row
    assert "公开栏·办公楼大厅公开栏" in row and "信息岛·党群服务中心信息岛" in row


@pytest.mark.django_db
def test_public_catalogue_shows_field_and_carriers_in_use(client, org, service_entry):
    row = _row(client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode(), service_entry)
    assert "办事公开" in row
    assert "办公楼大厅公开栏" in row and "党群服务中心信息岛" in row
    assert "旧公开栏" not in row  # a retired carrier is not where to look


@pytest.mark.django_db
def test_public_catalogue_api_gives_field_and_carriers_in_use(org, service_entry):
    rows = APIClient().get("/api/v1/disclosure/public/catalogue/", {"organization": org.pk}).json()["results"]
    row = next(r for r in rows if r["id"] == service_entry.pk)
    assert (row["field"], row["field_display"]) == ("service", "办事公开")
    assert [(c["kind"], c["name"], c["location"]) for c in row["carriers"]] == [
        ("board", "办公楼大厅公开栏", "办公楼一楼大厅"), ("kiosk", "党群服务中心信息岛", "服务中心门口")]


@pytest.mark.django_db
def test_public_page_query_count_stays_constant_with_entries_and_carriers(client, org, service_entry):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("disclosure_public:organization", args=[org.pk])).status_code == 200
        return len(ctx.captured_queries)

    df.published_item(D(2026, 11, 3), entry=service_entry)
    few = count()
    for n in range(8):
        entry = df.EntryFactory(organization=org, field=Field.GOVERNMENT)
        entry.carriers.set([df.CarrierFactory(organization=org, name=f"公开栏{n}")])
        df.published_item(D(2026, 11, 3), entry=entry)
    assert count() == few


@pytest.mark.django_db
def test_entry_field_is_kept_by_the_service(org_user, org):
    category = df.CategoryFactory()
    entry = services.entry_create(actor=org_user, organization_id=org.pk, category_id=category.pk, title="审判执行情况",
                                  scope="external", time_type="staged", cadence="quarterly", field=Field.JUDICIAL)
    assert entry.get_field_display() == "司法公开"
