"""Public pages (evaluation.views.public): the publicity with the objection form (R8), receipts, case stories (R8a), dates."""
import datetime

import pytest

from evaluation import services
from evaluation.models import Objection
from tests import factories as f

from .factories import listed_round

pytestmark = pytest.mark.django_db


def _objection(publicity, **extra):
    return {"publicity": publicity.pk, f"p{publicity.pk}-entry": publicity.entries.get().pk,
            f"p{publicity.pk}-content": "该单位公开栏长期未更新，内容陈旧。", f"p{publicity.pk}-objector_contact": "secret@example.cn", **extra}


@pytest.fixture
def year_end_publicity(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=datetime.date(2026, 12, 28),
                                   ends_on=datetime.date(2027, 1, 3))


@pytest.fixture
def during_publicity():
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 28, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        yield


BODY = "把党务、政务、财务公开栏合并设置，按决策、执行、监督、结果分栏。" * 6 + "（全文结尾）"


@pytest.fixture
def story(municipal):
    site = f.DesignationFactory(organization=f.OrganizationFactory(name="麒麟区示范社区党委"))
    item = services.story_save(actor=municipal, designation_id=site.pk, title="“三务”合一公开栏", body=BODY)
    return services.story_set_status(actor=municipal, story_id=item.pk, status="published")


def test_publicity_page_lists_units_with_score_and_period(client, publicity):
    body = client.get("/publicity/").content.decode()
    assert "麒麟区第一党支部" in body and "90.00" in body and "县级" in body
    # ISO dates, so the English page shows no Chinese date format.
    assert f"<strong>公示期</strong>：{publicity.starts_on:%Y-%m-%d} 至 {publicity.ends_on:%Y-%m-%d}（北京时间）" in body


def test_objection_gives_receipt_and_answer_is_readable_by_code(client, publicity, municipal):
    response = client.post("/publicity/", _objection(publicity))
    objection = Objection.objects.get()
    # Post/Redirect/Get: the receipt is the objection's page by code; reloading it objects nothing twice.
    assert (response.status_code, response["Location"]) == (302, f"/publicity/objections/{objection.code}/?new=1")
    receipt = client.get(response["Location"]).content.decode()
    assert "您的异议已受理" in receipt and f'class="receipt-code" style="font-size:1.5rem;letter-spacing:.1em">{objection.code}<' in receipt
    client.get(response["Location"])
    assert Objection.objects.count() == 1
    services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="经核实，该单位公开栏每月更新。")
    body = client.get(f"/publicity/objections/{objection.code.lower()}/").content.decode()
    assert "经核实，该单位公开栏每月更新。" in body and "异议不成立" in body
    assert "secret@example.cn" not in body


def test_honeypot_stores_nothing(client, publicity):
    response = client.post("/publicity/", _objection(publicity, **{f"p{publicity.pk}-website": "http://spam"}))
    assert (response.status_code, response["Location"], Objection.objects.count()) == (302, "/publicity/objections/thanks/", 0)
    assert "感谢您的监督。" in client.get(response["Location"]).content.decode()


def test_rate_limit_refuses_with_a_chinese_message(client, publicity, settings):
    settings.OBJECTION_RATELIMIT = "2/h"
    for _ in range(2):
        assert client.post("/publicity/", _objection(publicity)).status_code == 302
    response = client.post("/publicity/", _objection(publicity))
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试" in response.content.decode()
    assert Objection.objects.count() == 2


