"""Demo data for the designation programme: places, units, past rounds, an open round, users.

Every row is written through the same services and audit actions as production (`sites.services`,
`core.services.user_create`), so demo pages read like real ones: a site page shows its award
(`designation_award`) and its revocation (`designation_revoke`). Past events (rounds that ran before
the system existed: their status changes, awards, revocations) are written as the system, at their
historical moments; the open round's applications by the county offices and the unit themselves.

`load(stdout=...)` is idempotent: every row is keyed on its natural key (jurisdiction
code, organisation name within its jurisdiction, round name, plaque number, username),
the plan is computed from a fixed random seed and the code alone (never from what the
database holds), and a service is called only for what is missing or not yet in its state,
so audit records are written only for changes made in this run. Running it twice changes nothing.

Past rounds reproduce the source's figure: 125 active sites, 12 city-level and 113
county-level, plus 6 titles revoked in a later round's re-evaluation (R10).

Other apps' demo loaders may use `demo_user(username)`, `DEMO_PASSWORD` and `demo_password_hash()`.
"""
import contextlib
import datetime
import functools
import random
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qujing_disclosure.core.clock import today
from qujing_disclosure.core.models import Role
from qujing_disclosure.core.services import user_create

from . import services
from .enums import (
    ApplicationState,
    DesignationStatus,
    JurisdictionKind,
    Level,
    RoundStatus,
)
from .models import Application, Designation, Jurisdiction, Organization, Round

SEED = 2013  # the programme started in 2013
DEMO_PASSWORD = "demo12345"
CITY_SUBSIDY = Decimal("3000")  # R9: one-off special work subsidy for city-level sites
COUNTY_SUBSIDY = Decimal("0")
PASS_MARK = 80

CITY = ("曲靖市", "city")
# (name, code, townships/sub-districts): Qujing's 9 county-level divisions.
COUNTIES = [
    ("麒麟区", "qilin", ["南宁街道", "建宁街道", "白石江街道", "寥廓街道", "潇湘街道", "益宁街道", "太和街道", "沿江街道",
                       "珠街街道", "越州镇", "东山镇", "茨营镇"]),
    ("沾益区", "zhanyi", ["西平街道", "龙华街道", "金龙街道", "花山街道", "白水镇", "盘江镇", "德泽乡", "大坡乡", "菱角乡",
                        "炎方乡"]),
    ("马龙区", "malong", ["通泉街道", "鸡头村街道", "张安屯街道", "旧县街道", "王家庄街道", "马过河镇", "纳章镇", "月望乡",
                        "大庄乡"]),
    ("宣威市", "xuanwei", ["宛水街道", "虹桥街道", "双龙街道", "西宁街道", "来宾街道", "板桥街道", "羊场镇", "格宜镇", "田坝镇",
                         "热水镇", "务德镇", "倘塘镇"]),
    ("富源县", "fuyuan", ["中安街道", "胜境街道", "后所镇", "营上镇", "竹园镇", "墨红镇", "富村镇", "大河镇", "黄泥河镇",
                        "老厂镇", "十八连山镇", "古敢水族乡"]),
    ("罗平县", "luoping", ["罗雄街道", "九龙街道", "腊山街道", "板桥镇", "阿岗镇", "富乐镇", "马街镇", "钟山乡", "老厂乡",
                         "大水井乡", "旧屯乡", "长底布依族乡"]),
    ("师宗县", "shizong", ["丹凤街道", "漾月街道", "大同街道", "竹基镇", "彩云镇", "雄壁镇", "葵山镇", "五龙壮族乡",
                         "高良壮族瑶族苗族乡"]),
    ("陆良县", "luliang", ["中枢街道", "同乐街道", "三岔河镇", "马街镇", "召夸镇", "大莫古镇", "芳华镇", "小百户镇", "板桥镇",
                         "活水乡", "龙海乡"]),
    ("会泽县", "huize", ["古城街道", "金钟街道", "宝云街道", "以礼街道", "娜姑镇", "迤车镇", "待补镇", "者海镇", "乐业镇",
                       "大井镇", "火红乡", "大海乡"]),
]
# The municipal commission's dispatched discipline work committees and the city units they supervise.
COMMITTEES = [
    ("市直机关纪工委", "jgw-organs", [
        "中共曲靖市委办公室机关党支部", "曲靖市人民政府办公室机关党委", "中共曲靖市委组织部机关党支部",
        "中共曲靖市委宣传部机关党支部", "曲靖市财政局机关党委", "曲靖市发展和改革委员会机关党委", "曲靖市民政局机关党委",
        "曲靖市人力资源和社会保障局机关党委", "曲靖市自然资源和规划局机关党委", "曲靖市住房和城乡建设局机关党委",
        "曲靖市农业农村局机关党委", "曲靖市市场监督管理局机关党委", "曲靖市审计局机关党支部", "曲靖市统计局机关党支部",
    ]),
    ("市教育系统纪工委", "jgw-education", [
        "曲靖市教育体育局机关党委", "曲靖市第一中学党委", "曲靖市第二中学党委", "曲靖市第三中学党总支", "曲靖市民族中学党委",
        "曲靖市实验小学党总支", "曲靖市第一小学党支部", "曲靖市特殊教育学校党支部", "曲靖市体育运动学校党支部",
        "曲靖市机关幼儿园党支部",
    ]),
    ("市卫生健康系统纪工委", "jgw-health", [
        "曲靖市卫生健康委员会机关党委", "曲靖市第一人民医院党委", "曲靖市第二人民医院党委", "曲靖市第三人民医院党委",
        "曲靖市中医医院党委", "曲靖市妇幼保健院党委", "曲靖市疾病预防控制中心党总支", "曲靖市中心血站党支部",
        "曲靖市精神卫生中心党支部", "曲靖市急救中心党支部",
    ]),
    ("市国资系统纪工委", "jgw-soe", [
        "曲靖市国有资产监督管理委员会机关党支部", "曲靖市城市投资控股集团有限公司党委", "曲靖市交通建设投资集团有限公司党委",
        "曲靖市水务产业投资集团有限公司党委", "曲靖市公共交通集团有限公司党委", "曲靖市农业投资开发集团有限公司党委",
        "曲靖市文化旅游投资集团有限公司党支部", "曲靖市商业投资有限公司党支部", "曲靖市粮食储备有限公司党支部",
        "曲靖市融资担保有限公司党支部", "曲靖市燃气有限公司党支部",
    ]),
]

