"""Portal pages (/portal/disclosure/): every page for exactly the roles its permission names (404 for the
others, never 403; anonymous goes to the login); forms show the rules' messages on their fields;
lists keep constant queries."""
import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import jobs, services
from disclosure.enums import ItemState, TimeType
from disclosure.models import Carrier, Finding, Item, Reminder
from tests import factories as f
from tests.disclosure import factories as df
from tests.disclosure.helpers import (
    D,
    api,
    at,
    entry_row,
    export_rows,
    record_evidence,
    report_twice,
    series_of_three,
)


# --- role × page -----------------------------------------------------------------------


ROLES = ["anonymous", "admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]


READERS = {"admin": 200, "municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 200,
           "org_user": 200, "other_org_user": 200}


OWN_OBJECT = {"admin": 200, "municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 404,
              "org_user": 200, "other_org_user": 404}


ORG_ONLY = {"admin": 404, "municipal": 404, "leading": 404, "evaluator": 404, "county_user": 404, "other_county_user": 404,
            "org_user": 200, "other_org_user": 200}


ORG_OWN = {**ORG_ONLY, "other_org_user": 404}


REVIEWERS = {"admin": 200, "municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 200,
             "org_user": 404, "other_org_user": 404}


REVIEWERS_OWN = {**REVIEWERS, "other_county_user": 404}


OFFICE = {**REVIEWERS, "leading": 404}


PAGES = [
    ("home", None, READERS),
    ("catalogue", None, READERS),
    ("entry_create", None, ORG_ONLY),
    ("entry_edit", "entry", ORG_OWN),
    ("carrier_create", None, ORG_ONLY),
    ("carrier_edit", "carrier", ORG_OWN),
    ("item_list", None, READERS),
    ("item_create", None, ORG_ONLY),
    ("item_detail", "item", OWN_OBJECT),
    ("item_edit", "item", ORG_OWN),
    ("feedback_list", None, READERS),
    ("feedback_detail", "feedback", OWN_OBJECT),
    ("exemption_list", None, READERS),
    ("exemption_create", None, ORG_ONLY),
    ("exemption_review", "exemption", ORG_OWN),
    ("finding_list", None, REVIEWERS),
    ("finding_create", None, OFFICE),
    ("finding_detail", "finding", REVIEWERS_OWN),
    ("rectification_list", None, READERS),
    ("rectification_detail", "rectification", OWN_OBJECT),
    ("board", None, REVIEWERS),
    ("board_export", None, REVIEWERS),
]


@pytest.fixture
def world(org, entry, carrier, other_org):
    item = df.ItemFactory(entry=entry)
    # The neighbouring county's data exists and must not leak.
    df.ItemFactory(entry=df.EntryFactory(organization=other_org), title="沾益区事项")
    finding = df.FindingFactory(organization=org)
    return {
        "entry": entry, "carrier": carrier, "item": item,
        "feedback": df.FeedbackFactory(organization=org),
        "exemption": df.ExemptionFactory(organization=org),
        "finding": finding,
        "rectification": df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,obj,expected", PAGES, ids=[p[0] for p in PAGES])
def test_portal_page_access(request, client, world, role, name, obj, expected):
    url = reverse(f"disclosure_portal:{name}", args=[world[obj].pk] if obj else [])
    if role == "anonymous":
        response = client.get(url)
        assert response.status_code == 302
        assert "/portal/login/" in response["Location"]
        return
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == expected[role]


@pytest.mark.django_db
def test_county_item_list_never_shows_neighbouring_county(client, world, county_user):
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:item_list")).content.decode()
    assert world["item"].title in body
    assert "沾益区事项" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["submit", "publish", "review", "inspect", "end", "evidence", "initial_review"])
def test_item_actions_of_other_county_are_404(client, world, other_county_user, action):
    client.force_login(other_county_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[world["item"].pk, action]), {})
    assert response.status_code == 404


# --- items ---------------------------------------------------------------------------


def item_post(entry, **kw):
    data = {"entry": entry.pk, "title": "6月党费收缴情况", "content": "应缴12人，实缴12人", "field": "party",
            "scope": "external", "forms": ["board"], "time_type": "staged", "publish_on": "2026-06-02",
            "display_until": "2026-06-30", "carriers": [c.pk for c in entry.carriers.all()]}
    data.update(kw)
    return data


