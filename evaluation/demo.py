"""Demo data of evaluation, publicity and award, run after sites.demo by `manage.py load_demo`.

Builds, through the services and with the right actors, a city-level round of this year that went
through the whole evaluation — default table, two teams, scorecards (some panels of five, so the
trimmed mean shows), democratic evaluation, inspections, the R10 re-evaluation of every active
city-level site (one revoked with its decision), the preliminary list, the leading group's
deliberation — and now stands in publicity with objections in every state (one overdue).
Also: subsidy payments of the latest city-level sites in their steps, and published case stories.

Idempotent: keyed on the round's name; a second run finds the round and changes nothing.
"""
import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qujing_disclosure.core.models import Role
from sites import services as site_services
from sites.demo import DEMO_PASSWORD, demo_user
from sites.enums import ApplicationState, DesignationStatus, Level, RoundStatus
from sites.models import Application, Designation, Jurisdiction, Organization, Quota, Round

from . import services
from .enums import CandidateKind, StoryStatus, SubsidyState
from .models import Candidate, CaseStory, Objection, Publicity, SubsidyPayment

SEED = 2026
EVALUATORS = [("pingshen1", "周建平"), ("pingshen2", "杨春梅"), ("pingshen3", "吴国华"), ("pingshen4", "孙丽萍"), ("pingshen5", "马志强")]
STORIES = [
    ("“三务”合一公开栏让群众看得懂", "将党务、政务、财务公开栏合并设置，按决策、执行、监督、结果分栏，每月1—10日集中更新，群众扫码即可查看历史公开内容。"),
    ("“明白卡”送到党员手中", "把党费收缴、发展党员等事项印制成“明白卡”，随组织生活会发放到每名党员手中，做到应公开尽公开。"),
    ("公开事项“回头看”", "每季度组织党员代表对已公开事项逐项“回头看”，对群众反映的问题建立台账、限期整改、公开答复。"),
]


def _round_name(year):
    return f"{year}年度市级党务公开工作示范点创建"


def _evaluators():
    users = []
    for username, name in EVALUATORS:
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"role": Role.EVALUATOR, "first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _scores(table, rng, level):
    """A plausible scorecard around `level` (0..1 of each maximum)."""
    out = {}
    for c in table.criteria.all():
        value = max(Decimal("0"), min(c.max_points, (c.max_points * Decimal(str(level + rng.uniform(-0.06, 0.06)))).quantize(Decimal("0.5"))))
        out[c.pk] = {"points": value, "methods": c.methods[: rng.randint(1, len(c.methods))], "notes": "经查阅台账和实地察看核实。"}
    return out