COUNTY_DEPARTMENTS = [
    "财政局", "教育体育局", "卫生健康局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "农业农村局",
    "水务局", "交通运输局", "市场监督管理局", "审计局", "统计局", "林业和草原局", "文化和旅游局", "医疗保障局",
    "退役军人事务局", "应急管理局", "司法局", "生态环境分局",
]
PLACE_NAMES = [
    "三江", "西关", "东门", "北关", "南门", "紫溪", "翠峰", "花山", "龙华", "松林", "大坡", "石堡", "马场", "新街",
    "老街", "河口", "海子", "黄泥", "竹园", "龙潭", "青龙", "白龙", "红旗", "团结", "和平", "新民", "前进", "田坝", "水井",
    "塘子", "草坪", "中所", "后所", "前所", "左所", "板桥", "麦地", "荞地", "月望", "小河", "大河", "清水", "温泉", "沙坝",
    "凤凰", "锦绣", "文笔", "长坡", "石桥", "金山", "银厂", "桃园", "梨树", "柳树", "松坡", "长田", "兴隆", "富民", "永安",
]
COMPANY_KINDS = ["城市建设投资有限公司", "自来水有限公司", "供销合作社联合社", "农村信用合作联社", "公共交通有限公司"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢"
GIVEN = "明华建国丽娟志强秀英海燕文军红梅春林玉兰云峰永刚晓东家祥桂芬德顺雪梅正平金凤德明光辉学文"

UNIT_ORGANIZATION = ("qilin", "麒麟区南宁街道白石江社区党委")


# --- the plan (pure: computed from the code and the seed) -----------------------------
def _organization_plan(rng):
    """{jurisdiction code: [(name, sector, parent name or None), …]} — about 300 units."""
    plan = {}
    for county, code, towns in COUNTIES:
        units, seen = [], set()

        def add(name, sector, parent=None, _units=units, _seen=seen):
            if name not in _seen:
                _seen.add(name)
                _units.append((name, sector, parent))

        if code == UNIT_ORGANIZATION[0]:
            add(f"{county}南宁街道党工委", "乡镇（街道）")
            add(UNIT_ORGANIZATION[1], "村（社区）", f"{county}南宁街道党工委")
        for department in rng.sample(COUNTY_DEPARTMENTS, 10):
            add(f"{county}{department}机关党支部", "机关")
        # Three sub-districts (communities) and three townships (villages) per county.
        chosen = towns[:3] + towns[-3:]
        for town in chosen:
            add(f"{county}{town}{'党工委' if town.endswith('街道') else '党委'}", "乡镇（街道）")
        places = rng.sample(PLACE_NAMES, 20)
        for index in range(9):
            town = chosen[index % len(chosen)]
            parent = f"{county}{town}{'党工委' if town.endswith('街道') else '党委'}"
            if town.endswith("街道"):
                add(f"{county}{town}{places[index]}社区党委", "村（社区）", parent)
            else:
                add(f"{county}{town}{places[index]}村党总支", "村（社区）", parent)
        add(f"{county}第一中学党总支", "学校")
        add(f"{county}第二中学党支部", "学校")
        add(f"{county}{towns[-1]}中心学校党支部", "学校")
        add(f"{county}人民医院党委", "医院")
        add(f"{county}中医医院党总支", "医院")
        add(f"{county}妇幼保健院党支部", "医院")
        for kind in rng.sample(COMPANY_KINDS, 2):
            add(f"{county}{kind}党支部", "企业")
        plan[code] = units
    for _name, code, names in COMMITTEES:
        plan[code] = [(name, _sector_of(name), None) for name in names]
    return plan


def _sector_of(name):
    if "机关" in name:
        return "机关"
    if any(word in name for word in ("医院", "卫生", "疾病", "血站", "急救", "保健")):
        return "医院"
    if any(word in name for word in ("学", "学校", "幼儿园", "教育")):
        return "学校"
    if any(word in name for word in ("公司", "集团")):
        return "企业"
    return "机关"


# (year, awarded, [(re-evaluation year, count revoked)])
CITY_ROUNDS = [(2016, 5, [(2020, 1)]), (2020, 5, [(2024, 1)]), (2024, 4, [])]
COUNTY_ROUNDS = [
    (2014, 20, [(2018, 2)]), (2016, 18, []), (2018, 20, [(2022, 1)]), (2020, 20, []), (2022, 20, [(2024, 1)]),
    (2024, 19, []),
]
REVOKE_REASONS = [
    "{year}年复评得分{score}分，低于合格线80分，取消示范点资格，收回牌匾",
    "{year}年复评中发现公开目录长期未更新、公开栏内容过期，得分{score}分，低于合格线80分，取消示范点资格，收回牌匾",
    "{year}年复评得分{score}分，低于合格线80分；“三重一大”事项未按规定公开，取消示范点资格，收回牌匾",
]


def _round_name(year, level):
    return f"{year}年度{'市级' if level == Level.CITY else '县级'}党务公开工作示范点创建"


def _designation_plan(rng, organizations):
    """[(round key, jurisdiction code, org name, plaque, revoked (year, reason) or None)] and quotas per round."""
    used = {UNIT_ORGANIZATION}
    county_codes = [code for _n, code, _t in COUNTIES]
    committee_codes = [code for _n, code, _u in COMMITTEES]
    designations, quotas = [], {}
    scores = iter([72, 76, 68, 74, 71, 77, 73, 75])
    for level, rounds, pool, prefix in (
        (Level.CITY, CITY_ROUNDS, committee_codes + county_codes, "S"),
        (Level.COUNTY, COUNTY_ROUNDS, county_codes, "X"),
    ):
        for round_index, (year, awarded, revocations) in enumerate(rounds):
            key = (year, level)
            per_jurisdiction = {code: 0 for code in pool}
            for index in range(awarded):
                per_jurisdiction[pool[(round_index * 3 + index) % len(pool)]] += 1
            quotas[key] = {code: n + (1 if rng.random() < 0.3 else 0) for code, n in per_jurisdiction.items() if n}
            seq = 0
            planned = []
            for code in pool:
                candidates = [name for name, _s, _p in organizations[code] if (code, name) not in used]
                for name in rng.sample(candidates, per_jurisdiction[code]):
                    used.add((code, name))
                    seq += 1
                    planned.append([key, code, name, f"QJ-{prefix}-{year}-{seq:03d}", None])
            revoked_indexes = rng.sample(range(len(planned)), sum(n for _y, n in revocations))
            cursor = 0
            for revoke_year, count in revocations:
                for index in revoked_indexes[cursor:cursor + count]:
                    reason = rng.choice(REVOKE_REASONS).format(year=revoke_year, score=next(scores))
                    planned[index][4] = (datetime.date(revoke_year, 11, 25), reason)
                cursor += count
            designations.extend(tuple(item) for item in planned)
    return designations, quotas


# --- helpers -----------------------------------------------------------------------
@contextmanager
def _at(moment):
    """Backdate rows written inside (auto_now_add) to a historical moment: seeding past events only."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def demo_user(username):
    return get_user_model().objects.get(username=username)


def _user(username, *, role, full_name, jurisdiction=None, organization=None, is_staff=False, is_superuser=False):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, password_hash=demo_password_hash(), values={
            "username": username, "role": role, "first_name": full_name, "jurisdiction": jurisdiction,
            "organization": organization, "is_staff": is_staff, "is_superuser": is_superuser,
        })
    return user


@functools.cache
def demo_password_hash():
    """One hash of DEMO_PASSWORD for every demo account: hashing is slow by design, and these are demo logins."""
    return make_password(DEMO_PASSWORD)


# --- the loaders -------------------------------------------------------------------
def _jurisdiction(code, **values):
    existing = Jurisdiction.objects.filter(code=code).first()
    return existing or services.jurisdiction_save(actor=None, jurisdiction_id=None, values={"code": code, **values})


def _load_places():
    city = _jurisdiction(CITY[1], name=CITY[0], kind=JurisdictionKind.CITY, sort_order=0)
    places = {CITY[1]: city}
    for order, (name, code, _towns) in enumerate(COUNTIES, start=1):
        places[code] = _jurisdiction(code, name=name, kind=JurisdictionKind.COUNTY, parent=city, sort_order=order)
    for order, (name, code, _units) in enumerate(COMMITTEES, start=20):
        places[code] = _jurisdiction(code, name=name, kind=JurisdictionKind.COMMITTEE, parent=city, sort_order=order)
    return places


def _load_organizations(plan, places, rng):
    existing = {(o.jurisdiction_id, o.name): o for o in Organization.objects.filter(jurisdiction__in=places.values())}
    # Parents first, so children can point at them.
    for with_parent in (False, True):
        for code, units in plan.items():
            jurisdiction = places[code]
            for name, sector, parent in units:
                contact, phone = _person(rng), f"0874-{rng.randint(3000000, 8999999)}"  # drawn for every unit: stable
                if (parent is not None) != with_parent or (jurisdiction.pk, name) in existing:
                    continue
                existing[(jurisdiction.pk, name)] = services.organization_save(actor=None, organization_id=None, values={
                    "name": name, "jurisdiction": jurisdiction, "sector": sector,
                    "parent": existing.get((jurisdiction.pk, parent)) if parent else None,
                    "address": f"云南省曲靖市{jurisdiction.name if jurisdiction.kind == JurisdictionKind.COUNTY else ''}",
                    "contact_name": contact, "contact_phone": phone,
                })
    return {
        (o.jurisdiction.code, o.name): o
        for o in Organization.objects.filter(jurisdiction__in=places.values()).select_related("jurisdiction")
    }


def _round(year, level, organizer, *, open_on, close_on, screening_on, description="", actor=None):
    """The round of that name, created as a draft through round_save when missing."""
    name = _round_name(year, level)
    return Round.objects.filter(name=name).first() or services.round_save(actor=actor, round_id=None, values={
        "name": name, "year": year, "level": level, "organizer": organizer, "ratio": 2,
        "applications_open_on": open_on, "applications_close_on": close_on, "screening_close_on": screening_on,
        "pass_mark": Decimal(PASS_MARK), "description": description,
    })


def _advance(round_, status, *, actor=None, on=None):
    """Move `round_` along to `status` (each step through round_set_status, at its date when `on` is given)."""
    order = [RoundStatus.DRAFT, RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.FINISHED]
    while round_.status in order and order.index(round_.status) < order.index(status):
        target = order[order.index(round_.status) + 1]
        day = (on or {}).get(target)
        with _at(_moment(day)) if day else contextlib.nullcontext():
            round_ = services.round_set_status(actor=actor, round_id=round_.pk, status=target)
    return round_


def _load_past_rounds(plan, places, organizations, rng):
    """Rounds that ran before the system existed, replayed through the services at their dates:
    set up with quotas in February, open 1 March – 30 April, titles awarded and the round finished
    on 16 December; revocations (R10) on the day a later round's re-evaluation decided them."""
    designation_plan, quota_plan = _designation_plan(rng, plan)
    rounds = {}
    for level, schedule in ((Level.CITY, CITY_ROUNDS), (Level.COUNTY, COUNTY_ROUNDS)):
        for year, _awarded, _revocations in schedule:
            with _at(_moment(datetime.date(year, 2, 1))):
                round_ = _round(
                    year, level, places[CITY[1]],
                    open_on=datetime.date(year, 3, 1), close_on=datetime.date(year, 4, 30),
                    screening_on=datetime.date(year, 5, 31),
                    description=f"{year}年度{'市级' if level == Level.CITY else '县级'}党务公开工作示范点创建，"
                    "按2:1比例审核推荐，经考评、领导小组审议和网上公示后授牌。",
                )
                for code, slots in quota_plan[(year, level)].items():
                    services.quota_set(actor=None, round_id=round_.pk, jurisdiction_id=places[code].pk, slots=slots)
            rounds[(year, level)] = _advance(round_, RoundStatus.CLOSED, on={
                RoundStatus.OPEN: datetime.date(year, 3, 1), RoundStatus.CLOSED: datetime.date(year, 4, 30),
            })

    existing = {d.plaque_number: d for d in Designation.objects.filter(plaque_number__in=[p[3] for p in designation_plan])}
    for key, code, name, plaque, revocation in designation_plan:
        round_ = rounds[key]
        designation = existing.get(plaque)
        if designation is None:
            awarded_on = datetime.date(key[0], 12, 16)
            with _at(_moment(awarded_on)):
                designation = services.designation_award(
                    actor=None, organization_id=organizations[(code, name)].pk, round_id=round_.pk,
                    plaque_number=plaque, awarded_on=awarded_on,
                    subsidy_amount=CITY_SUBSIDY if key[1] == Level.CITY else COUNTY_SUBSIDY,
                    reason=f"{round_.name}：经考评、领导小组审议和网上公示，授予“党务公开工作示范点”称号并授牌",
                    data={"seeded": True},
                )
        if revocation and designation.status == DesignationStatus.ACTIVE:
            revoked_on, reason = revocation
            # R10: re-evaluated below the pass mark in a later round.
            with _at(_moment(revoked_on)):
                services.designation_revoke(actor=None, designation_id=designation.pk, reason=reason,
                                            revoked_on=revoked_on, data={"seeded": True})
    for (year, _level), round_ in rounds.items():
        _advance(round_, RoundStatus.FINISHED, on={RoundStatus.FINISHED: datetime.date(year, 12, 16)})
    return {(code, name) for _key, code, name, _plaque, _revocation in designation_plan}


def _load_users(places, organizations):
    unit_org = organizations[UNIT_ORGANIZATION]
    users = {
        "admin": _user("admin", role=Role.MUNICIPAL, full_name="系统管理员", is_staff=True, is_superuser=True),
        "office": _user("office", role=Role.MUNICIPAL, full_name="李明华", is_staff=True),
        "leader": _user("leader", role=Role.LEADING_GROUP, full_name="王建国"),
        "evaluator": _user("evaluator", role=Role.EVALUATOR, full_name="赵丽娟", jurisdiction=places["zhanyi"]),
        "unit": _user("unit", role=Role.ORGANIZATION, full_name="陈秀英", organization=unit_org,
                      jurisdiction=unit_org.jurisdiction),
    }
    # One office account per county and committee (qilin and zhanyi are the ones the README shows).
    for name, code, _rest in [*COUNTIES, *COMMITTEES]:
        users[code] = _user(code, role=Role.COUNTY, full_name=f"{name}党务公开办", jurisdiction=places[code])
    return users


SUMMARY = (
    "{org}成立党务公开工作领导小组，编制党务公开目录，涵盖决策、执行、监督、结果等内容；"
    "严格按照“提出审核、实施公开、监督检查、整理归档”四个步骤运行，公开日期安排在每月1—10日，"
    "公开时间不少于半个月；设置公开栏、微信公众号等载体，建立意见建议收集处理反馈机制，群众满意度较高。"
)
REJECT_REASONS = [
    "创建工作台账不完整，公开目录未覆盖“三重一大”事项，本轮不予推荐。",
    "日常检查发现公开栏内容长期未更新，本轮不予推荐。",
    "申报材料与实际不符，实地察看未达到示范要求，本轮不予推荐。",
]
RECOMMEND_REASON = "材料齐全，日常检查情况良好，同意推荐。"


def _demo_pdf(title):
    body = f"%PDF-1.4\n% demo material: {title}\n%%EOF\n".encode()
    return SimpleUploadedFile("创建工作情况报告.pdf", body, content_type="application/pdf")


def _load_open_round(places, organizations, users, designated, rng):
    """The current round: open today (China time) and for the next 30 days, whenever the demo is loaded."""
    day = today()
    window = {
        "applications_open_on": day - datetime.timedelta(days=20),
        "applications_close_on": day + datetime.timedelta(days=30),
        "screening_close_on": day + datetime.timedelta(days=45),
    }
    office = users["office"]
    round_ = _round(
        day.year, Level.COUNTY, places[CITY[1]], actor=office,
        open_on=window["applications_open_on"], close_on=window["applications_close_on"],
        screening_on=window["screening_close_on"],
        description="各县（市、区）党务公开办和派出纪工委按2:1比例审核推荐本辖区申报单位。",
    )
    if round_.status == RoundStatus.OPEN:
        # Keep the demo's window around today whenever the demo is reloaded (nothing written if it is).
        round_ = services.round_save(actor=office, round_id=round_.pk, values=window)

    slots = {code: 2 + rng.randint(0, 1) for _n, code, _t in COUNTIES}
    slots.update({code: 1 + rng.randint(0, 1) for _n, code, _u in COMMITTEES})
    slots["qilin"], slots["zhanyi"] = 3, 2
    if round_.status == RoundStatus.DRAFT:
        for code, n in slots.items():
            services.quota_set(actor=office, round_id=round_.pk, jurisdiction_id=places[code].pk, slots=n)
        round_ = services.round_set_status(actor=office, round_id=round_.pk, status=RoundStatus.OPEN)
    if round_.status != RoundStatus.OPEN:
        return round_  # someone moved the demo round on; leave it alone

    # States per jurisdiction. 麒麟区: 3 recommended of a limit of 6, 4 more waiting, so the demo
    # county user can recommend 3 more and then meets the R2 refusal.
    mixes = {
        "qilin": ["recommended"] * 3 + ["submitted"] * 4 + ["rejected", "withdrawn", "draft"],
        "zhanyi": ["recommended"] * 2 + ["submitted"] * 2 + ["rejected", "draft"],
    }
    for _n, code, _t in COUNTIES:
        if code not in mixes:
            limit = slots[code] * 2
            recommended = rng.randint(0, limit - 1)
            mixes[code] = (["recommended"] * recommended + ["submitted"] * rng.randint(1, 2)
                           + ["rejected"] * rng.randint(0, 1) + ["draft"] * rng.randint(0, 1))
    for _n, code, _u in COMMITTEES:
        mixes[code] = ["recommended"] * rng.randint(0, slots[code]) + ["submitted"] * rng.randint(1, 2)

    # Applicants are units that never held a title (taken from the plan, not the database, so a rerun
    # picks the same units and finds their applications already there).
    unit_org = organizations[UNIT_ORGANIZATION]
    for code, states in mixes.items():
        candidates = sorted(
            name for (c, name) in organizations
            if c == code and (c, name) not in designated and (c, name) != UNIT_ORGANIZATION
        )
        picks = rng.sample(candidates, len(states))
        for name, state in zip(picks, states):
            _application(round_, organizations[(code, name)], state, actor=users[code], rng=rng,
                         with_material=(code == "qilin"))
    # The demo unit's own application, still a draft it can finish and submit.
    _application(round_, unit_org, "draft", actor=users["unit"], rng=rng, with_material=True)
    return round_


def _application(round_, organization, state, *, actor, rng, with_material=False):
    contact, phone = _person(rng), f"138{rng.randint(10000000, 99999999)}"
    reject_reason = rng.choice(REJECT_REASONS)
    if Application.objects.filter(round=round_, organization=organization).exists():
        return None
    application = services.application_create(
        actor=actor, round_id=round_.pk, organization_id=organization.pk,
        summary=SUMMARY.format(org=organization.name), contact_name=contact, contact_phone=phone,
    )
    # R3: a unit applies with its materials; every application that is submitted carries one.
    if with_material or state not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        services.application_add_material(
            actor=actor, application_id=application.pk, title="创建工作情况报告", uploaded_file=_demo_pdf(organization.name)
        )
    if state == ApplicationState.DRAFT:
        return application
    if state == ApplicationState.WITHDRAWN:
        return services.application_withdraw(actor=actor, application_id=application.pk, reason="单位申请撤回，下一轮再申报。")
    services.application_submit(actor=actor, application_id=application.pk)
    if state == ApplicationState.RECOMMENDED:
        return services.application_recommend(actor=actor, application_id=application.pk, reason=RECOMMEND_REASON)
    if state == ApplicationState.REJECTED:
        return services.application_reject(actor=actor, application_id=application.pk, reason=reject_reason)
    return application


def load(*, stdout=None):
    """Create or complete the demo data (idempotent). Writes a short summary to `stdout`."""
    rng = random.Random(SEED)
    plan = _organization_plan(rng)
    with transaction.atomic():
        places = _load_places()
        organizations = _load_organizations(plan, places, rng)
        designated = _load_past_rounds(plan, places, organizations, rng)
        users = _load_users(places, organizations)
        open_round = _load_open_round(places, organizations, users, designated, rng)
    if stdout is not None:
        active = Designation.objects.filter(status=DesignationStatus.ACTIVE)
        stdout.write(
            _("示范点：有效 %(total)d 个（市级 %(city)d 个、县级 %(county)d 个），已撤销 %(revoked)d 个；党组织 %(orgs)d 个。")
            % {
                "total": active.count(), "city": active.filter(level=Level.CITY).count(),
                "county": active.filter(level=Level.COUNTY).count(),
                "revoked": Designation.objects.filter(status=DesignationStatus.REVOKED).count(),
                "orgs": Organization.objects.count(),
            }
        )
        stdout.write(
            _("当前轮次：%(round)s（%(status)s，申报 %(start)s 至 %(end)s），申报 %(count)d 份。")
            % {
                "round": open_round.name, "status": open_round.get_status_display(),
                "start": open_round.applications_open_on.isoformat(), "end": open_round.applications_close_on.isoformat(),
                "count": open_round.applications.count(),
            }
        )


LOGINS = [
    ("admin", gettext_lazy("市党务公开办（超级管理员）"), gettext_lazy("全市；管理后台 /admin/")),
    ("office", gettext_lazy("市党务公开办"), gettext_lazy("全市；管理后台 /admin/")),
    ("leader", gettext_lazy("领导小组成员"), gettext_lazy("全市（只读、审议）")),
    ("evaluator", gettext_lazy("考评组成员"), gettext_lazy("所在单位：沾益区（R5 回避）")),
    ("qilin", gettext_lazy("县级党务公开办"), gettext_lazy("麒麟区")),
    ("zhanyi", gettext_lazy("县级党务公开办"), gettext_lazy("沾益区")),
    ("unit", gettext_lazy("党组织用户"), UNIT_ORGANIZATION[1]),
]


def print_logins(*, stdout):
    """The table of demo logins (password the same for all)."""
    stdout.write("")
    stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
    stdout.write("  " + _pad(_("用户名"), 12) + _pad(_("角色"), 28) + _("范围"))
    for username, role, scope in LOGINS:
        stdout.write("  " + _pad(username, 12) + _pad(role, 28) + str(scope))
    others = ", ".join(code for _n, code, _t in [*COUNTIES, *COMMITTEES] if code not in ("qilin", "zhanyi"))
    stdout.write(_("  其他县（市、区）和派出纪工委账号：%(users)s（密码相同）") % {"users": others})
    stdout.write(_("  门户 /portal/ · 管理后台 /admin/ · 公开页面 / 和 /sites/"))


def _pad(text, width):
    """Pad to `width` terminal columns; CJK characters take two."""
    text = str(text)
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - used)
