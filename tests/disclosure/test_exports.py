"""exports: the month's compliance report as Excel (R20), for the board's scope, formulas neutralised."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, export_rows


@pytest.mark.django_db
def test_monthly_excel_export_neutralises_formulas(client, county_user, county):
    from tests import factories as f

    evil = f.OrganizationFactory(name="=HYPERLINK(\"http://x\")", jurisdiction=county)
    entry = df.EntryFactory(organization=evil)
    df.published_item(D(2026, 11, 2), entry=entry)
    client.force_login(county_user)
    response = client.get(reverse("disclosure_portal:board_export"), {"month": "2026-11"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("辖区", "党组织", "本月情况", "公开事项数")
    org_row = next(row for row in rows[2:] if "HYPERLINK" in str(row[1]))
    assert org_row[1].startswith("'=")
    assert org_row[3] == 1


@pytest.mark.django_db
def test_other_county_cannot_export_my_organisations(client, other_county_user, org):
    client.force_login(other_county_user)
    response = client.get(reverse("disclosure_portal:board_export"), {"month": "2026-11"})
    names = [row[1] for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)]
    assert org.name not in names


@pytest.mark.django_db
def test_staff_export_follows_the_chosen_scope(client, municipal, two_counties, county):
    org, other_org = two_counties
    client.force_login(municipal)
    url = reverse("disclosure_portal:board_export")
    rows, sheets = export_rows(client.get(url, {"month": "2026-11", "jurisdiction": "all"}))
    assert rows[0][0] == "曲靖市党务公开合规月报（全市，2026-11，北京时间）"
    assert [row[:2] for row in rows[2:]] == [("麒麟区", org.name), ("沾益区", other_org.name)]
    assert sheets == ["2026-11合规情况", "各辖区汇总"]
    summary, _sheets = export_rows(client.get(url, {"month": "2026-11"}), sheet=1)
    assert [row[:3] for row in summary[2:]] == [("麒麟区", 1, 1), ("沾益区", 1, 1), ("合计", 2, 2)]
    rows, sheets = export_rows(client.get(url, {"month": "2026-11", "jurisdiction": county.pk}))
    assert rows[0][0] == "曲靖市党务公开合规月报（麒麟区，2026-11，北京时间）"
    assert [row[1] for row in rows[2:]] == [org.name]
    assert sheets == ["2026-11合规情况"]