def test_objection_content_is_escaped(client, publicity):
    client.post("/publicity/", _objection(publicity, **{f"p{publicity.pk}-content": "<script>alert(1)</script> 这是异议内容"}))
    body = client.get(f"/publicity/objections/{Objection.objects.get().code}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_unknown_code_is_404(client, publicity):
    response = client.get("/publicity/objections/NOSUCHCODE/")
    assert response.status_code == 404
    assert "未找到受理编号为“NOSUCHCODE”的异议。" in response.content.decode()


@pytest.mark.parametrize("code", ["a/b", "../x", "<b>x</b>", "  ", "中文编号"])
def test_lookup_of_a_malformed_code_says_not_found_instead_of_failing(client, publicity, code):
    response = client.get("/publicity/objections/", {"code": code})
    if code.strip():
        assert response.status_code == 404
        body = response.content.decode()
        assert "<h1>未找到</h1>" in body and "<b>x</b>" not in body
    else:
        assert response.status_code == 302  # nothing typed: back to the form


def test_lookup_of_a_good_code_goes_to_its_page(client, publicity):
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位公开栏长期未更新，内容陈旧。")
    response = client.get("/publicity/objections/", {"code": f" {objection.code.lower()} "})
    assert (response.status_code, response["Location"]) == (302, f"/publicity/objections/{objection.code}/")


def test_no_publicity_says_so(client, db):
    assert "当前没有正在公示的名单。" in client.get("/publicity/").content.decode()


def test_home_and_site_pages_show_publicity_and_case_story(client, publicity, municipal):
    from tests import factories as f

    designation = f.DesignationFactory()
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="公开栏“晒”出明白账", body="每月更新，群众点赞。")
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    home = client.get("/").content.decode()
    assert "正在公示" in home and "公开栏“晒”出明白账" in home
    assert "公开栏“晒”出明白账" in client.get(f"/sites/{designation.pk}/").content.decode()


def test_publicity_dates_are_iso_on_the_public_and_home_pages(during_publicity, client, year_end_publicity):
    body = client.get("/publicity/").content.decode()
    assert "2026-12-28 至 2027-01-03" in body and "12月28日" not in body
    home = client.get("/").content.decode()
    assert "（2026-12-28 至 2027-01-03，1 个单位）" in home and "12月28日" not in home


def test_publicity_dates_stay_iso_in_english(during_publicity, client, year_end_publicity):
    client.cookies["django_language"] = "en"
    body = client.get("/publicity/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026-12-28" in body and "2027-01-03" in body
    assert "12月28日" not in body and "1月3日" not in body


def test_home_shows_an_excerpt_with_a_link_to_the_whole_story(client, story):
    home = client.get("/").content.decode()
    assert "“三务”合一公开栏" in home and "（全文结尾）" not in home
    assert f'<a class="read-more" href="/stories/{story.pk}/">阅读全文</a>' in home


def test_the_story_page_shows_the_whole_story(client, story):
    response = client.get(f"/stories/{story.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "（全文结尾）" in body and "麒麟区示范社区党委" in body
    assert f'href="/sites/{story.designation_id}/"' in body


def test_site_page_excerpt_links_to_the_story(client, story):
    page = client.get(f"/sites/{story.designation_id}/").content.decode()
    assert f'href="/stories/{story.pk}/"' in page and "阅读全文" in page


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_an_unpublished_story_has_no_public_page(client, municipal, story, status):
    if status == "withdrawn":
        services.story_set_status(actor=municipal, story_id=story.pk, status="withdrawn")
        pk = story.pk
    else:
        pk = services.story_save(actor=municipal, designation_id=story.designation_id, title="草稿", body="草稿正文").pk
    assert client.get(f"/stories/{pk}/").status_code == 404
    client.force_login(municipal)
    assert client.get(f"/stories/{pk}/").status_code == 404  # the public page shows published stories only


def test_a_revoked_sites_story_leaves_the_home_page_but_keeps_its_page(client, municipal, story):
    services.designation_revoke_with_decision(actor=municipal, designation_id=story.designation_id, reason="复评不合格",
                                              decision_ref="曲党务公开办〔2026〕1号")
    assert "“三务”合一公开栏" not in client.get("/").content.decode()
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "该示范点的称号已撤销，本文作为历史记录保留。" in page and "（全文结尾）" in page


def test_the_home_page_keeps_the_stories_of_active_sites(client, municipal, story):
    other = f.DesignationFactory()
    services.story_set_status(actor=municipal, story_id=services.story_save(actor=municipal, designation_id=other.pk, title="明白卡",
                                                                            body="明白卡送到党员手中").pk, status="published")
    services.designation_revoke_with_decision(actor=municipal, designation_id=story.designation_id, reason="复评不合格",
                                              decision_ref="曲党务公开办〔2026〕1号")
    home = client.get("/").content.decode()
    assert "明白卡" in home and "“三务”合一公开栏" not in home