@pytest.mark.django_db
def test_r16_form_shows_refusal_on_the_date_field_with_next_valid_date(client, org_user, entry):
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), item_post(entry, publish_on="2026-05-28"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "最近可选的公开日期是 2026-06-01" in form.errors["publish_on"][0]
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_r17_form_shows_refusal_on_display_end(client, org_user, entry):
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), item_post(entry, display_until="2026-06-05"))
    assert "2026-06-17" in response.context["form"].errors["display_until"][0]


@pytest.mark.django_db
def test_date_inputs_say_china_time(client, org_user, entry):
    client.force_login(org_user)
    body = client.get(reverse("disclosure_portal:item_create")).content.decode()
    assert "拟公开日期（北京时间）" in body
    assert 'type="date"' in body


@pytest.mark.django_db
def test_portal_procedure_from_draft_to_publication(client, org_user, county_user, entry):
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), item_post(entry))
        item = Item.objects.get()
        assert response["Location"] == reverse("disclosure_portal:item_detail", args=[item.pk])
        client.post(reverse("disclosure_portal:item_action", args=[item.pk, "submit"]))
        bad = client.post(reverse("disclosure_portal:item_action", args=[item.pk, "initial_review"]),
                          {"decision": "approve", "check_content": "on"})
        assert bad.status_code == 400
        assert "尚未确认" in bad.content.decode()
        client.post(reverse("disclosure_portal:item_action", args=[item.pk, "initial_review"]),
                    {"decision": "approve", "check_content": "on", "check_scope": "on", "check_form": "on",
                     "check_timing": "on"})
        client.force_login(county_user)
        page = client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()
        assert "领导小组审查" in page
        client.post(reverse("disclosure_portal:item_action", args=[item.pk, "review"]), {"decision": "approve"})
    assert Item.objects.get().state == ItemState.APPROVED
    jobs.publish_due_items(today=D(2026, 6, 2))
    assert Item.objects.get().state == ItemState.PUBLISHED


@pytest.mark.django_db
def test_review_return_needs_reason_shown_on_form(client, org_user, county_user, entry):
    item = df.ItemFactory(entry=entry, state=ItemState.INITIAL_APPROVED)
    client.force_login(county_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[item.pk, "review"]), {"decision": "return"})
    assert response.status_code == 400
    assert "退回时必须填写理由。" in response.content.decode()


@pytest.mark.django_db
def test_portal_submit_without_carriers_shows_the_message(client, org_user, entry):
    item = df.ItemFactory(entry=entry, carriers=[])
    client.force_login(org_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[item.pk, "submit"]), follow=True)
    assert "对外公开事项须在“公开载体”中至少选择一个在用的载体" in response.content.decode()


def _proof_row(body, carrier):
    return body.split(f'id="proof-{carrier.pk}"', 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal", "admin"])
def test_item_page_shows_proof_per_carrier(request, client, org_user, on_two_carriers, carrier, web_page, who):
    record_evidence(org_user, on_two_carriers, carrier, note="大厅公开栏照片")
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure_portal:item_detail", args=[on_two_carriers.pk])).content.decode()
    board_row, web_row = _proof_row(body, carrier), _proof_row(body, web_page)
    assert "已记录佐证" in board_row and "大厅公开栏照片" in board_row
    assert "尚无佐证" in web_row and "已记录佐证" not in web_row


@pytest.mark.django_db
def test_evidence_form_offers_only_the_items_carriers_in_use(client, org_user, on_two_carriers, carrier, web_page, unused):
    services.carrier_update(actor=org_user, carrier_id=web_page.pk, is_active=False)
    client.force_login(org_user)
    response = client.get(reverse("disclosure_portal:item_detail", args=[on_two_carriers.pk]))
    field = response.context["forms"]["evidence"].fields["carrier"]
    assert [c.pk for c in field.queryset] == [carrier.pk]


@pytest.mark.django_db
def test_portal_inspection_refusal_shows_on_the_result_field(client, county_user, on_two_carriers):
    client.force_login(county_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[on_two_carriers.pk, "inspect"]),
                           {"result": "passed", "finding_kind": "evidence"})
    assert response.status_code == 400
    errors = response.context["forms"]["inspect"].errors["result"]
    assert errors[0].startswith("以下公开载体尚无公开佐证")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "admin"])
