"""Demo data of evaluation, publicity and award, run after sites.demo by `manage.py load_demo`.

Written through the same services and action names as production, with the right actors, at the days
the story tells (the demo's clock, `_at`): a city-level round of this year that went through the whole
evaluation — default table, two teams, scorecards (some panels of five, so the trimmed mean shows),
democratic evaluation, inspections, the R10 re-evaluation of every active city-level site in the round's
jurisdictions (those it has quotas for; all retained: the demo keeps the source's figure of 125 active
sites, 12 city-level and 113 county-level), the preliminary list, the leading group's deliberation nine
days ago — and now stands in a publicity opened eight days ago, with objections in every state (one
overdue), each received on a day of the publicity. Demo county offices get e-mail addresses, so the
notifications show on the console.
The past round in which sites.demo revoked a city-level title gets the evaluation records of that
revocation (R10): its table and team (through the services), the re-evaluation of the sites of that time
with the panel's submitted scorecards, the retained ones (reevaluation_retain) and the revocation decision
(decision number, score, plaque recall). That round finished before this system was used, so its candidates
and cards are seeded at their historical dates, and its title is not revoked a second time: the decision's
record carries the action and data production writes.
Also: subsidy payments of the latest city-level sites in their steps, and published case stories.
And a county-level round for 马龙区 standing in evaluation, so that the demo `evaluator` (沾益区) signs in
to candidates of their own to declare (R5) and score (R4): two recommended units and a site of the R10
queue (马龙区's county-level sites only: the round's one quota), each already scored by two other members of the team.
Rounds and quotas are written through sites' services; applications that ran before the system are seeded.

Idempotent: the current and the evaluating round are keyed on their names, the past re-evaluation on its round's table,
subsidies on their designation and stories on their title; the sites they pick are chosen from
what does not change (never from which titles are active), so a second run changes no row count.
"""
import datetime
import random
import re
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import Role
from sites import services as site_services
from sites.demo import DEMO_PASSWORD, demo_password_hash, demo_user
from sites.enums import ApplicationState, DesignationStatus, Level, RoundStatus
from sites.models import (
    Application,
    Designation,
    Jurisdiction,
    Organization,
    Quota,
    Round,
)

from . import services
from .enums import (
    AssignmentState,
    CandidateKind,
    ReevaluationOutcome,
    ScorecardState,
    StoryStatus,
    SubsidyState,
)
from .models import (
    Assignment,
    Candidate,
    CaseStory,
    EvaluationTable,
    Objection,
    Revocation,
    Score,
    Scorecard,
    SubsidyPayment,
)

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
            user.password = demo_password_hash()  # one hash for every demo login (hashing is slow by design)
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _scores(table, rng, level):
    """A plausible scorecard around `level` (0..1 of each maximum)."""
    out = {}
    for c in table.criteria.all():
        value = max(Decimal(0), min(c.max_points, (c.max_points * Decimal(str(level + rng.uniform(-0.06, 0.06)))).quantize(Decimal("0.5"))))
        out[c.pk] = {"points": value, "methods": c.methods[: rng.randint(1, len(c.methods))], "notes": "经查阅台账和实地察看核实。"}
    return out


