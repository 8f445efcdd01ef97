"""sites/exports.py: the Excel export of the 2:1 screening summary (R2), from the admin."""
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sites.enums import Level, RoundStatus
from tests import factories as f

HEADER = ["辖区", "名额", "申报数", "已推荐", "推荐上限", "已授牌"]


def _sheet(response):
    workbook = load_workbook(BytesIO(response.content))
    return workbook, workbook.worksheets[0]


def _values(sheet, row):
    return [cell.value for cell in sheet[row]]


# --- the download ------------------------------------------------------------------
def test_export_has_title_header_one_row_per_quota_and_totals(client, municipal, screened_round):
    client.force_login(municipal)
    response = client.get(reverse("admin:sites_round_screening", args=[screened_round.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    _, sheet = _sheet(response)
    assert sheet["A1"].value == "2026年县级示范点创建：2:1审核推荐汇总"
    assert _values(sheet, 3) == HEADER
    assert _values(sheet, 4) == ["麒麟区", 2, 3, 2, 4, 0]
    assert _values(sheet, 5) == ["沾益区", 2, 1, 0, 4, 1]
    assert _values(sheet, 6) == ["合计", 4, 4, 2, 8, 1]
    assert sheet.max_row == 6


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\",\"点我\")", "@SUM(1+1)*cmd", "+1+1", "-1+1"])
def test_export_neutralises_a_jurisdiction_name_that_looks_like_a_formula(client, municipal, open_round, name):
    f.QuotaFactory(round=open_round, jurisdiction=f.JurisdictionFactory(name=name, sort_order=30000), slots=1)
    client.force_login(municipal)
    _, sheet = _sheet(client.get(reverse("admin:sites_round_screening", args=[open_round.pk])))
    cell = sheet["A6"]
    assert (cell.value, cell.data_type) == ("'" + name, "s")


def test_export_neutralises_a_round_name_in_the_title(client, municipal, open_round):
    open_round.name = "=cmd|' /C calc'!A0"
    open_round.save(update_fields=["name"])
    client.force_login(municipal)
    _, sheet = _sheet(client.get(reverse("admin:sites_round_screening", args=[open_round.pk])))
    assert sheet["A1"].value.startswith("'=cmd")
    assert sheet["A1"].data_type == "s"


def test_export_of_a_past_round_counts_its_designations(client, municipal, city, county):
    past = f.RoundFactory(organizer=city, name="2016年度市级党务公开工作示范点创建", year=2016, level=Level.CITY,
                          status=RoundStatus.FINISHED, applications_open_on="2016-03-01",
                          applications_close_on="2016-04-30", screening_close_on="2016-05-31")
    f.QuotaFactory(round=past, jurisdiction=county, slots=3)
    for _ in range(3):
        f.DesignationFactory(round=past, level=Level.CITY, organization=f.OrganizationFactory(jurisdiction=county))
    client.force_login(municipal)
    _, sheet = _sheet(client.get(reverse("admin:sites_round_screening", args=[past.pk])))
    assert _values(sheet, 4) == ["麒麟区", 3, 0, 0, 6, 3]


def test_export_of_unknown_round_is_404(client, municipal):
    client.force_login(municipal)
    assert client.get(reverse("admin:sites_round_screening", args=[987654])).status_code == 404


def test_export_action_gives_one_sheet_per_selected_round(client, municipal, screened_round, city, county):
    other = f.RoundFactory(organizer=city, name="2024年度县级党务公开工作示范点创建", year=2024, status=RoundStatus.FINISHED)
    f.QuotaFactory(round=other, jurisdiction=county, slots=1)
    client.force_login(municipal)
    response = client.post(
        reverse("admin:sites_round_changelist"),
        {"action": "export_screening", "_selected_action": [screened_round.pk, other.pk], "index": 0},
    )
    assert response.status_code == 200
    workbook, _ = _sheet(response)
    assert sorted(ws["A1"].value for ws in workbook.worksheets) == [
        "2024年度县级党务公开工作示范点创建：2:1审核推荐汇总", "2026年县级示范点创建：2:1审核推荐汇总",
    ]


# --- who may download --------------------------------------------------------------
@pytest.mark.parametrize("who", [None, "leading", "evaluator", "county_user", "other_county_user", "org_user"])
def test_export_sends_everyone_but_the_municipal_office_to_the_admin_login(client, request, screened_round, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    url = reverse("admin:sites_round_screening", args=[screened_round.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_export_refuses_staff_who_are_not_municipal(client, county, screened_round):
    # A county office account wrongly flagged as staff still gets nothing.
    client.force_login(f.county_user(county, username="staff_county", is_staff=True))
    response = client.get(reverse("admin:sites_round_screening", args=[screened_round.pk]))
    assert response.status_code == 403
    assert response.get("Content-Type", "").startswith("text/html")


def test_export_action_is_refused_to_staff_who_are_not_municipal(client, county, screened_round):
    client.force_login(f.county_user(county, username="staff_county", is_staff=True))
    response = client.post(
        reverse("admin:sites_round_changelist"),
        {"action": "export_screening", "_selected_action": [screened_round.pk], "index": 0},
    )
    assert response.status_code == 403


def test_superuser_may_download(client, screened_round):
    admin_user = f.UserFactory(username="root", role="leading_group", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.get(reverse("admin:sites_round_screening", args=[screened_round.pk]))
    assert response.status_code == 200