def test_portal_item_page_and_list_show_the_real_end(request, client, late, who):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure_portal:item_detail", args=[late.pk])).content.decode()
    end = body.split('id="display-end"', 1)[1].split("</dd>", 1)[0]
    assert end.startswith(">2026-06-27（北京时间）")
    assert "原定截止 2026-06-17" in end and "不少于15天" in end
    listing = client.get(reverse("disclosure_portal:item_list")).content.decode()
    row = listing.split(late.title, 1)[1].split("</tr>", 1)[0]
    assert "2026-06-27" in row and "2026-06-17" not in row


@pytest.mark.django_db
def test_item_published_on_time_shows_its_own_end_without_a_note(client, org_user, entry):
    item = df.published_item(D(2026, 6, 2), entry=entry, display_until=D(2026, 6, 30))
    assert Item.objects.get(pk=item.pk).state == ItemState.PUBLISHED
    client.force_login(org_user)
    body = client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()
    end = body.split('id="display-end"', 1)[1].split("</dd>", 1)[0]
    assert end == ">2026-06-30（北京时间）"


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
def test_portal_form_shows_the_refusal_on_previous(client, org_user, entry, long_term_elsewhere):
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), {
            "entry": entry.pk, "previous": long_term_elsewhere.pk, "title": "t", "content": "c", "field": "party",
            "scope": "external", "forms": ["board"], "time_type": "staged", "publish_on": "2026-06-03",
            "display_until": "2026-06-30", "carriers": [c.pk for c in entry.carriers.all()]})
    assert response.status_code == 200
    assert response.context["form"].errors["previous"][0].startswith("“前一期”必须属于同一目录条目")
    assert Item.objects.filter(title="t").count() == 0


@pytest.mark.django_db
def test_portal_form_does_not_offer_drafts_as_previous(client, org_user, entry):
    drafted = df.ItemFactory(entry=entry, title="草稿事项")
    shown = df.published_item(D(2026, 5, 3), entry=entry, title="已公开事项")
    client.force_login(org_user)
    options = list(client.get(reverse("disclosure_portal:item_create")).context["form"].fields["previous"].queryset)
    assert shown in options and drafted not in options


@pytest.mark.django_db
def test_portal_form_links_a_valid_previous_item(client, org_user, entry):
    first = df.published_item(D(2026, 5, 3), entry=entry, title="第一期", time_type=TimeType.REPEATED)
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), {
            "entry": entry.pk, "previous": first.pk, "title": "第二期", "content": "c", "field": "party",
            "scope": "external", "forms": ["board"], "time_type": "repeated", "publish_on": "2026-06-03",
            "display_until": "2026-06-30", "carriers": [c.pk for c in entry.carriers.all()]})
    assert response.status_code == 302
    second = Item.objects.get(title="第二期")
    assert (second.previous_id, second.series_id) == (first.pk, first.pk)


# --- R15: repeated items (多次公开) form a series shown whole on each item page -----------------