def _score(candidate, evaluator, table, rng, level, office):
    try:
        assignment = services.assignment_create(actor=office, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    except DomainError:
        return None  # R5: a conflict of interest keeps this evaluator off
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    services.scorecard_save(actor=evaluator, assignment_id=assignment.pk, scores=_scores(table, rng, level))
    return services.scorecard_submit(actor=evaluator, assignment_id=assignment.pk)


def _build_round(rng, office, leader, evaluator, panel, today):
    places = {j.code: j for j in Jurisdiction.objects.all()}
    round_ = site_services.round_save(actor=office, round_id=None, values=dict(
        name=_round_name(today.year), year=today.year, level=Level.CITY, organizer=places["city"], ratio=2,
        applications_open_on=today - datetime.timedelta(days=90), applications_close_on=today - datetime.timedelta(days=30),
        screening_close_on=today - datetime.timedelta(days=30), pass_mark=Decimal(80),
        description="市级示范点从县级示范点和市直单位中择优创建，经考评、领导小组审议、网上公示后授牌。",
    ))
    codes = ["qilin", "zhanyi", "xuanwei", "luoping", "jgw-organs", "jgw-education"]
    for code in codes:
        site_services.quota_set(actor=office, round_id=round_.pk, jurisdiction_id=places[code].pk, slots=1 if code != "qilin" else 2)
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
    for index, candidate in enumerate(candidates):
        level = rng.uniform(0.8, 0.95)
        if candidate.kind == CandidateKind.REEVALUATION:
            # R10: this year's sites all pass their re-evaluation (the past round shows a revocation), so the
            # demo keeps 125 active sites. 0.88 less the largest jitter (0.06) and rounding stays at or above 80.
            level = rng.uniform(0.88, 0.95)
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
    """R10: keep the title of every re-evaluated site at or above the pass mark. Below it a site stays
    pending for the office to decide: the demo itself never revokes a title of the current figure."""
    from .selectors import candidate_aggregate

    for candidate in Candidate.objects.filter(round=round_, kind=CandidateKind.REEVALUATION).order_by("pk"):
        agg = candidate_aggregate(candidate)
        if agg is not None and not agg["pending"] and agg["score"] >= round_.pass_mark:
            services.reevaluation_retain(actor=office, candidate_id=candidate.pk)


def _shortlist_and_publish(round_, office, leader, today):
    """The list, the leading group's meeting nine days ago and the publicity it approved, opened eight days
    ago and running until tomorrow: written through the services at those days (the demo's clock)."""
    from .selectors import ranking

    met_on, opened_on = today - datetime.timedelta(days=9), today - datetime.timedelta(days=8)
    with _at(_moment(today - datetime.timedelta(days=10))):
        for group in ranking(round_):
            for row in group["new"]:
                if row["within_quota"] and not row["below_pass"] and row["score"] is not None and not row["pending"]:
                    services.shortlist_add(actor=office, application_id=row["candidate"].application_id)
    with _at(_moment(met_on, hour=15)):
        services.deliberation_record(actor=leader, round_id=round_.pk, meeting_date=met_on, decision="approved",
                                     attendees="王建国（组长）、李明华、市纪委常委会委员、市委组织部、市委宣传部负责同志",
                                     notes="会议审议了市党务公开办提出的初选名单，同意按程序进行网上公示。")
    with _at(_moment(opened_on, hour=9)):
        return services.publicity_open(actor=office, round_id=round_.pk, starts_on=opened_on, ends_on=today + datetime.timedelta(days=1))


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
        # Received on a day of the running publicity (it started eight days ago), at a daytime hour.
        received_on = max(publicity.starts_on, today - datetime.timedelta(days=days_ago))
        with _at(_moment(received_on, hour=9 + index)):
            objection = services.objection_create(publicity_id=publicity.pk, content=content, entry_id=entry.pk if entry else None,
                                                  objector_name="群众" if index % 2 else "", objector_contact=contact)
        if action == "investigate":
            services.objection_investigate(actor=office, objection_id=objection.pk, note="已调阅招标公告和公开栏照片，正在核实。")
        elif action == "dismiss":
            services.objection_answer(actor=office, objection_id=objection.pk, upheld=False,
                                      reply="经核实，该单位党费收缴和使用情况每季度在支部公开栏和党员大会上公开，异议不成立。")
        elif action == "uphold":
            services.objection_answer(actor=office, objection_id=objection.pk, upheld=True,
                                      reply="经调阅原始记录并走访座谈核实，异议反映的问题属实，该单位移出初选名单。")


def _subsidies_and_stories(office):
    """R9 subsidies of the latest four city-level sites and three published R8a stories.

    The sites are picked from what never changes (plaque order, not whether a title is still active),
    and each row is keyed (payment on its site, story on its title), so a rerun adds nothing."""
    latest = Designation.objects.filter(level=Level.CITY, subsidy_amount__gt=0).order_by("-awarded_on", "plaque_number")[:4]
    for index, designation in enumerate(latest):
        if designation.status != DesignationStatus.ACTIVE:
            continue
        payment, created = SubsidyPayment.objects.get_or_create(designation=designation, defaults={"amount": designation.subsidy_amount})
        if created:
            services.subsidy_advance(actor=office, payment_id=payment.pk, state=SubsidyState.APPROVED)
            if index < 2:
                services.subsidy_advance(actor=office, payment_id=payment.pk, state=SubsidyState.PAID, voucher=f"曲财行〔{designation.awarded_on.year}〕{20 + index}号")
    sites = Designation.objects.filter(status=DesignationStatus.ACTIVE).select_related("organization").order_by("-level", "plaque_number")
    for designation, (title, body) in zip(sites[:3], STORIES):
        if CaseStory.objects.filter(title=title).exists():
            continue
        story = services.story_save(actor=office, designation_id=designation.pk, title=title, body=f"{designation.organization.name}：{body}")
        services.story_set_status(actor=office, story_id=story.pk, status=StoryStatus.PUBLISHED)


# --- the past round with a revocation (R10), seeded at its historical dates -------------------------
@contextmanager
def _at(moment):
    """Backdate rows written inside (auto_now / auto_now_add) to a historical moment: seeding past events only."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


HALF = Decimal("0.5")


def _points_adding_to(criteria, total, rng):
    """Points per criterion, in half points within 0..max, adding up to exactly `total`."""
    full = sum((c.max_points for c in criteria), Decimal(0))
    points = {}
    for c in criteria:
        share = c.max_points * total / full * Decimal(str(rng.uniform(0.95, 1.05)))
        points[c.pk] = min(c.max_points, max(Decimal(0), (share / HALF).to_integral_value() * HALF))
    rest = total - sum(points.values())
    while rest:
        step = HALF if rest > 0 else -HALF
        movable = [c for c in criteria if Decimal(0) <= points[c.pk] + step <= c.max_points]
        c = movable[int(rng.random() * len(movable))]
        points[c.pk] += step
        rest -= step
    return points


def _revoked_score(designation, pass_mark):
    """The score sites.demo wrote into the reason ("…复评得分72分…"), so records and reason agree."""
    found = re.search(r"得分(\d+(?:\.\d+)?)分", designation.revoke_reason or "")
    score = Decimal(found.group(1)) if found else pass_mark - 8
    return score if score < pass_mark else pass_mark - 8


def _past_reevaluation(office, panel, rng):
    """The round in which the first city-level title (by plaque number) was revoked gets its R10 records.

    sites.demo seeded that revocation directly (status, date, reason, audit); here the same round gets
    what the evaluation workflow would have left: the table, the re-evaluation of every site of its level
    awarded before it, a panel of three with submitted scorecards, the retained sites and the revocation
    decision (decision number, score below the pass mark, plaque recall). No title changes. Returns the
    round, or None when there is nothing to seed."""
    designation = (Designation.objects.filter(status=DesignationStatus.REVOKED, level=Level.CITY)
                   .select_related("round").order_by("plaque_number").first())
    if designation is None:
        return None
    round_ = (Round.objects.filter(level=designation.level, year=designation.revoked_on.year, status=RoundStatus.FINISHED,
                                   applications_open_on__lte=designation.revoked_on)
              .exclude(pk=designation.round_id).order_by("pk").first())
    if round_ is None or EvaluationTable.objects.filter(round=round_).exists():
        return round_
    decided_on = designation.revoked_on
    opened_on = round_.screening_close_on or round_.applications_close_on
    scored_on = decided_on - datetime.timedelta(days=40)
    members = panel[:3]
    with _at(_moment(opened_on)):
        table = services.table_create_default(actor=office, round_id=round_.pk)
        team = services.team_save(actor=office, round_id=round_.pk, name="复评考评组", member_ids=[m.pk for m in members],
                                  leader_id=members[0].pk)
    criteria = list(table.criteria.all())
    # R10: every site of the round's level awarded before it and still holding its title then.
    reevaluated = list(
        Designation.objects.filter(level=round_.level, awarded_on__lt=round_.applications_open_on)
        .exclude(round=round_).exclude(revoked_on__lt=round_.applications_open_on).order_by("plaque_number")
    )
    for site in reevaluated:
        revoked_here = site.status == DesignationStatus.REVOKED and site.revoked_on.year == round_.year
        score = _revoked_score(site, round_.pass_mark) if revoked_here else Decimal(rng.randint(168, 184)) * HALF  # 84–92
        with _at(_moment(opened_on)):
            candidate = Candidate.objects.create(
                round=round_, kind=CandidateKind.REEVALUATION, designation=site, organization_id=site.organization_id,
                jurisdiction_id=site.jurisdiction_id, team=team)
        # Three evaluators around the panel's score: the mean of their totals is exactly `score`.
        offsets = [Decimal("-1.5"), Decimal(0), Decimal("1.5")]
        rng.shuffle(offsets)
        for evaluator, offset in zip(members, offsets):
            total = score + offset
            with _at(_moment(scored_on, hour=9)):
                assignment = Assignment.objects.create(candidate=candidate, evaluator=evaluator, state=AssignmentState.DECLARED,
                                                       declared_at=timezone.now())
            with _at(_moment(scored_on, hour=16)):
                scorecard = Scorecard.objects.create(assignment=assignment, state=ScorecardState.SUBMITTED, total=total,
                                                     submitted_at=timezone.now())
                points = _points_adding_to(criteria, total, rng)
                Score.objects.bulk_create(
                    Score(scorecard=scorecard, criterion=c, points=points[c.pk], methods=c.methods[: rng.randint(1, len(c.methods))],
                          notes="公开栏内容过期，台账不全，扣分。" if revoked_here else "经查阅台账、实地察看核实。")
                    for c in criteria
                )
        with _at(_moment(decided_on)):
            if revoked_here:
                candidate.outcome = ReevaluationOutcome.REVOKED
                candidate.save(update_fields=["outcome"])
                decision_ref = f"曲党务公开办〔{round_.year}〕{12 + Revocation.objects.filter(decided_on__year=round_.year).count()}号"
                Revocation.objects.create(
                    designation=site, candidate=candidate, score=score, reason=site.revoke_reason,
                    decision_ref=decision_ref, decided_on=decided_on, plaque_recalled_on=decided_on + datetime.timedelta(days=5),
                    recorded_by=office,
                )
                # The title itself was revoked by sites.demo before this system recorded decisions (status, date,
                # reason): the decision's record is seeded under the action and data designation_revoke_with_decision
                # writes through sites.designation_revoke today, not revoked a second time.
                audit_record(actor=None, action="evaluation.designation.revoke", target=site, from_state=DesignationStatus.ACTIVE,
                             to_state=DesignationStatus.REVOKED, reason=site.revoke_reason,
                             data={"decision_ref": decision_ref, "score": str(score), "candidate": candidate.pk,
                                   "plaque_recalled_on": (decided_on + datetime.timedelta(days=5)).isoformat(),
                                   "revoked_on": decided_on.isoformat(), "seeded": True})
            else:
                services.reevaluation_retain(actor=office, candidate_id=candidate.pk)
    return round_


# --- a round in evaluation, so the demo `evaluator` has something to score -----------------------
SCORING_COUNTY = "malong"  # not 沾益区, the demo evaluator's own jurisdiction (R5)


def _scoring_round_name(year):
    return f"{year}年度马龙区县级党务公开工作示范点增补创建"


def _scoring_round(rng, office, evaluator, panel, today):
    """A county-level round of this year in the evaluation stage, for 马龙区 (one slot, two candidates
    at 2:1): the demo `evaluator` (沾益区, no conflict with 马龙区 under R5) is assigned both candidates
    and one of 马龙区's sites in the round's R10 re-evaluation queue, and has declared and scored none of
    them; two other evaluators of the team have submitted theirs. Keyed on its name: None when it exists."""
    name = _scoring_round_name(today.year)
    if Round.objects.filter(name=name).exists():
        return None
    places = {j.code: j for j in Jurisdiction.objects.filter(code__in=["city", SCORING_COUNTY])}
    county = places[SCORING_COUNTY]
    round_ = site_services.round_save(actor=office, round_id=None, values=dict(
        name=name, year=today.year, level=Level.COUNTY, organizer=places["city"], ratio=2,
        applications_open_on=today - datetime.timedelta(days=60), applications_close_on=today - datetime.timedelta(days=25),
        screening_close_on=today - datetime.timedelta(days=20), pass_mark=Decimal(80),
        description="马龙区本年度增补创建县级示范点1个，按2:1比例推荐，由考评组实地考评。",
    ))
    site_services.quota_set(actor=office, round_id=round_.pk, jurisdiction_id=county.pk, slots=1)
    # Units that never held a title and never applied elsewhere (seeded like the city round's applications).
    busy = set(Application.objects.values_list("organization_id", flat=True)) | set(Designation.objects.values_list("organization_id", flat=True))
    pool = sorted(Organization.objects.filter(jurisdiction=county, is_active=True).exclude(pk__in=busy).values_list("pk", flat=True))
    county_office = demo_user(SCORING_COUNTY)
    for org_id in rng.sample(pool, min(len(pool), 2)):
        Application.objects.create(
            round=round_, organization_id=org_id, jurisdiction=county, state=ApplicationState.RECOMMENDED,
            summary="本单位建立党务公开目录，按月集中公开，群众评价较好，申请增补为县级示范点。", contact_name="刘芳", contact_phone="0874-8812000",
            created_by=county_office, submitted_at=timezone.now(), decided_at=timezone.now(), decision_reason="材料齐全，同意推荐。",
        )
    for status in (RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.EVALUATING):
        site_services.round_set_status(actor=office, round_id=round_.pk, status=status)
    table = services.table_create_default(actor=office, round_id=round_.pk)
    services.candidates_sync(actor=office, round_id=round_.pk)  # R10: the level's active sites join the queue too
    team = services.team_save(actor=office, round_id=round_.pk, name="马龙区考评组", member_ids=[evaluator.pk, panel[0].pk, panel[1].pk],
                              leader_id=panel[0].pk)
    new = list(Candidate.objects.filter(round=round_, kind=CandidateKind.NEW).order_by("pk"))
    site = Candidate.objects.filter(round=round_, kind=CandidateKind.REEVALUATION, jurisdiction=county).order_by("designation__plaque_number").first()
    for candidate in [*new, *([site] if site else [])]:
        services.candidate_assign_team(actor=office, candidate_id=candidate.pk, team_id=team.pk)
        level = rng.uniform(0.82, 0.93)
        for person in panel[:2]:
            assignment = Assignment.objects.get(candidate=candidate, evaluator=person)
            services.assignment_declare(actor=person, assignment_id=assignment.pk, conflict=False)
            services.scorecard_save(actor=person, assignment_id=assignment.pk, scores=_scores(table, rng, level))
            services.scorecard_submit(actor=person, assignment_id=assignment.pk)
    for candidate in new:
        ballots, dissatisfied, basic = rng.randint(30, 50), rng.randint(0, 3), rng.randint(3, 8)
        services.democratic_record(actor=office, candidate_id=candidate.pk, held_on=today - datetime.timedelta(days=10),
                                   satisfied=ballots - basic - dissatisfied, basically_satisfied=basic, dissatisfied=dissatisfied)
        services.inspection_record(actor=office, organization_id=candidate.organization_id, kind="daily",
                                   inspected_on=today - datetime.timedelta(days=rng.randint(30, 90)), findings="公开栏按月更新，台账基本完整。",
                                   rating=rng.choice(["good", "excellent"]), inspectors="马龙区党务公开办")
    return round_


def _county_emails():
    """Demo county offices get an e-mail address, so the notifications of the rounds (listed, awarded,
    revoked: console backend by default) show on the console. Only blank addresses are filled."""
    for user in get_user_model().objects.filter(role=Role.COUNTY, email=""):
        user.email = f"{user.username}@qujing.example.cn"
        user.save(update_fields=["email"])


def load(*, stdout=None):
    rng = random.Random(SEED)
    today = timezone.localdate()
    office, leader, evaluator = demo_user("office"), demo_user("leader"), demo_user("evaluator")
    round_ = publicity = None
    with transaction.atomic():
        _county_emails()
        panel = _evaluators()
        _subsidies_and_stories(office)
        past = _past_reevaluation(office, panel, random.Random(SEED - 6))
        if not Round.objects.filter(name=_round_name(today.year)).exists():
            with _at(_moment(today - datetime.timedelta(days=12))):  # evaluated some days before its publicity
                round_, table, team_a = _build_round(rng, office, leader, evaluator, panel, today)
                _evaluate(round_, table, team_a, rng, office, evaluator, panel)
                _decide_reevaluations(round_, office)
            publicity = _shortlist_and_publish(round_, office, leader, today)
            _objections(publicity, office, today)
        scoring = _scoring_round(random.Random(SEED + 1), office, evaluator, panel, today)
    if stdout is None:
        return
    if round_ is None and scoring is None:
        stdout.write("考评演示数据已存在，未作改动。")
        return
    if round_ is not None:
        stdout.write(
            f"考评：{round_.name} 公示中（{publicity.starts_on}—{publicity.ends_on}），考评对象 {Candidate.objects.filter(round=round_).count()} 个，"
            f"公示异议 {Objection.objects.filter(publicity=publicity).count()} 件；考评人员账号 pingshen1—pingshen5，密码 {DEMO_PASSWORD}。"
        )
    if scoring is not None:
        waiting = Assignment.objects.filter(candidate__round=scoring, evaluator=evaluator).count()
        stdout.write(f"评分：{scoring.name} 考评中，考评人员 evaluator 有 {waiting} 个待评分的考评对象。")
    if past is not None and round_ is not None:
        stdout.write(f"复评撤销示例：{past.name}（复评 {Candidate.objects.filter(round=past).count()} 个，"
                     f"撤销 {Revocation.objects.filter(candidate__round=past).count()} 个）。")