def _score(candidate, evaluator, table, rng, level, office):
    try:
        assignment = services.assignment_create(actor=office, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    except services.DomainError:
        return None  # R5: a conflict of interest keeps this evaluator off
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    services.scorecard_save(actor=evaluator, assignment_id=assignment.pk, scores=_scores(table, rng, level))
    return services.scorecard_submit(actor=evaluator, assignment_id=assignment.pk)


def _build_round(rng, office, leader, evaluator, panel, today):
    places = {j.code: j for j in Jurisdiction.objects.all()}
    round_ = Round.objects.create(
        name=_round_name(today.year), year=today.year, level=Level.CITY, organizer=places["city"], ratio=2,
        applications_open_on=today - datetime.timedelta(days=90), applications_close_on=today - datetime.timedelta(days=30),
        screening_close_on=today - datetime.timedelta(days=30), pass_mark=Decimal("80"),
        description="市级示范点从县级示范点和市直单位中择优创建，经考评、领导小组审议、网上公示后授牌。",
    )
    codes = ["qilin", "zhanyi", "xuanwei", "luoping", "jgw-organs", "jgw-education"]
    for code in codes:
        Quota.objects.create(round=round_, jurisdiction=places[code], slots=1 if code != "qilin" else 2)
    # Applications ran before this system was used for them: seeded directly, already recommended.
    taken = set(Designation.objects.filter(status=DesignationStatus.ACTIVE, level=Level.CITY).values_list("organization_id", flat=True))
    busy = set(Application.objects.exclude(round=round_).values_list("organization_id", flat=True))
    office_of = {code: demo_user(code) for code in codes}
    for code in codes:
        pool = sorted(Organization.objects.filter(jurisdiction=places[code]).exclude(pk__in=taken | busy).values_list("pk", flat=True))
        for org_id in rng.sample(pool, min(len(pool), 2 * Quota.objects.get(round=round_, jurisdiction=places[code]).slots)):
            Application.objects.create(
                round=round_, organization_id=org_id, jurisdiction=places[code], state=ApplicationState.RECOMMENDED,
                summary="本单位党务公开工作基础扎实，公开目录健全，四个步骤规范运行。", contact_name="张敏", contact_phone="0874-3120000",
                created_by=office_of[code], submitted_at=timezone.now(), decided_at=timezone.now(), decision_reason="符合市级示范点申报条件。",
            )
    site_services.round_set_status(actor=office, round_id=round_.pk, status=RoundStatus.OPEN)
    site_services.round_set_status(actor=office, round_id=round_.pk, status=RoundStatus.CLOSED)
    site_services.round_set_status(actor=office, round_id=round_.pk, status=RoundStatus.EVALUATING)
    table = services.table_create_default(actor=office, round_id=round_.pk)
    services.candidates_sync(actor=office, round_id=round_.pk)
    team_a = services.team_save(actor=office, round_id=round_.pk, name="第一考评组", member_ids=[evaluator.pk, *[p.pk for p in panel[:4]]], leader_id=panel[0].pk)
    services.team_save(actor=office, round_id=round_.pk, name="第二考评组", member_ids=[p.pk for p in panel[2:]], leader_id=panel[4].pk)
    return round_, table, team_a


def _evaluate(round_, table, team_a, rng, office, evaluator, panel):
    candidates = list(Candidate.objects.filter(round=round_).select_related("organization").order_by("pk"))
    failing = next((c.pk for c in candidates if c.kind == CandidateKind.REEVALUATION), None)
    for index, candidate in enumerate(candidates):
        level = rng.uniform(0.8, 0.95)
        if candidate.pk == failing:
            level = 0.7  # R10: one site falls below the pass mark and loses its title
        people = [evaluator, *panel] if index % 2 == 0 else panel[:3]
        for person in people:
            _score(candidate, person, table, rng, level, office)
        if candidate.kind == CandidateKind.NEW:
            ballots = rng.randint(30, 60)
            dissatisfied = rng.randint(0, 4)
            basic = rng.randint(2, 10)
            services.democratic_record(actor=office, candidate_id=candidate.pk, held_on=timezone.localdate() - datetime.timedelta(days=25),
                                       satisfied=ballots - basic - dissatisfied, basically_satisfied=basic, dissatisfied=dissatisfied)
            services.inspection_record(actor=office, organization_id=candidate.organization_id, kind=rng.choice(["daily", "special"]),
                                       inspected_on=timezone.localdate() - datetime.timedelta(days=rng.randint(40, 200)),
                                       findings=rng.choice(["公开栏按月更新，台账完整。", "个别公开事项未按时公开，已当场指出。", "公开目录未覆盖“三重一大”事项，限期整改。"]),
                                       rating=rng.choice(["excellent", "good", "good", "fair"]),
                                       inspectors="市党务公开办检查组")
    return candidates


def _decide_reevaluations(round_, office):
    from .selectors import candidate_aggregate

    for candidate in Candidate.objects.filter(round=round_, kind=CandidateKind.REEVALUATION).select_related("designation"):
        agg = candidate_aggregate(candidate)
        if agg is None or agg["pending"]:
            continue
        if agg["score"] < round_.pass_mark:
            services.designation_revoke_with_decision(
                actor=office, designation_id=candidate.designation_id, candidate_id=candidate.pk,
                reason=f"{round_.year}年复评得分{agg['score']}分，低于合格线80分，取消示范点资格，收回牌匾",
                decision_ref=f"曲党务公开办〔{round_.year}〕7号", plaque_recalled_on=timezone.localdate())
        else:
            services.reevaluation_retain(actor=office, candidate_id=candidate.pk)


def _shortlist_and_publish(round_, office, leader, today):
    from .selectors import ranking

    for group in ranking(round_):
        for row in group["new"]:
            if row["within_quota"] and not row["below_pass"] and row["score"] is not None and not row["pending"]:
                services.shortlist_add(actor=office, application_id=row["candidate"].application_id)
    services.deliberation_record(actor=leader, round_id=round_.pk, meeting_date=today, decision="approved",
                                 attendees="王建国（组长）、李明华、市纪委常委会委员、市委组织部、市委宣传部负责同志",
                                 notes="会议审议了市党务公开办提出的初选名单，同意按程序进行网上公示。")
    publicity = services.publicity_open(actor=office, round_id=round_.pk, starts_on=today, ends_on=today + datetime.timedelta(days=9))
    # The demo shows a publicity already running for eight days (a shortcut only the demo takes).
    Publicity.objects.filter(pk=publicity.pk).update(starts_on=today - datetime.timedelta(days=8), ends_on=today + datetime.timedelta(days=1))
    return Publicity.objects.get(pk=publicity.pk)


def _objections(publicity, office, today):
    entries = list(publicity.entries.all())
    items = [
        ("该单位公开栏内容长期没有更新，去年的内容还在上面，不符合示范点标准。", "13908741234", 8, None),
        ("反映该单位“三重一大”事项公开不及时，去年一项工程招标结果迟迟没有公开。", "citizen@example.cn", 6, "investigate"),
        ("该单位党员对党费使用情况不清楚，希望核实是否按规定公开。", "", 4, "dismiss"),
        ("该单位申报材料中的会议记录系事后补写，请核实。", "13577778888", 5, "uphold"),
        ("支持该单位评为示范点，但建议公开栏增加夜间照明。", "", 1, None),
    ]
    for index, (content, contact, days_ago, action) in enumerate(items):
        entry = entries[index % len(entries)] if entries else None
        objection = services.objection_create(publicity_id=publicity.pk, content=content, entry_id=entry.pk if entry else None,
                                              objector_name="群众" if index % 2 else "", objector_contact=contact)
        Objection.objects.filter(pk=objection.pk).update(received_on=today - datetime.timedelta(days=days_ago))
        if action == "investigate":
            services.objection_investigate(actor=office, objection_id=objection.pk, note="已调阅招标公告和公开栏照片，正在核实。")
        elif action == "dismiss":
            services.objection_answer(actor=office, objection_id=objection.pk, upheld=False,
                                      reply="经核实，该单位党费收缴和使用情况每季度在支部公开栏和党员大会上公开，异议不成立。")
        elif action == "uphold":
            services.objection_answer(actor=office, objection_id=objection.pk, upheld=True,
                                      reply="经调阅原始记录并走访座谈核实，异议反映的问题属实，该单位移出初选名单。")


def _subsidies_and_stories(office, rng):
    latest = Designation.objects.filter(level=Level.CITY, status=DesignationStatus.ACTIVE, subsidy_amount__gt=0).order_by("-awarded_on", "plaque_number")[:4]
    for index, designation in enumerate(latest):
        payment, created = SubsidyPayment.objects.get_or_create(designation=designation, defaults={"amount": designation.subsidy_amount})
        if created:
            services.subsidy_advance(actor=office, payment_id=payment.pk, state=SubsidyState.APPROVED)
            if index < 2:
                services.subsidy_advance(actor=office, payment_id=payment.pk, state=SubsidyState.PAID, voucher=f"曲财行〔{designation.awarded_on.year}〕{20 + index}号")
    sites = list(Designation.objects.filter(status=DesignationStatus.ACTIVE).order_by("-level", "plaque_number")[:3])
    for designation, (title, body) in zip(sites, STORIES):
        if not CaseStory.objects.filter(designation=designation, title=title).exists():
            story = services.story_save(actor=office, designation_id=designation.pk, title=title, body=f"{designation.organization.name}：{body}")
            services.story_set_status(actor=office, story_id=story.pk, status=StoryStatus.PUBLISHED)


def load(*, stdout=None):
    rng = random.Random(SEED)
    today = timezone.localdate()
    office, leader, evaluator = demo_user("office"), demo_user("leader"), demo_user("evaluator")
    with transaction.atomic():
        panel = _evaluators()
        _subsidies_and_stories(office, rng)
        if Round.objects.filter(name=_round_name(today.year)).exists():
            if stdout is not None:
                stdout.write("考评演示数据已存在，未作改动。")
            return
        round_, table, team_a = _build_round(rng, office, leader, evaluator, panel, today)
        _evaluate(round_, table, team_a, rng, office, evaluator, panel)
        _decide_reevaluations(round_, office)
        publicity = _shortlist_and_publish(round_, office, leader, today)
        _objections(publicity, office, today)
    if stdout is not None:
        stdout.write(
            f"考评：{round_.name} 公示中（{publicity.starts_on}—{publicity.ends_on}），考评对象 {Candidate.objects.filter(round=round_).count()} 个，"
            f"公示异议 {Objection.objects.filter(publicity=publicity).count()} 件；考评人员账号 pingshen1—pingshen5，密码 {DEMO_PASSWORD}。"
        )
