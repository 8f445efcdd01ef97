"""Public pages of the designation programme: `/`, `/sites/`, `/sites/<id>/`, `/sites/verify/`.

Rules: R1 (levels), R9 (title and plaque), R10 (revoked sites stay listed with date and reason).
"""
import datetime
import html
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sites import charts, services, wiring
from sites.filters import DesignationFilter
from sites.models import Designation
from sites.views import public as public_views
from tests import factories as f

D = datetime.date


# --- helpers --------------------------------------------------------------------------------

def _stat(content, name):
    match = re.search(rf'data-stat="{name}">(\d+)<', content)
    assert match, f"stat {name} not on the page"
    return int(match.group(1))


def _listed_units(content):
    """Unit names in the directory table, in page order, as the user reads them."""
    table = content.split('id="site-table"', 1)
    if len(table) < 2:
        return []
    return [html.unescape(name) for name in re.findall(r'<td data-label="单位"><a href="[^"]+">([^<]*)</a>', table[1])]


def _text(response):
    return response.content.decode()


AWARDED = D(2023, 6, 1)
REVOKED = D(2024, 3, 5)


def _site(name, jurisdiction, *, level="county", awarded_on=AWARDED, plaque=None, round_=None, **kw):
    org = f.OrganizationFactory(name=name, jurisdiction=jurisdiction)
    extra = {"plaque_number": plaque} if plaque else {}
    if round_ is not None:
        extra["round"] = round_
    return f.DesignationFactory(organization=org, level=level, awarded_on=awarded_on, **extra, **kw)


def _revoked(name, jurisdiction, *, revoked_on=REVOKED, reason="复评不达标", **kw):
    return _site(name, jurisdiction, status="revoked", revoked_on=revoked_on, revoke_reason=reason, **kw)


@pytest.fixture
def programme(county, other_county):
    """3 city-level + 5 county-level active sites and 2 revoked ones, over two counties."""
    sites = {
        "city": [_site(f"市级单位{i}", county, level="city", awarded_on=D(2016, 5, 10)) for i in range(2)]
        + [_site("沾益区市级单位", other_county, level="city", awarded_on=D(2019, 4, 2))],
        "county": [_site(f"麒麟区县级单位{i}", county, awarded_on=D(2023, 6, 1)) for i in range(3)]
        + [_site(f"沾益区县级单位{i}", other_county, awarded_on=D(2019, 4, 2)) for i in range(2)],
        "revoked": [
            _revoked("被撤销的市级单位", county, level="city", awarded_on=D(2016, 5, 10), reason="复评得分72分，低于合格线"),
            _revoked("被撤销的县级单位", other_county, awarded_on=D(2019, 4, 2), revoked_on=D(2022, 11, 30),
                     reason="公开栏长期未更新"),
        ],
    }
    return sites


# --- home -----------------------------------------------------------------------------------

def test_home_shows_counts_matching_the_data(client, programme):
    content = _text(client.get(reverse("public:home")))
    assert (_stat(content, "total"), _stat(content, "city"), _stat(content, "county"), _stat(content, "revoked")) == (
        8, 3, 5, 2,
    )
    assert "市级 1 · 县级 1" in content  # revoked by level


def test_home_shows_jurisdiction_chart_and_the_same_numbers_in_a_table(client, programme, county, other_county):
    content = _text(client.get(reverse("public:home")))
    assert 'id="chart-jurisdiction"' in content and 'role="img"' in content
    table = content.split('id="jurisdiction-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<td data-label="辖区"><a [^>]*>([^<]+)</a></td>\s*'
        r'<td class="num" data-label="市级">(\d+)</td>\s*<td class="num" data-label="县级">(\d+)</td>\s*'
        r'<td class="num" data-label="合计">(\d+)</td>\s*<td class="num" data-label="已撤销">(\d+)</td>',
        table,
    )
    assert rows == [("麒麟区", "2", "3", "5", "1"), ("沾益区", "1", "2", "3", "1")]
    # The chart's bar tooltips carry the same numbers.
    assert "麒麟区 · 市级: 2" in content and "沾益区 · 县级: 2" in content


def test_home_lists_latest_designations(client, programme):
    content = _text(client.get(reverse("public:home")))
    latest = content.split('id="latest-heading"', 1)[1]
    assert "麒麟区县级单位0" in latest
    assert latest.index("麒麟区县级单位0") < latest.index("沾益区县级单位0")  # newest award first


