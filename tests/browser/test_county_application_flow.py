"""A county office, in a real browser: apply for a unit, attach a PDF, submit, recommend up to
the limit, and be refused one past it (R2, R3)."""
import re

import pytest

from sites import services
from sites.enums import ApplicationState
from sites.models import Application
from tests import factories as f
from tests.sites.conftest import attach_material

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFUSAL = "按2:1比例，本轮麒麟区名额2个，最多推荐4个，已推荐4个，不能再推荐。"


def _submitted(round_, jurisdiction, actor, name):
    organization = f.OrganizationFactory(jurisdiction=jurisdiction, name=name)
    application = services.application_create(
        actor=actor, round_id=round_.pk, organization_id=organization.pk,
        summary="坚持每月1—10日集中公开。", contact_name="李四", contact_phone="13800000000",
    )
    attach_material(application, actor)  # R3: no submission without materials
    return services.application_submit(actor=actor, application_id=application.pk)


def _text(page):
    return re.sub(r"\s+", " ", page.inner_text("main"))


def test_county_user_applies_submits_and_is_refused_past_the_limit(
    transactional_db, live_server, page, phone_page, portal_login, artifacts, tmp_path,
    open_round, county, county_user, org,
):
    # The round allows 2 slots at 2:1, so 4 recommendations; four units have already applied.
    others = [_submitted(open_round, county, county_user, f"麒麟区第{n}党支部") for n in "二三四五"]
    attachment = tmp_path / "创建工作总结.pdf"
    attachment.write_bytes(PDF_BYTES)

    portal_login(page, county_user.username, PASSWORD)
    assert "推荐 0/4" in _text(page)

    # Create an application for one of the county's own units.
    page.get_by_role("link", name="新建申报").first.click()
    page.select_option("#id_organization", label=org.name)
    page.fill("#id_summary", "本单位建立公开目录，按月公开党务。")
    page.fill("#id_contact_name", "王五")
    page.fill("#id_contact_phone", "0874-3120000")
    page.get_by_role("button", name="保存草稿，下一步上传材料").click()
    page.wait_for_url(re.compile(r"/portal/applications/\d+/materials/$"))
    assert "申报草稿已创建。请上传申报材料，然后提交。" in _text(page)

    # Attach a small PDF.
    page.fill("#id_m-0-title", "创建工作总结")
    page.set_input_files("#id_m-0-file", str(attachment))
    page.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_url(re.compile(r"/portal/applications/\d+/$"))
    assert "已上传 1 个文件。" in _text(page)
    assert page.get_by_role("link", name="创建工作总结").is_visible()
    page.screenshot(path=str(artifacts / "county-flow-1-draft-with-material.png"), full_page=True)

    # Submit it.
    page.get_by_role("button", name="提交申报").click()
    assert "申报已提交，等待辖区审核推荐。" in _text(page)
    assert page.inner_text("#application-state") == "已提交"
    mine = Application.objects.get(organization=org)
    assert mine.state == ApplicationState.SUBMITTED
    assert mine.materials.get().title == "创建工作总结"

    # Recommend the other four: up to the limit.
    for count, application in enumerate(others, start=1):
        page.goto(f"{live_server.url}/portal/applications/{application.pk}/")
        page.fill("#id_recommend-reason", "工作扎实，材料齐全")
        page.get_by_role("button", name="推荐", exact=True).click()
        assert "已推荐。" in _text(page)
        assert f"推荐 {count}/4" in _text(page)

    # One past the limit: refused in Chinese, naming the limit; nothing changes.
    page.goto(f"{live_server.url}/portal/applications/{mine.pk}/")
    page.get_by_role("button", name="推荐", exact=True).click()
    assert REFUSAL in _text(page)
    assert page.locator("#recommend-form .msg.error").inner_text().strip() == REFUSAL
    assert page.inner_text("#application-state") == "已提交"
    page.screenshot(path=str(artifacts / "county-flow-2-refused-past-limit.png"), full_page=True)
    mine.refresh_from_db()
    assert mine.state == ApplicationState.SUBMITTED
    assert Application.objects.filter(state=ApplicationState.RECOMMENDED).count() == 4

    page.goto(f"{live_server.url}/portal/")
    assert "推荐 4/4" in _text(page)
    page.screenshot(path=str(artifacts / "county-flow-3-dashboard-desktop.png"), full_page=True)

    # The same pages read on a phone.
    portal_login(phone_page, county_user.username, PASSWORD)
    assert "推荐 4/4" in _text(phone_page)
    phone_page.screenshot(path=str(artifacts / "county-flow-4-dashboard-phone.png"), full_page=True)
    phone_page.goto(f"{live_server.url}/portal/applications/{mine.pk}/")
    phone_page.screenshot(path=str(artifacts / "county-flow-5-application-phone.png"), full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
