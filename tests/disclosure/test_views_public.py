"""Public pages: an organisation's catalogue and external items on display only (R13), feedback with
receipt codes (R18), satisfaction ratings (R19); forms rate-limited and honeypot-protected."""
import datetime
import html

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import services
from disclosure.enums import Field, Scope, TimeType
from disclosure.models import Feedback, SatisfactionRating
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, entry_row


@pytest.mark.django_db
def test_r13_public_page_shows_external_items_on_display_only(client, org, shown):
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "对外公开：党费收缴情况" in body
    for hidden in ("对内公开：组织生活会", "党员大会", "草稿事项", "待发布事项", "已归档事项"):
        assert hidden not in body


@pytest.mark.django_db
def test_public_page_query_count_is_constant(client, org, entry, django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("disclosure_public:organization", args=[org.pk])).status_code == 200
        return len(ctx.captured_queries)

    df.published_item(D(2026, 11, 3), entry=entry)
    few = count()
    for _i in range(25):
        df.published_item(D(2026, 11, 3), entry=df.EntryFactory(organization=org))
    assert count() == few


@pytest.mark.django_db
def test_public_index_lists_organisations(client, org, shown):
    body = client.get(reverse("disclosure_public:index")).content.decode()
    assert org.name in body


@pytest.mark.django_db
def test_public_page_shows_the_real_end(client, org, late):
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    meta = body.split(f'id="item-{late.pk}"', 1)[1].split('class="meta"', 1)[1].split("</p>", 1)[0]
    assert "公开日期 2026-06-12" in meta and "公开至 2026-06-27" in meta
    assert "2026-06-17" not in meta


@pytest.mark.django_db
def test_public_catalogue_shows_field_and_carriers_in_use(client, org, service_entry):
    row = entry_row(client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode(), service_entry)
    assert "办事公开" in row
    assert "办公楼大厅公开栏" in row and "党群服务中心信息岛" in row
    assert "旧公开栏" not in row  # a retired carrier is not where to look


@pytest.mark.django_db
def test_public_page_query_count_stays_constant_with_entries_and_carriers(client, org, service_entry):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("disclosure_public:organization", args=[org.pk])).status_code == 200
        return len(ctx.captured_queries)

    df.published_item(D(2026, 11, 3), entry=service_entry)
    few = count()
    for n in range(8):
        entry = df.EntryFactory(organization=org, field=Field.GOVERNMENT)
        entry.carriers.set([df.CarrierFactory(organization=org, name=f"公开栏{n}")])
        df.published_item(D(2026, 11, 3), entry=entry)
    assert count() == few


# --- R18 feedback ----------------------------------------------------------------------


@pytest.mark.django_db
def test_r18_feedback_form_gives_receipt_code_and_escapes(client, org, org_user):
    response = client.post(reverse("disclosure_public:feedback_create", args=[org.pk]),
                           {"content": "<script>alert('x')</script>公开栏字太小", "name": "王", "website": ""})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert response["Location"] == reverse("disclosure_public:feedback", args=[feedback.code])
    body = client.get(response["Location"]).content.decode()
    assert feedback.code in body
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert "尚未答复" in body
    from disclosure import services

    services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="已更换大字号公开栏")
    body = client.get(reverse("disclosure_public:feedback", args=[feedback.code.lower()])).content.decode()
    assert "已更换大字号公开栏" in body


@pytest.mark.django_db
def test_r18_honeypot_stores_nothing(client, org):
    response = client.post(reverse("disclosure_public:feedback_create", args=[org.pk]),
                           {"content": "spam", "website": "http://spam.example"})
    assert response.status_code == 302
    assert Feedback.objects.count() == 0


@pytest.mark.django_db
@override_settings(DISCLOSURE_FEEDBACK_RATELIMIT="2/h")
def test_r18_feedback_is_rate_limited_per_client(client, org):
    url = reverse("disclosure_public:feedback_create", args=[org.pk])
    for _i in range(2):
        assert client.post(url, {"content": "意见"}).status_code == 302
    response = client.post(url, {"content": "意见"})
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.content.decode()
    assert Feedback.objects.count() == 2


@pytest.mark.django_db
def test_unknown_feedback_code_is_404(client):
    assert client.get(reverse("disclosure_public:feedback", args=["NOSUCHCODE12"])).status_code == 404


MESSAGE = "该公开事项已不在公开期内，不能再针对它提意见建议；您填写的内容已保留，可以直接向本单位提交。"


def _post(client, org, **data):
    return client.post(reverse("disclosure_public:feedback_create", args=[org.pk]), {"website": "", **data})


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["archived", "internal", "other_org"])
def test_feedback_on_an_item_not_on_display_shows_a_visible_error_and_keeps_the_text(client, org, entry, archived,
                                                                                      other_org, which):
    item = {
        "archived": archived,
        "internal": df.published_item(D(2026, 11, 3), entry=df.EntryFactory(organization=org, scope=Scope.INTERNAL,
                                                                             forms=["meeting"]), scope=Scope.INTERNAL),
        "other_org": df.published_item(D(2026, 11, 3), entry=df.EntryFactory(organization=other_org)),
    }[which]
    response = _post(client, org, content="建议延长公示时间<b>", name="王先生", item=item.pk)
    assert response.status_code == 400
    body = response.content.decode()
    alert = body.split('<div class="msg error" role="alert">', 1)[1].split("</div>", 1)[0]
    assert MESSAGE in html.unescape(alert)
    assert "建议延长公示时间&lt;b&gt;</textarea>" in body
    assert 'value="王先生"' in body
    assert '<input type="hidden" name="item" id="id_item">' in body  # the next submit goes to the unit itself
    assert Feedback.objects.count() == 0