def test_home_with_no_sites_says_so(client, db):
    content = _text(client.get(reverse("public:home")))
    assert _stat(content, "total") == 0
    assert "尚未授予示范点称号。" in content


def test_home_renders_blocks_registered_by_other_apps(client, programme, monkeypatch):
    monkeypatch.setattr(wiring, "_home_blocks", [])
    wiring.register_home_block(lambda request: ("public/_pagination.html", {"page": None}))
    wiring.register_home_block(lambda request: None)  # a block with nothing to show
    calls = []

    def story_block(request):
        calls.append(request.path)

    wiring.register_home_block(story_block)
    wiring.register_home_block(story_block)  # registering twice is harmless
    assert client.get(reverse("public:home")).status_code == 200
    assert calls == ["/"]


def test_home_block_templates_are_rendered_into_the_page(client, db, monkeypatch, tmp_path, settings):
    (tmp_path / "story.html").write_text("<section id='stories'>{{ headline }}</section>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    monkeypatch.setattr(wiring, "_home_blocks", [])
    wiring.register_home_block(lambda request: ("story.html", {"headline": "好做法<b>"}))
    content = _text(client.get(reverse("public:home")))
    assert "<section id='stories'>好做法&lt;b&gt;</section>" in content


# --- directory ------------------------------------------------------------------------------

def test_directory_lists_every_site_active_and_revoked(client, programme):
    units = _listed_units(_text(client.get(reverse("public:site_list"))))
    assert len(units) == 10
    assert "被撤销的县级单位" in units and "被撤销的市级单位" in units
    # Active sites first, newest award first; revoked ones after them.
    assert units[-2:] == ["被撤销的县级单位", "被撤销的市级单位"]


def test_directory_shows_revoked_sites_with_date_and_reason(client, programme):
    content = _text(client.get(reverse("public:site_list"), {"status": "revoked"}))
    assert _listed_units(content) == ["被撤销的县级单位", "被撤销的市级单位"]
    assert "已撤销" in content
    assert "2024-03-05 撤销：复评得分72分，低于合格线" in content
    assert "2022-11-30 撤销：公开栏长期未更新" in content


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"level": "city"}, {"市级单位0", "市级单位1", "沾益区市级单位", "被撤销的市级单位"}),
        ({"status": "active", "level": "county"},
         {"麒麟区县级单位0", "麒麟区县级单位1", "麒麟区县级单位2", "沾益区县级单位0", "沾益区县级单位1"}),
        ({"year": "2016"}, {"市级单位0", "市级单位1", "被撤销的市级单位"}),
        ({"status": "revoked"}, {"被撤销的市级单位", "被撤销的县级单位"}),
        ({"q": " 沾益区 "}, {"沾益区市级单位", "沾益区县级单位0", "沾益区县级单位1"}),
        ({"q": "县级单位", "year": "2019", "level": "county", "status": "active"}, {"沾益区县级单位0", "沾益区县级单位1"}),
        ({"year": "1999"}, set()),
    ],
)
def test_directory_filters_narrow_the_list(client, programme, params, expected):
    content = _text(client.get(reverse("public:site_list"), params))
    assert set(_listed_units(content)) == expected
    assert f"共 {len(expected)} 个示范点" in content


def test_directory_filters_by_jurisdiction_id(client, programme, other_county):
    content = _text(client.get(reverse("public:site_list"), {"jurisdiction": other_county.pk}))
    assert set(_listed_units(content)) == {"沾益区市级单位", "沾益区县级单位0", "沾益区县级单位1", "被撤销的县级单位"}
    # The chosen filter stays selected in the form.
    assert f'<option value="{other_county.pk}" selected>沾益区</option>' in content


def test_directory_ignores_filter_values_that_do_not_validate(client, programme):
    response = client.get(reverse("public:site_list"), {"jurisdiction": "abc", "year": "x", "level": "nope"})
    assert response.status_code == 200
    assert len(_listed_units(_text(response))) == 10


def test_directory_offers_award_years_newest_first(client, programme):
    content = _text(client.get(reverse("public:site_list")))
    select = content.split('id="f-year"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\d+)"', select) == ["2023", "2019", "2016"]


