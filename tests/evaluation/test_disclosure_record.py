"""The disclosure record beside the scores (R6, R20): the disclosure app's compliance figures of each
candidate's unit over the last 12 months, on the ranking page, its Excel export, the ranking API and
the candidate page — built here with the disclosure factories."""
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evaluation import selectors, services
from evaluation.models import Candidate
from tests import factories as f

from .factories import disclosure_history, recommended_application, submit_card

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def recorded(candidate, other_candidate, panel):
    """麒麟区's candidate has a year of disclosure work; 沾益区's has none (and must not borrow it)."""
    disclosure_history(candidate.organization, TODAY)
    submit_card(panel[0], candidate)
    return candidate


EXPECTED_CELL = ["按时公开率 66.7%（2/3）", "展示不足15天 1 次", "整改逾期 1 件", "未按期公开 1 次", "意见建议逾期 1 件", "群众满意度 80.0%（5 人次）"]


def _row(groups, candidate):
    return next(r for g in groups for r in g["new"] + g["reevaluation"] if r["candidate"].pk == candidate.pk)


def test_selector_summarises_the_disclosure_factories_data(recorded, other_candidate):
    groups = selectors.ranking(recorded.round)
    record = _row(groups, recorded)["disclosure"]
    assert {k: record[k] for k in ("published", "on_time", "late", "on_time_rate", "missed", "display_breaches",
                                   "rectifications_overdue", "feedback_overdue", "ratings", "satisfaction_rate", "concerns")} == {
        "published": 3, "on_time": 2, "late": 1, "on_time_rate": Decimal("66.7"), "missed": 1, "display_breaches": 1,
        "rectifications_overdue": 1, "feedback_overdue": 1, "ratings": 5, "satisfaction_rate": Decimal("80.0"), "concerns": 4,
    }
    empty = _row(groups, other_candidate)["disclosure"]
    assert (empty["published"], empty["on_time_rate"], empty["satisfaction_rate"], empty["concerns"]) == (0, None, None, 0)


def test_ranking_page_shows_the_disclosure_record_beside_the_scores(client, municipal, recorded, other_candidate):
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/ranking/").content.decode()
    assert "党务公开记录（近12个月）" in page
    row = page[page.index(recorded.organization.name):]
    row = row[: row.index("</tr>")]
    assert "90.00" in row
    for text in EXPECTED_CELL:
        assert text in row
    other = page[page.index(other_candidate.organization.name):]
    other = other[: other.index("</tr>")]
    assert "未公开事项" in other and "暂无群众满意度评价" in other
    assert "66.7%" not in other


def test_candidate_page_shows_the_full_disclosure_record(client, municipal, recorded):
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/candidates/{recorded.pk}/").content.decode()
    section = page[page.index("党务公开记录（近12个月，R6、R20）"):]
    section = section[: section.index("</section>")]
    for text in ["66.7%（按时 2 项，共公开 3 项）", "展示不足15天（R17）</dt><dd>1 次", "未按期公开（R16）</dt><dd>1 次",
                 "100.0%（1/1 条）", "收到 1 条，按时答复 0 条，逾期 1 条", "下发 1 件，未销号 1 件，逾期 1 件", "80.0%（5 人次评价）"]:
        assert text in section


def test_ranking_export_has_the_disclosure_columns(client, municipal, recorded):
    client.force_login(municipal)
    response = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/export/ranking.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[1])
    row = next(r for r in rows[2:] if r[3] == recorded.organization.name)
    values = dict(zip(header, row))
    assert {k: values[k] for k in ("按时公开率(%)", "公开事项数", "逾期公开数", "未按期公开次数", "展示不足15天次数", "整改逾期件数",
                                   "意见建议逾期件数", "群众满意度(%)", "满意度评价人次")} == {
        "按时公开率(%)": 66.7, "公开事项数": 3, "逾期公开数": 1, "未按期公开次数": 1, "展示不足15天次数": 1, "整改逾期件数": 1,
        "意见建议逾期件数": 1, "群众满意度(%)": 80.0, "满意度评价人次": 5,
    }


def test_ranking_api_has_the_disclosure_record(api_client_for, recorded, other_candidate):
    response = api_client_for("municipal").get(f"/api/v1/evaluation/rounds/{recorded.round_id}/ranking/")
    assert response.status_code == 200
    rows = {r["candidate"]: r for g in response.json()["groups"] for r in g["candidates"]}
    record = rows[recorded.pk]["disclosure_record"]
    assert {k: record[k] for k in ("published", "on_time", "on_time_rate", "display_breaches", "rectifications_overdue",
                                   "satisfaction_rate", "ratings")} == {
        "published": 3, "on_time": 2, "on_time_rate": "66.7", "display_breaches": 1, "rectifications_overdue": 1,
        "satisfaction_rate": "80.0", "ratings": 5,
    }
    assert rows[recorded.pk]["aggregate"]["score"] == "90.00"
    assert rows[other_candidate.pk]["disclosure_record"]["on_time_rate"] is None


@pytest.mark.parametrize("role, expected", [("county_user", 404), ("other_county_user", 404), ("evaluator", 404), ("org_user", 404),
                                            ("leading", 200)])
def test_only_staff_read_the_disclosure_record_in_the_ranking(client, request, recorded, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.get(f"/portal/evaluation/rounds/{recorded.round_id}/ranking/")
    assert response.status_code == expected
    if expected == 200:
        assert "按时公开率 66.7%（2/3）" in response.content.decode()


def test_ranking_page_query_count_stays_constant_with_disclosure_records(client, municipal, eval_round, county, panel):
    client.force_login(municipal)

    def add(n):
        for _ in range(n):
            organization = f.OrganizationFactory(jurisdiction=county)
            disclosure_history(organization, TODAY)
            recommended_application(eval_round, organization)
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            submit_card(panel[0], Candidate.objects.get(application__organization=organization))

    url = f"/portal/evaluation/rounds/{eval_round.pk}/ranking/"
    add(1)
    client.get(url)  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("按时公开率 66.7%（2/3）") == 5
    assert len(small.captured_queries) == len(large.captured_queries)
