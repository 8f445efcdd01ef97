"""The compliance board and the monthly report (R20): the whole city (全市) for the municipal office by
default, one jurisdiction on request; a county office only ever sees its own (404 otherwise)."""
import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests import factories as f
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture
def two_counties(org, other_org, entry, other_entry):
    df.published_item(D(2026, 11, 2), entry=entry, title="麒麟区事项")
    df.published_item(D(2026, 11, 3), entry=other_entry, title="沾益区事项")
    return org, other_org


def _board(client, user, **params):
    client.force_login(user)
    return client.get(reverse("disclosure_portal:board"), params)


def _export_rows(response, sheet=0):
    workbook = load_workbook(BytesIO(response.content))
    return list(workbook.worksheets[sheet].iter_rows(values_only=True)), workbook.sheetnames


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["municipal", "leading"])
def test_staff_board_defaults_to_the_whole_city_with_a_summary_per_jurisdiction(request, client, two_counties, who):
    org, other_org = two_counties
    response = _board(client, request.getfixturevalue(who))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["city_wide"] is True
    assert [row["organization"].name for row in response.context["rows"]] == [org.name, other_org.name]
    assert [(g["jurisdiction"].name, g["totals"]["organizations"], g["totals"]["published"])
            for g in response.context["by_jurisdiction"]] == [("麒麟区", 1, 1), ("沾益区", 1, 1)]
    assert response.context["totals"]["published"] == 2
    assert '<span id="board-scope">全市</span>' in body
    assert 'id="by-jurisdiction"' in body
    assert '<input type="hidden" name="jurisdiction" value="all">' in body  # the export follows the scope
    assert '<option value="all" selected>全市（所有辖区）</option>' in body


@pytest.mark.django_db
def test_staff_may_still_choose_one_jurisdiction(client, municipal, two_counties, county):
    org, _other = two_counties
    response = _board(client, municipal, jurisdiction=county.pk)
    body = response.content.decode()
    assert [row["organization"].name for row in response.context["rows"]] == [org.name]
    assert '<span id="board-scope">麒麟区</span>' in body
    assert 'id="by-jurisdiction"' not in body
    assert f'<input type="hidden" name="jurisdiction" value="{county.pk}">' in body
    assert f'<option value="{county.pk}" selected>麒麟区</option>' in body


@pytest.mark.django_db
def test_staff_export_follows_the_chosen_scope(client, municipal, two_counties, county):
    org, other_org = two_counties
    client.force_login(municipal)
    url = reverse("disclosure_portal:board_export")
    rows, sheets = _export_rows(client.get(url, {"month": "2026-11", "jurisdiction": "all"}))
    assert rows[0][0] == "曲靖市党务公开合规月报（全市，2026-11，北京时间）"
    assert [row[:2] for row in rows[2:]] == [("麒麟区", org.name), ("沾益区", other_org.name)]
    assert sheets == ["2026-11合规情况", "各辖区汇总"]
    summary, _sheets = _export_rows(client.get(url, {"month": "2026-11"}), sheet=1)
    assert [row[:3] for row in summary[2:]] == [("麒麟区", 1, 1), ("沾益区", 1, 1), ("合计", 2, 2)]
    rows, sheets = _export_rows(client.get(url, {"month": "2026-11", "jurisdiction": county.pk}))
    assert rows[0][0] == "曲靖市党务公开合规月报（麒麟区，2026-11，北京时间）"
    assert [row[1] for row in rows[2:]] == [org.name]
    assert sheets == ["2026-11合规情况"]


@pytest.mark.django_db
def test_county_board_and_export_cover_only_its_own_jurisdiction(client, county_user, two_counties, county):
    org, _other = two_counties
    response = _board(client, county_user)
    assert [row["organization"].name for row in response.context["rows"]] == [org.name]
    body = response.content.decode()
    assert 'id="board-picker"' not in body and 'id="by-jurisdiction"' not in body
    assert f'<input type="hidden" name="jurisdiction" value="{county.pk}">' in body
    assert _board(client, county_user, jurisdiction=county.pk).status_code == 200
    rows, _sheets = _export_rows(client.get(reverse("disclosure_portal:board_export"),
                                            {"month": "2026-11", "jurisdiction": county.pk}))
    assert [row[1] for row in rows[2:]] == [org.name]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["other", "all", "999999", "x"])
@pytest.mark.parametrize("name", ["board", "board_export"])
def test_county_cannot_reach_another_county_or_the_whole_city_by_editing_the_url(
    client, county_user, other_county, two_counties, name, value,
):
    client.force_login(county_user)
    jurisdiction = other_county.pk if value == "other" else value
    response = client.get(reverse(f"disclosure_portal:{name}"), {"jurisdiction": jurisdiction, "month": "2026-11"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_asking_for_an_unknown_jurisdiction_get_404(client, municipal, two_counties):
    client.force_login(municipal)
    assert client.get(reverse("disclosure_portal:board"), {"jurisdiction": "999999"}).status_code == 404


@pytest.mark.django_db
def test_compliance_api_refuses_another_county_to_a_county_office(county_user, other_county, county, two_counties):
    client = APIClient()
    client.force_authenticate(county_user)
    assert client.get("/api/v1/disclosure/compliance/", {"jurisdiction": other_county.pk}).status_code == 404
    own = client.get("/api/v1/disclosure/compliance/", {"jurisdiction": county.pk})
    assert [row["organization"] for row in own.json()] == [two_counties[0].pk]


@pytest.mark.django_db
def test_city_wide_board_query_count_is_constant_with_organisations(client, municipal, two_counties):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("disclosure_portal:board"))
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["rows"])

    for organization in two_counties:
        df.FeedbackFactory(organization=organization)
    client.force_login(municipal)
    few, rows = count()
    assert rows == 2
    for n in range(3):
        jurisdiction = f.JurisdictionFactory(name=f"新辖区{n}", code=f"new-{n}")
        for _m in range(3):
            entry = df.EntryFactory(organization=f.OrganizationFactory(jurisdiction=jurisdiction))
            df.published_item(D(2026, 11, 2), entry=entry)
            df.FeedbackFactory(organization=entry.organization)
    many, rows = count()
    assert rows == 11
    assert many == few


def test_compliance_calendar_scales_with_its_cell():
    from disclosure import charts
    from disclosure.enums import ComplianceMark

    marks = [(D(2026, m, 1), ComplianceMark.ON_TIME) for m in range(1, 13)]
    svg = str(charts.compliance_strip(marks))
    assert svg.startswith('<svg class="chart compliance"')
    assert 'viewBox="0 0 252 32"' in svg and 'width="100%"' in svg
    assert "max-width:252px" in svg and "height:auto" in svg
    assert 'height="32"' not in svg.split(">", 1)[0]  # no fixed size on the picture itself
    assert svg.count("<rect") == 12