def test_directory_paginates_fifty_per_page_and_keeps_filters(client, county):
    for i in range(51):
        _site(f"单位{i:02d}", county, level="city")
    first = _text(client.get(reverse("public:site_list"), {"level": "city"}))
    assert len(_listed_units(first)) == 50
    assert "第 1 / 2 页" in first
    assert 'href="?level=city&amp;page=2"' in first
    second = _text(client.get(reverse("public:site_list"), {"level": "city", "page": 2}))
    assert len(_listed_units(second)) == 1
    # A page number past the end shows the last page rather than an error.
    assert len(_listed_units(_text(client.get(reverse("public:site_list"), {"page": 99})))) == 1


def test_designation_filter_year_is_the_award_year(db, county):
    """The API reuses DesignationFilter: `year` is the year of awarded_on, not the round's year."""
    late = _site("次年授牌单位", county, awarded_on=D(2024, 1, 15), round_=f.RoundFactory(year=2023, status="finished"))
    _site("当年授牌单位", county, awarded_on=D(2023, 12, 20))
    qs = DesignationFilter({"year": "2024"}, queryset=Designation.objects.all()).qs
    assert list(qs) == [late]


# --- site page ------------------------------------------------------------------------------

def test_site_page_shows_title_plaque_and_status(client, county, city):
    site = _site("麒麟区税务局党委", county, level="city", plaque="QJ-S-2016-001", awarded_on=D(2016, 5, 10),
                 round_=f.RoundFactory(name="2016年市级示范点创建", level="city", organizer=city, status="finished"))
    content = _text(client.get(reverse("public:site_detail", args=[site.pk])))
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", content))
    assert facts == {
        "单位": "麒麟区税务局党委", "辖区": "麒麟区", "级别": "市级", "称号": "党务公开工作示范点",
        "牌匾编号": "QJ-S-2016-001", "授牌日期": "2016-05-10", "授牌轮次": "2016年市级示范点创建", "状态": "有效",
    }
    assert "该示范点称号现行有效。" in content


def test_site_page_shows_the_units_history_across_titles(client, county):
    # R10: city-level awarded 2016, revoked 2022; county-level awarded 2023.
    old = _revoked("麒麟区某中学党总支", county, level="city", awarded_on=D(2016, 5, 10), revoked_on=D(2022, 4, 1),
                   reason="复评不达标")
    new = f.DesignationFactory(organization=old.organization, level="county", awarded_on=D(2023, 6, 1))
    content = _text(client.get(reverse("public:site_detail", args=[new.pk])))
    timeline = content.split('id="unit-timeline"', 1)[1].split("</ol>", 1)[0]
    events = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(li))).strip()
              for li in re.findall(r"<li>(.*?)</li>", timeline, re.DOTALL)]
    assert [e.split(" ", 1)[0] for e in events] == ["2016-05-10", "2022-04-01", "2023-06-01"]
    assert "授予市级党务公开工作示范点称号" in events[0]
    assert events[1].endswith("撤销市级称号，收回牌匾。理由：复评不达标")
    assert "授予县级党务公开工作示范点称号" in events[2]
    # The old title's page links back; the current one is not a link to itself.
    assert reverse("public:site_detail", args=[old.pk]) in timeline


def test_revoked_site_page_shows_date_reason_and_public_audit_without_names(client, county):
    officer = f.municipal_user(username="wang_officer", first_name="王", last_name="明亮")
    site = _site("陆良县某村党总支", county, plaque="QJ-X-0009")
    services.designation_revoke(actor=officer, designation_id=site.pk, reason="群众满意度低于60%", revoked_on=D(2025, 1, 8))
    content = _text(client.get(reverse("public:site_detail", args=[site.pk])))
    assert "该称号已于 2025-01-08 撤销，牌匾已收回。" in content
    assert "撤销理由：群众满意度低于60%" in content
    audit = content.split('id="audit-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td data-label="([^"]+)">([^<]*)</td>', audit)
    assert [label for label, _ in cells] == ["日期", "事项", "办理单位", "理由"]
    assert dict(cells)["事项"] == "撤销称号，收回牌匾"
    assert dict(cells)["办理单位"] == "市党务公开办"
    assert dict(cells)["理由"] == "群众满意度低于60%"
    assert "wang_officer" not in content and "明亮" not in content


