"""R20: a rectification keeps every report the organisation sent and every send-back reason; the
timelines name states by their labels, never their codes."""
import datetime
import re

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.enums import RectificationState
from qujing_disclosure.core.audit import history_for
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture
def notice(org):
    return df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"))


def _exchange(org_user, county_user, notice):
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已补贴公开栏照片。")
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=False, note="照片看不清日期。")
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已重新拍照，照片带日期水印。")


@pytest.mark.django_db
def test_every_report_is_kept_in_the_record(org_user, county_user, notice):
    _exchange(org_user, county_user, notice)
    notice.refresh_from_db()
    assert notice.state == RectificationState.REPORTED
    assert notice.report == "已重新拍照，照片带日期水印。"
    reports = [(e.reason, e.data["report"]) for e in history_for(notice) if e.action == "disclosure.rectification.report"]
    assert reports == [("已补贴公开栏照片。",) * 2, ("已重新拍照，照片带日期水印。",) * 2]


@pytest.mark.django_db
def test_exchange_reads_reports_and_send_backs_in_order(org_user, county_user, notice):
    from disclosure import selectors

    _exchange(org_user, county_user, notice)
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=True, note="符合要求。")
    rounds = selectors.rectification_exchange(notice, list(history_for(notice)))
    assert [(r["n"], r["report"], r["outcome"], r["note"]) for r in rounds] == [
        (1, "已补贴公开栏照片。", "returned", "照片看不清日期。"),
        (2, "已重新拍照，照片带日期水印。", "closed", "符合要求。"),
    ]
    assert rounds[0]["reported_by"] == org_user and rounds[0]["checked_by"] == county_user


@pytest.mark.django_db
def test_exchange_of_a_notice_reported_before_reports_were_recorded_shows_the_latest(notice):
    from disclosure import selectors

    notice.state, notice.report, notice.check_note = RectificationState.RETURNED, "旧的整改报告", "请补充"
    rounds = selectors.rectification_exchange(notice, [])
    assert [(r["report"], r["outcome"], r["note"]) for r in rounds] == [("旧的整改报告", "returned", "请补充")]


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal"])
def test_rectification_page_shows_the_whole_exchange(request, client, org_user, county_user, notice, who):
    _exchange(org_user, county_user, notice)
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure_portal:rectification_detail", args=[notice.pk])).content.decode()
    exchange = _text(body.split('id="exchange"', 1)[1].split("</section>", 1)[0])
    first, second = exchange.index("第 1 次整改报告"), exchange.index("第 2 次整改报告")
    assert first < exchange.index("已补贴公开栏照片。") < exchange.index("退回理由：照片看不清日期。") < second
    assert second < exchange.index("已重新拍照，照片带日期水印。") < exchange.index("等待复查")


@pytest.mark.django_db
def test_rectification_timeline_names_states_not_codes(client, org_user, county_user, notice):
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已整改")
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=False, note="请补充照片")
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:rectification_detail", args=[notice.pk])).content.decode()
    history = body.split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "报告整改情况" in history and "已报告整改" in history
    assert "复查：退回重改" in history and "退回重改</span>" in history
    assert "请补充照片" in history
    for code in ("reported", "returned", "issued"):
        assert f">{code}<" not in history


@pytest.mark.django_db
def test_item_timeline_names_states_not_codes(client, org_user, county_user, entry):
    item = df.ItemFactory(entry=entry, state="draft", publish_on=D(2099, 1, 2), display_until=D(2099, 1, 31))
    services.item_submit(actor=org_user, item_id=item.pk)
    client.force_login(org_user)
    body = client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()
    history = body.split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "提交初审" in history and "待初审</span>" in history
    assert ">submitted<" not in history


@pytest.mark.django_db
def test_rectification_page_of_another_county_stays_404(client, other_county_user, notice):
    client.force_login(other_county_user)
    assert client.get(reverse("disclosure_portal:rectification_detail", args=[notice.pk])).status_code == 404
