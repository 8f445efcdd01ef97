"""Portal pages: forms show the rules' messages on their fields; lists keep constant queries."""
import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from disclosure import jobs
from disclosure.enums import ItemState
from disclosure.models import Item
from tests.disclosure import factories as df

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False)


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
def test_board_draws_compliance_calendar(client, county_user, entry):
    df.published_item(D(2026, 11, 2), entry=entry)
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:board")).content.decode()
    assert '<svg class="chart compliance"' in body
    assert "近12个月合规日历" in body


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
def test_municipal_sees_exemption_register_per_jurisdiction(client, municipal, org, other_org):
    df.ExemptionFactory(organization=org, title="麒麟区备案")
    df.ExemptionFactory(organization=other_org, title="沾益区备案")
    client.force_login(municipal)
    body = client.get(reverse("disclosure_portal:exemption_list"), {"jurisdiction": org.jurisdiction_id}).content.decode()
    assert "麒麟区备案" in body
    assert "沾益区备案" not in body


# --- R15: repeated items (多次公开) form a series shown whole on each item page -----------------
def _series(entry):
    from disclosure.enums import TimeType

    first = df.published_item(D(2026, 4, 2), entry=entry, title="第一期：项目立项情况", time_type=TimeType.REPEATED)
    second = df.published_item(D(2026, 5, 3), entry=entry, title="第二期：资金使用情况", time_type=TimeType.REPEATED,
                               previous=first, series=first)
    third = df.ItemFactory(entry=entry, title="第三期：验收情况", time_type=TimeType.REPEATED, previous=second,
                           series=first, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 30))
    return first, second, third


def _series_section(body):
    assert 'id="series"' in body
    return body.split('id="series"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal"])
def test_item_page_shows_the_whole_series_in_order(request, client, entry, who):
    first, second, third = _series(entry)
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
    _first, second, _third = _series(entry)
    for user in (other_county_user, other_org_user):
        client.force_login(user)
        assert client.get(reverse("disclosure_portal:item_detail", args=[second.pk])).status_code == 404


@pytest.mark.django_db
def test_series_selector_is_scoped_and_ordered(org_user, other_county_user, entry):
    from disclosure import selectors

    first, second, third = _series(entry)
    assert [i.pk for i in selectors.item_series_for(org_user, third)] == [first.pk, second.pk, third.pk]
    assert selectors.item_series_for(other_county_user, third) == []


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