def test_public_audit_dates_are_china_dates(client, county, municipal):
    site = _site("沾益区某镇党委", county)
    # 16:30 UTC on 31 December is already 1 January in Asia/Shanghai.
    with time_machine.travel(datetime.datetime(2024, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False):
        services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不达标")
    audit = _text(client.get(reverse("public:site_detail", args=[site.pk]))).split('id="audit-table"', 1)[1]
    assert '<td data-label="日期">2025-01-01</td>' in audit
    # The revocation date itself is China's calendar day too.
    site.refresh_from_db()
    assert site.revoked_on == D(2025, 1, 1)


def test_site_page_hides_audit_actions_not_registered_as_public(client, county, municipal):
    from qujing_disclosure.core.audit import audit_record

    site = _site("罗平县某局党组", county)
    audit_record(actor=municipal, action="evaluation.subsidy.pay", target=site, reason="内部拨付凭证 8842")
    content = _text(client.get(reverse("public:site_detail", args=[site.pk])))
    assert "内部拨付凭证" not in content
    assert "暂无公开的办理记录。" in content


def test_public_actor_word_never_names_a_person(db, county):
    roles = {
        "municipal": f.municipal_user(username="m1"),
        "leading_group": f.UserFactory(username="l1", role="leading_group"),
        "county": f.county_user(county, username="c1"),
    }
    words = {role: str(public_views.public_actor_word(user)) for role, user in roles.items()}
    assert words == {"municipal": "市党务公开办", "leading_group": "市党务公开工作领导小组", "county": "县（市、区）党务公开办"}
    assert str(public_views.public_actor_word(None)) == "系统自动处理"


def test_unknown_site_is_404(client, db):
    assert client.get(reverse("public:site_detail", args=[999999])).status_code == 404


# --- QR code --------------------------------------------------------------------------------

def test_verify_url_is_absolute_and_names_the_plaque(rf, settings):
    settings.PUBLIC_BASE_URL = ""
    request = rf.get("/sites/1/", HTTP_HOST="testserver")
    assert public_views.site_verify_url(request, "QJ-S 001&x") == "http://testserver/sites/verify/?plaque=QJ-S+001%26x"


def test_verify_url_prefers_the_configured_public_address(rf, settings):
    settings.PUBLIC_BASE_URL = "https://dwgk.example.cn/"
    request = rf.get("/sites/1/", HTTP_HOST="internal:8000")
    assert public_views.site_verify_url(request, "QJ-1") == "https://dwgk.example.cn/sites/verify/?plaque=QJ-1"


def test_plaque_qr_encodes_the_verify_url(rf, db, monkeypatch, settings):
    settings.PUBLIC_BASE_URL = ""
    site = f.DesignationFactory(plaque_number="QJ-C-2023-017")
    encoded = []
    real_make = charts.segno.make

    def spy(content, **kw):
        encoded.append(content)
        return real_make(content, **kw)

    monkeypatch.setattr(charts.segno, "make", spy)
    svg = public_views.plaque_qr_svg(rf.get("/", HTTP_HOST="testserver"), site)
    assert encoded == ["http://testserver/sites/verify/?plaque=QJ-C-2023-017"]
    assert svg.startswith('<svg viewBox="') and 'class="qr"' in svg and "<path" in svg


def test_site_page_shows_the_qr_code_and_its_url(client, db):
    site = f.DesignationFactory(plaque_number="QJ-C-2023-018")
    content = _text(client.get(reverse("public:site_detail", args=[site.pk])))
    qr = content.split('id="plaque-qr"', 1)[1].split("</div>", 1)[0]
    assert '<svg viewBox="' in qr and 'class="qr"' in qr and "<title>扫码核验示范点称号</title>" in qr
    assert "http://testserver/sites/verify/?plaque=QJ-C-2023-018" in content


# --- verify ---------------------------------------------------------------------------------

def test_verify_valid_plaque(client, county):
    _site("师宗县某社区党委", county, plaque="QJ-X-2023-005", awarded_on=D(2023, 6, 1))
    content = _text(client.get(reverse("public:site_verify"), {"plaque": "QJ-X-2023-005"}))
    assert "称号有效" in content
    assert "师宗县某社区党委 是县级党务公开工作示范点，于 2023-06-01 授牌，称号现行有效。" in content


def test_verify_matches_case_insensitively_and_trims_whitespace(client, county):
    _site("会泽县某镇党委", county, plaque="QJ-X-2023-006")
    for typed in ["  qj-x-2023-006 ", "QJ-X-2023-006\t", "ＱＪ－Ｘ－２０２３－００６"]:  # the last: full-width input
        content = _text(client.get(reverse("public:site_verify"), {"plaque": typed}))
        assert "称号有效" in content, typed
        assert 'value="QJ-X-2023-006"' in content or f'value="{typed.strip()}"' in content


def test_verify_revoked_plaque_gives_date_and_reason(client, county):
    _revoked("富源县某局党组", county, plaque="QJ-X-2019-002", revoked_on=D(2024, 12, 31), reason="公开内容不全")
    content = _text(client.get(reverse("public:site_verify"), {"plaque": "QJ-X-2019-002"}))
    assert "称号已撤销" in content
    assert "富源县某局党组 的县级党务公开工作示范点称号已于 2024-12-31 撤销，牌匾已收回。" in content
    assert "撤销理由：公开内容不全" in content


def test_verify_unknown_plaque(client, db):
    content = _text(client.get(reverse("public:site_verify"), {"plaque": "QJ-NOPE"}))
    assert "未找到该牌匾编号" in content
    assert "没有编号为“QJ-NOPE”的示范点牌匾。" in content


def test_verify_without_a_plaque_shows_only_the_form(client, db):
    content = _text(client.get(reverse("public:site_verify")))
    assert 'name="plaque"' in content
    assert 'id="verify-result"' not in content


def test_verify_json_valid(client, county):
    _site("宣威市某街道党工委", county, plaque="QJ-X-2023-007", awarded_on=D(2023, 6, 1))
    response = client.get(reverse("public:site_verify"), {"plaque": " qj-x-2023-007 ", "format": "json"})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert {k: body[k] for k in ("plaque", "valid", "status", "organization", "level", "revoked_on", "revoke_reason")} == {
        "plaque": "QJ-X-2023-007", "valid": True, "status": "active", "organization": "宣威市某街道党工委",
        "level": "county", "revoked_on": None, "revoke_reason": None,
    }


def test_verify_json_revoked(client, county):
    _revoked("马龙区某局党组", county, level="city", plaque="QJ-S-2016-003", revoked_on=D(2022, 4, 1), reason="复评不达标")
    body = json.loads(client.get(reverse("public:site_verify"), {"plaque": "QJ-S-2016-003", "format": "json"}).content)
    assert {k: body[k] for k in ("valid", "status", "level", "revoked_on", "revoke_reason")} == {
        "valid": False, "status": "revoked", "level": "city", "revoked_on": "2022-04-01", "revoke_reason": "复评不达标",
    }


def test_verify_json_unknown_and_missing_plaque(client, db):
    unknown = client.get(reverse("public:site_verify"), {"plaque": "QJ-NOPE", "format": "json"})
    assert unknown.status_code == 404
    assert json.loads(unknown.content)["valid"] is False and json.loads(unknown.content)["plaque"] == "QJ-NOPE"
    missing = client.get(reverse("public:site_verify"), {"format": "json"})
    assert missing.status_code == 400
    assert json.loads(missing.content)["valid"] is False


def test_verify_refuses_overlong_input_without_error(client, db):
    response = client.get(reverse("public:site_verify"), {"plaque": "X" * 500})
    assert response.status_code == 200
    assert "未找到该牌匾编号" in _text(response)


# --- query counts ---------------------------------------------------------------------------

def _grow(jurisdictions, n, start=0):
    """n more sites of both levels, some revoked, spread over the jurisdictions and several years."""
    sites = []
    for i in range(start, start + n):
        jurisdiction = jurisdictions[i % len(jurisdictions)]
        kw = {"level": "city" if i % 3 == 0 else "county", "awarded_on": D(2016 + i % 8, 5, 1)}
        if i % 5 == 4:
            sites.append(_revoked(f"单位{i}", jurisdiction, **kw))
        else:
            sites.append(_site(f"单位{i}", jurisdiction, **kw))
    return sites


def _queries(client, url, params=None):
    client.get(url, params)  # warm caches (content types, templates) so both sizes are measured alike
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("public:home", None),
        ("public:site_list", None),
        ("public:site_list", {"level": "county", "status": "active", "year": "2017", "q": "单位"}),
        ("public:site_detail", None),
        ("public:site_verify", {"plaque": "QJ-T-none"}),
    ],
)
def test_public_pages_use_the_same_number_of_queries_with_2_and_30_sites(
    client, county, other_county, municipal, django_assert_num_queries, url_name, params
):
    first, _ = _grow([county, other_county], 2)
    services.designation_revoke(actor=municipal, designation_id=first.pk, reason="复评不达标")
    args = [first.pk] if url_name == "public:site_detail" else []
    url = reverse(url_name, args=args)
    with_two = _queries(client, url, params)

    more = _grow([county, other_county], 28, start=2)
    for site in more[:5]:  # the same unit holds several titles over time: history grows too
        f.DesignationFactory(organization=first.organization, level="county", awarded_on=D(2024, 1, 1),
                             status="revoked", revoked_on=D(2025, 1, 1), revoke_reason="复评不达标")
        services.designation_revoke(actor=municipal, designation_id=site.pk, reason="复评不达标")
    assert Designation.objects.count() == 35
    client.get(url, params)
    with django_assert_num_queries(with_two):
        assert client.get(url, params).status_code == 200