def _series_section(body):
    assert 'id="series"' in body
    return body.split('id="series"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal", "admin"])
def test_item_page_shows_the_whole_series_in_order(request, client, entry, who):
    first, second, third = series_of_three(entry)
    client.force_login(request.getfixturevalue(who))
    for current in (first, second, third):
        section = _series_section(client.get(reverse("disclosure_portal:item_detail", args=[current.pk])).content.decode())
        positions = [section.index(item.title) for item in (first, second, third)]
        assert positions == sorted(positions)  # earlier and later items, in order
        assert "本系列共 3 期" in section
        for item in (first, second, third):
            link = reverse("disclosure_portal:item_detail", args=[item.pk])
            assert (f'href="{link}"' in section) == (item != current)
        assert f"<strong>{current.title}</strong>" in section
    section = _series_section(client.get(reverse("disclosure_portal:item_detail", args=[first.pk])).content.decode())
    assert "2026-04-02 公开" in section and "拟 2026-06-02 公开" in section


@pytest.mark.django_db
def test_item_outside_a_series_shows_no_series(client, org_user, entry):
    item = df.published_item(D(2026, 5, 3), entry=entry)
    client.force_login(org_user)
    assert 'id="series"' not in client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()


@pytest.mark.django_db
def test_series_pages_stay_hidden_from_a_neighbouring_county(client, other_county_user, other_org_user, entry):
    _first, second, _third = series_of_three(entry)
    for user in (other_county_user, other_org_user):
        client.force_login(user)
        assert client.get(reverse("disclosure_portal:item_detail", args=[second.pk])).status_code == 404


# --- catalogue and carriers (R12, R13) ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal", "admin"])
def test_portal_catalogue_shows_field_and_carriers(request, client, service_entry, who):
    client.force_login(request.getfixturevalue(who))
    row = entry_row(client.get(reverse("disclosure_portal:catalogue")).content.decode(), service_entry)
    assert "办事公开" in row
    assert "公开栏·办公楼大厅公开栏" in row and "信息岛·党群服务中心信息岛" in row


@pytest.mark.django_db
def test_portal_form_shows_the_refusal_on_the_field(client, org_user):
    client.force_login(org_user)
    response = client.post(reverse("disclosure_portal:carrier_create"), {"kind": "account", "name": "社区公众号"})
    assert response.status_code == 200
    assert response.context["form"].errors["handle"] == ["微博/微信公众号须填写“账号名称”，便于群众找到、检查人员核查（R12）。"]
    response = client.post(reverse("disclosure_portal:carrier_create"),
                           {"kind": "account", "name": "社区公众号", "handle": "bsj_dwgk"})
    assert response.status_code == 302
    assert Carrier.objects.get().handle == "bsj_dwgk"


@pytest.mark.django_db
def test_catalogue_and_public_page_show_an_accounts_handle(client, org_user, org):
    account = df.CarrierFactory(organization=org, kind="account", name="社区微信公众号", location="", handle="bsj_dwgk")
    client.force_login(org_user)
    row = client.get(reverse("disclosure_portal:catalogue")).content.decode().split(f'id="carrier-{account.pk}"', 1)[1]
    assert "账号：bsj_dwgk" in row.split("</tr>", 1)[0]
    public = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "微博/微信公众号：社区微信公众号（bsj_dwgk）" in public


# --- lists ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["item_list", "catalogue", "feedback_list", "board", "exemption_list", "home"])
def test_list_pages_query_count_constant(client, county_user, org, entry, name):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"disclosure_portal:{name}")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(county_user)
    df.ItemFactory(entry=entry)
    df.FeedbackFactory(organization=org)
    df.ExemptionFactory(organization=org)
    few = count()
    for _i in range(6):
        other = df.EntryFactory(organization=df.EntryFactory(organization__jurisdiction=org.jurisdiction).organization)
        df.ItemFactory(entry=other)
        df.published_item(D(2026, 11, 2), entry=other)
        df.FeedbackFactory(organization=other.organization)
        df.ExemptionFactory(organization=other.organization)
    assert count() == few


@pytest.mark.django_db
def test_municipal_sees_exemption_register_per_jurisdiction(client, municipal, org, other_org):
    df.ExemptionFactory(organization=org, title="麒麟区备案")
    df.ExemptionFactory(organization=other_org, title="沾益区备案")
    client.force_login(municipal)
    body = client.get(reverse("disclosure_portal:exemption_list"), {"jurisdiction": org.jurisdiction_id}).content.decode()
    assert "麒麟区备案" in body
    assert "沾益区备案" not in body


# --- feedback, findings and rectifications (R18, R20) ---------------------------------------


@pytest.mark.django_db
def test_org_user_answers_feedback_with_deadline_shown(client, org_user, org):
    feedback = df.FeedbackFactory(organization=org, received_on=D(2026, 9, 30))
    client.force_login(org_user)
    page = client.get(reverse("disclosure_portal:feedback_detail", args=[feedback.pk])).content.decode()
    assert "起算 5 个工作日" in page
    assert "跳过节假日" in page
    client.post(reverse("disclosure_portal:feedback_detail", args=[feedback.pk]), {"answer": "已采纳"})
    feedback.refresh_from_db()
    assert feedback.answer == "已采纳"


