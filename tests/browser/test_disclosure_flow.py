"""In a real browser: an organisation drafts an item, it passes the initial review and the office's
review, the publish job runs on a window day, the public page shows it; a member of the public
leaves feedback, the organisation answers, and the public reads the answer by receipt code
(R13, R14, R16, R18)."""
import datetime
import re

import pytest
from django.utils import timezone

from disclosure import dates, jobs
from disclosure.enums import ItemState
from disclosure.models import Feedback, Item
from tests.disclosure import factories as df

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory


def _text(page):
    return re.sub(r"\s+", " ", page.inner_text("main"))


def _logout(page):
    page.locator("form.logout button").click()


def test_item_from_draft_to_public_page_and_feedback_answered(
    transactional_db, live_server, page, portal_login, org, org_user, county_user,
):
    carrier = df.CarrierFactory(organization=org, name="社区党务公开栏")
    entry = df.EntryFactory(organization=org, title="重要情况通报")
    entry.carriers.set([carrier])
    internal = df.EntryFactory(organization=org, title="党费收缴", scope="internal", forms=["meeting"])
    df.published_item(timezone.localdate() - datetime.timedelta(days=3), entry=internal, scope="internal",
                      title="对内：党费收缴情况")
    publish_on = dates.next_valid_publish_date(timezone.localdate() + datetime.timedelta(days=1))
    display_until = publish_on + datetime.timedelta(days=20)

    # The organisation drafts the item; a date outside the window is refused with the next valid date.
    portal_login(page, org_user.username, PASSWORD)
    page.goto(f"{live_server.url}/portal/disclosure/items/new/?entry={entry.pk}")
    assert "拟公开日期（北京时间）" in _text(page)
    page.fill("#id_title", "社区重点工作推进情况")
    page.fill("#id_content", "本月完成老旧小区改造议事协商3次。")
    bad = publish_on.replace(day=20)
    page.fill("#id_publish_on", bad.isoformat())
    page.fill("#id_display_until", (bad + datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="保存").click()
    assert f"最近可选的公开日期是 {dates.next_valid_publish_date(bad).isoformat()}" in _text(page)
    page.fill("#id_publish_on", publish_on.isoformat())
    page.fill("#id_display_until", display_until.isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/portal/disclosure/items/\d+/$"))
    item = Item.objects.get(title="社区重点工作推进情况")

    # Propose and initial review (content, scope, form, time limit each checked).
    page.get_by_role("button", name="提交初审", exact=True).click()
    page.wait_for_url(re.compile(r"/portal/disclosure/items/\d+/$"))
    for box in ("#id_check_content", "#id_check_scope", "#id_check_form", "#id_check_timing"):
        page.check(box)
    page.get_by_role("button", name="提交初审意见").click()
    page.wait_for_url(re.compile(r"/portal/disclosure/items/\d+/$"))
    assert page.inner_text("#item-state") == "待审查"
    _logout(page)

    # The county office reviews for the leading group and approves.
    portal_login(page, county_user.username, PASSWORD)
    page.goto(f"{live_server.url}/portal/disclosure/items/{item.pk}/")
    page.get_by_role("button", name="提交审查意见").click()
    page.wait_for_url(re.compile(r"/portal/disclosure/items/\d+/$"))
    assert page.inner_text("#item-state") == "待发布"
    _logout(page)

    # Not public before publication; the beat job publishes it on its window day.
    page.goto(f"{live_server.url}/disclosure/{org.pk}/")
    assert "社区重点工作推进情况" not in _text(page)
    assert jobs.publish_due_items(today=publish_on).ids == [item.pk]
    assert Item.objects.get(pk=item.pk).state == ItemState.PUBLISHED
    page.goto(f"{live_server.url}/disclosure/{org.pk}/")
    text = _text(page)
    assert "社区重点工作推进情况" in text
    assert "对内：党费收缴情况" not in text  # R13: internal items never appear

    # A member of the public leaves feedback and gets a receipt code.
    page.fill("#id_content", "建议公开栏增加夜间照明。")
    page.get_by_role("button", name="提交意见建议").click()
    page.wait_for_url(re.compile(r"/feedback/[A-Z0-9]+/$"))
    code = page.inner_text("#receipt-code").strip()
    assert Feedback.objects.get().code == code
    assert "尚未答复" in _text(page)

    # The organisation answers in the portal, with the working-day deadline shown.
    portal_login(page, org_user.username, PASSWORD)
    feedback = Feedback.objects.get()
    page.goto(f"{live_server.url}/portal/disclosure/feedback/{feedback.pk}/")
    assert "个工作日" in page.inner_text("#deadline")
    page.fill("#id_answer", "已加装照明灯，感谢您的建议。")
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_url(re.compile(r"/portal/disclosure/feedback/\d+/$"))
    _logout(page)

    # Later, the public reads the answer by code.
    page.goto(f"{live_server.url}/feedback/")
    page.fill("#id_code", code.lower())
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(rf"/feedback/{code}/$"))
    assert page.inner_text("#feedback-answer") == "已加装照明灯，感谢您的建议。"
    assert page.inner_text("#feedback-state") == "已答复"


def _fits(page):
    """Nothing wider than the phone: no sideways scrolling, every calendar fully on screen."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Tables scroll sideways inside their wrapper, which the page width does not show: check each wrapper.
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1).length"
    ) == 0
    rights = page.evaluate(
        "Array.from(document.querySelectorAll('svg.compliance')).map(s => s.getBoundingClientRect().right)")
    assert all(right <= width for right in rights)
    return rights


def test_board_and_catalogue_fit_a_390px_phone(
    transactional_db, live_server, phone_page, portal_login, artifacts, org, county_user, org_user,
):
    page = phone_page
    web = df.CarrierFactory(organization=org, kind="web_page", name="党务公开网页专栏", location="",
                            url="https://dwgk.qj.example.cn/organisations/qilin/nanning-street/baishijiang/disclosure/")
    board = df.CarrierFactory(organization=org, name="社区党务公开栏", location="社区党群服务中心一楼大厅东侧")
    entry = df.EntryFactory(organization=org, title="重要情况通报", forms=["board", "website"])
    entry.carriers.set([board, web])
    today = timezone.localdate()
    for months_ago in range(0, 12, 2):
        day = dates.add_months(today, -months_ago).replace(day=3)
        if day <= today:
            df.published_item(day, entry=entry)

    portal_login(page, county_user.username, PASSWORD)
    page.goto(f"{live_server.url}/portal/disclosure/board/")
    rights = _fits(page)
    assert len(rights) == 1
    assert page.locator("svg.compliance rect").count() == 12  # all twelve months drawn and on screen
    page.locator("svg.compliance").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "disclosure-board-390.png"))
    _logout(page)

    portal_login(page, org_user.username, PASSWORD)
    page.goto(f"{live_server.url}/portal/disclosure/catalogue/")
    _fits(page)
    assert "dwgk.qj.example.cn" in page.inner_text(f"#carrier-{web.pk}")
    page.locator(f"#carrier-{web.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "disclosure-catalogue-390.png"))