# --- every role, escaping -------------------------------------------------------------------

ROLES = ["anonymous", "admin", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_public_pages(client, request, role, programme):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    site = programme["revoked"][1]  # in the neighbouring county: public all the same
    for url in [
        reverse("public:home"),
        reverse("public:site_list"),
        reverse("public:site_list") + "?status=revoked&level=county",
        reverse("public:site_detail", args=[site.pk]),
        reverse("public:site_verify") + f"?plaque={site.plaque_number}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (role, url)
    assert "被撤销的县级单位" in _text(response)
    json_response = client.get(reverse("public:site_verify"), {"plaque": site.plaque_number, "format": "json"})
    assert json_response.status_code == 200 and json.loads(json_response.content)["valid"] is False


def test_public_pages_refuse_post(client, programme):
    assert client.post(reverse("public:site_list")).status_code == 405
    assert client.post(reverse("public:home")).status_code == 405


def test_organisation_names_are_escaped_everywhere(client, county):
    evil = '<script>alert("x")</script>单位'
    site = _revoked(evil, county, plaque="QJ-EVIL-1", reason="<img src=x onerror=alert(1)>")
    pages = [
        reverse("public:home"),
        reverse("public:site_list"),
        reverse("public:site_list") + "?q=" + "<script>",
        reverse("public:site_detail", args=[site.pk]),
        reverse("public:site_verify") + "?plaque=QJ-EVIL-1",
        reverse("public:site_verify") + "?plaque=<script>x",
    ]
    for url in pages:
        content = _text(client.get(url))
        assert "<script>" not in content, url
        assert "<img src=x" not in content, url
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;单位" in _text(client.get(reverse("public:site_list")))


def test_chart_escapes_labels_and_scales_bars_to_the_largest_total():
    svg = charts.stacked_hbar_svg(
        rows=[("<b>甲</b>", [2, 2]), ("乙", [0, 8])], series=[("市级", "#b3261e"), ("县级", "#e59a2f")],
        title="t<", desc="d&",
    )
    assert "<b>" not in svg and "&lt;b&gt;甲&lt;/b&gt;" in svg and "<title id=\"chart-title\">t&lt;</title>" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="18"', svg)]
    assert len(widths) == 3  # a zero segment is not drawn
    assert widths[0] == pytest.approx(widths[1]) and (widths[0] + widths[1]) * 2 == pytest.approx(widths[2])


def test_site_title_reads_as_one_translatable_phrase(client, county):
    from django.utils import translation

    standard = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), level="city")
    custom = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), title="党建示范点")

    assert "市级党务公开工作示范点" in _text(client.get(reverse("public:site_detail", args=[standard.pk])))
    assert (standard.full_title, standard.display_title) == ("市级党务公开工作示范点", "党务公开工作示范点")
    assert custom.full_title == "县级党建示范点"
    # In English the standard title goes through the catalogue, never glued to stored Chinese data.
    with translation.override("en"):
        assert standard.full_title == translation.gettext("%(level)s党务公开工作示范点") % {"level": "City-level"}