@pytest.mark.django_db
def test_office_issues_notice_from_finding_and_org_reports(client, county_user, org_user, org):
    finding = df.FindingFactory(organization=org)
    client.force_login(county_user)
    response = client.post(reverse("disclosure_portal:finding_detail", args=[finding.pk]),
                           {"issue": "1", "requirement": "补充张贴", "deadline": "2099-12-31"})
    notice = finding.__class__.objects.get(pk=finding.pk).rectification
    assert response["Location"] == reverse("disclosure_portal:rectification_detail", args=[notice.pk])
    client.force_login(org_user)
    client.post(reverse("disclosure_portal:rectification_detail", args=[notice.pk]), {"report": "已补充"})
    notice.refresh_from_db()
    assert notice.state == "reported"


@pytest.mark.django_db
def test_overdue_feedback_finding_links_to_the_feedback(client, county_user, org):
    from disclosure.models import Finding

    feedback = df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1))
    jobs.record_overdue_feedback(today=D(2026, 6, 9))
    finding = Finding.objects.get(feedback=feedback)
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:finding_detail", args=[finding.pk])).content.decode()
    assert f'href="{reverse("disclosure_portal:feedback_detail", args=[feedback.pk])}"' in body
    assert "逾期未答复（R18）" in body


@pytest.mark.django_db
def test_finding_pages_show_job_text_in_english(client, county_user, missed, entry):
    client.force_login(county_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(reverse("disclosure_portal:finding_detail", args=[missed.pk])).content.decode()
    assert f"Catalogue entry “{entry.title}” should have been disclosed" in detail
    assert "窗口内未公开任何事项" not in detail
    listing = client.get(reverse("disclosure_portal:finding_list")).content.decode()
    assert "Catalogue entry" in listing and "窗口内未公开任何事项" not in listing


@pytest.mark.django_db
def test_finding_pages_stay_chinese_by_default(client, county_user, missed):
    client.force_login(county_user)
    detail = client.get(reverse("disclosure_portal:finding_detail", args=[missed.pk])).content.decode()
    assert missed.description in detail


@pytest.mark.django_db
def test_window_reminder_in_english_joins_titles_with_the_language_separator(client, org_user, org, entry):
    second = df.EntryFactory(organization=org, title="重要情况通报")
    jobs.send_window_reminders(today=D(2026, 6, 25))
    reminder = Reminder.objects.get()
    assert reminder.text_code == "window_unscheduled"
    assert f"{entry.title}、重要情况通报" in reminder.message
    client.force_login(org_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get(reverse("disclosure_portal:home")).content.decode()
    assert "The disclosure window for 2026-07" in home
    assert f"{entry.title}, {second.title}" in home
    api = APIClient()
    api.force_authenticate(org_user)
    message = api.get("/api/v1/disclosure/reminders/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["message"]
    assert message.startswith("The disclosure window for 2026-07")


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal", "admin"])
def test_rectification_page_shows_the_whole_exchange(request, client, org_user, county_user, notice, who):
    report_twice(org_user, county_user, notice)
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
def test_rectification_page_of_another_county_stays_404(client, other_county_user, notice):
    client.force_login(other_county_user)
    assert client.get(reverse("disclosure_portal:rectification_detail", args=[notice.pk])).status_code == 404


# --- the compliance board (R20): the whole city for staff, its own jurisdiction for a county ----


def _board(client, user, **params):
    client.force_login(user)
    return client.get(reverse("disclosure_portal:board"), params)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "municipal", "leading"])
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
def test_county_board_and_export_cover_only_its_own_jurisdiction(client, county_user, two_counties, county):
    org, _other = two_counties
    response = _board(client, county_user)
    assert [row["organization"].name for row in response.context["rows"]] == [org.name]
    body = response.content.decode()
    assert 'id="board-picker"' not in body and 'id="by-jurisdiction"' not in body
    assert f'<input type="hidden" name="jurisdiction" value="{county.pk}">' in body
    assert _board(client, county_user, jurisdiction=county.pk).status_code == 200
    rows, _sheets = export_rows(client.get(reverse("disclosure_portal:board_export"),
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


@pytest.mark.django_db
def test_board_draws_compliance_calendar(client, county_user, entry):
    df.published_item(D(2026, 11, 2), entry=entry)
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:board")).content.decode()
    assert '<svg class="chart compliance"' in body
    assert "近12个月合规日历" in body