@pytest.mark.django_db
def test_resubmitting_sends_the_feedback_to_the_organisation(client, org, archived):
    _post(client, org, content="建议延长公示时间", item=archived.pk)
    response = _post(client, org, content="建议延长公示时间", item="")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.organization_id, feedback.item_id, feedback.content) == (org.pk, None, "建议延长公示时间")


@pytest.mark.django_db
def test_feedback_on_an_item_on_display_still_names_the_item(client, org, entry):
    shown = df.published_item(D(2026, 11, 3), entry=entry)
    assert _post(client, org, content="很好", item=shown.pk).status_code == 302
    assert Feedback.objects.get().item_id == shown.pk


# --- R19 satisfaction ------------------------------------------------------------------


@pytest.mark.django_db
def test_r19_rating_once_per_phone_per_month(client, org):
    url = reverse("disclosure_public:rating_create", args=[org.pk])
    assert client.post(url, {"rating": "satisfied", "phone": "13808741234"}).status_code == 302
    response = client.post(url, {"rating": "dissatisfied", "phone": "138-0874-1234"})
    assert response.status_code == 400
    assert "本月您已对该单位评价过" in response.content.decode()
    assert SatisfactionRating.objects.count() == 1


@pytest.mark.django_db
@override_settings(DISCLOSURE_RATING_RATELIMIT="3/d")
def test_r19_rating_per_client_limit_bounds_invented_numbers(client, org):
    url = reverse("disclosure_public:rating_create", args=[org.pk])
    for n in range(3):
        assert client.post(url, {"rating": "satisfied", "phone": f"1380874000{n}"}).status_code == 302
    assert client.post(url, {"rating": "satisfied", "phone": "13808740009"}).status_code == 429
    assert SatisfactionRating.objects.count() == 3


# --- R15: a repeated series on the public page -----------------------------------------


@pytest.mark.django_db
def test_public_item_shows_its_series_members_on_display_only(client, org, entry):
    from disclosure.enums import TimeType

    first = df.published_item(D(2026, 4, 2), entry=entry, title="第一期：项目立项情况", time_type=TimeType.REPEATED)
    second = df.published_item(D(2026, 5, 3), entry=entry, title="第二期：资金使用情况", time_type=TimeType.REPEATED,
                               previous=first, series=first)
    df.ItemFactory(entry=entry, title="第三期草稿", time_type=TimeType.REPEATED, previous=second, series=first)
    internal_entry = df.EntryFactory(organization=org, scope="internal", forms=["meeting"])
    df.published_item(D(2026, 5, 4), entry=internal_entry, title="党内通报期", previous=second, series=first)
    alone = df.published_item(D(2026, 5, 5), entry=entry, title="单独事项")

    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    article = {item.pk: body.split(f'id="item-{item.pk}"', 1)[1].split("</article>", 1)[0]
               for item in (first, second, alone)}
    for item, other in ((first, second), (second, first)):
        assert "本系列正在公开 2 期" in article[item.pk]
        nav = article[item.pk].split('class="series"', 1)[1].split("</nav>", 1)[0]
        assert nav.index("第一期") < nav.index("第二期")
        assert f'<a href="#item-{other.pk}">{other.title}</a>' in nav
        assert f"<strong>{item.title}</strong>" in nav
    assert 'class="series"' not in article[alone.pk]
    assert "第三期草稿" not in body
    assert "党内通报期" not in body


@pytest.mark.django_db
def test_public_series_member_on_another_page_is_named_not_linked(client, org, entry):
    from disclosure.enums import TimeType
    from disclosure.selectors import PUBLIC_PAGE_SIZE

    first = df.published_item(D(2026, 1, 2), entry=entry, title="最早一期", time_type=TimeType.REPEATED)
    latest = None
    for n in range(PUBLIC_PAGE_SIZE):
        latest = df.published_item(D(2026, 2, 1) + datetime.timedelta(days=n), entry=entry, title=f"后续第{n + 2}期",
                                   time_type=TimeType.REPEATED, previous=latest or first, series=first)
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    nav = body.split(f'id="item-{latest.pk}"', 1)[1].split("</nav>", 1)[0]
    assert f"本系列正在公开 {PUBLIC_PAGE_SIZE + 1} 期" in nav
    assert "最早一期" in nav
    assert f'href="#item-{first.pk}"' not in nav


@pytest.mark.django_db
def test_public_page_query_count_is_constant_with_series(client, org, entry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from disclosure.enums import TimeType

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("disclosure_public:organization", args=[org.pk])).status_code == 200
        return len(ctx.captured_queries)

    first = df.published_item(D(2026, 4, 2), entry=entry, time_type=TimeType.REPEATED)
    df.published_item(D(2026, 5, 3), entry=entry, time_type=TimeType.REPEATED, previous=first, series=first)
    few = count()
    for _n in range(6):
        root = df.published_item(D(2026, 4, 2), entry=df.EntryFactory(organization=org), time_type=TimeType.REPEATED)
        df.published_item(D(2026, 5, 3), entry=root.entry, time_type=TimeType.REPEATED, previous=root, series=root)
    assert count() == few
