"""Public pages and public API: external items on display only (R13), feedback (R18), satisfaction (R19)."""
import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from disclosure.enums import FeedbackState, ItemState, Scope
from disclosure.models import Attachment, Feedback, SatisfactionRating
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture(autouse=True)
def _clear_ratelimit_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shown(org, entry):
    internal_entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"], title="党员大会")
    return {
        "external": df.published_item(D(2026, 11, 3), entry=entry, title="对外公开：党费收缴情况"),
        "internal": df.published_item(D(2026, 11, 3), entry=internal_entry, scope=Scope.INTERNAL, title="对内公开：组织生活会"),
        "draft": df.ItemFactory(entry=entry, title="草稿事项"),
        "approved": df.ItemFactory(entry=entry, state=ItemState.APPROVED, title="待发布事项"),
        "archived": df.ItemFactory(entry=entry, state=ItemState.ARCHIVED, published_on=D(2026, 1, 2), title="已归档事项"),
    }


@pytest.mark.django_db
def test_r13_public_page_shows_external_items_on_display_only(client, org, shown):
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "对外公开：党费收缴情况" in body
    for hidden in ("对内公开：组织生活会", "党员大会", "草稿事项", "待发布事项", "已归档事项"):
        assert hidden not in body


@pytest.mark.django_db
def test_r13_public_api_never_returns_internal_items(client, org, shown):
    response = client.get("/api/v1/disclosure/public/items/", {"organization": org.pk})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["对外公开：党费收缴情况"]
    assert client.get(f"/api/v1/disclosure/public/items/{shown['internal'].pk}/").status_code == 404
    assert client.get(f"/api/v1/disclosure/public/items/{shown['draft'].pk}/").status_code == 404
    catalogue = client.get("/api/v1/disclosure/public/catalogue/", {"organization": org.pk}).json()["results"]
    assert "党员大会" not in [row["title"] for row in catalogue]


@pytest.mark.django_db
def test_r13_attachment_of_external_item_is_public_internal_is_not(client, shown, org_user):
    def attach(item, name):
        return Attachment.objects.create(item=item, title=name, file=SimpleUploadedFile(name, b"%PDF-1.4 x"),
                                         uploaded_by=org_user)

    public = attach(shown["external"], "public.pdf")
    private = attach(shown["internal"], "private.pdf")
    assert client.get(public.file.url).status_code == 200
    assert client.get(private.file.url).status_code == 404
    client.force_login(org_user)
    assert client.get(private.file.url).status_code == 200


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


@pytest.mark.django_db
def test_public_feedback_api_create_and_read_by_code(client, org, shown):
    response = client.post("/api/v1/disclosure/public/feedback/",
                           {"organization": org.pk, "item": shown["external"].pk, "content": "建议"},
                           content_type="application/json")
    assert response.status_code == 201
    code = response.json()["code"]
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    read = client.get(f"/api/v1/disclosure/public/feedback/{code}/").json()
    assert (read["state"], read["content"]) == (FeedbackState.RECEIVED, "建议")
    internal = client.post("/api/v1/disclosure/public/feedback/",
                           {"organization": org.pk, "item": shown["internal"].pk, "content": "x"},
                           content_type="application/json")
    assert internal.status_code == 400
    assert "item" in internal.json()
    bot = client.post("/api/v1/disclosure/public/feedback/", {"organization": org.pk, "content": "x", "website": "y"},
                      content_type="application/json")
    assert bot.status_code == 400
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_public_rating_api(client, org):
    ok = client.post("/api/v1/disclosure/public/ratings/", {"organization": org.pk, "rating": "basic",
                                                            "phone": "13908740000"}, content_type="application/json")
    assert ok.status_code == 201
    again = client.post("/api/v1/disclosure/public/ratings/", {"organization": org.pk, "rating": "basic",
                                                               "phone": "13908740000"}, content_type="application/json")
    assert again.status_code == 400
    assert "phone" in again.json()


@pytest.mark.django_db
def test_public_index_lists_organisations(client, org, shown):
    body = client.get(reverse("disclosure_public:index")).content.decode()
    assert org.name in body


# --- R15: a repeated series on the public page -----------------------------------------------------
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
