"""Demo data for the disclosure work (run by `manage.py load_demo` after the sites demo).

For every active organisation: carriers, a catalogue of seven entries, and a year of items with
realistic compliance (most on time, some late, a few missed or breached), then the 11th-day checks
for those months (findings), rectification notices in every state, exemptions, feedback in every
state and satisfaction ratings. The history before today is seeded directly (it predates the
system, like the sites demo's past rounds); the demo unit's current items go through the services,
so their procedure and audit are real. Idempotent: a second run finds the catalogues and stops.
"""
import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.models import Role, User
from sites.models import Organization

from . import dates, jobs, services
from .enums import (
    Cadence,
    CarrierKind,
    ExemptionState,
    FeedbackState,
    FindingKind,
    FindingState,
    Form,
    ItemState,
    RectificationState,
    Satisfaction,
    Scope,
    TimeType,
)
from .models import (
    Carrier,
    CatalogueEntry,
    Category,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
    SatisfactionRating,
)

SEED = 2013
UNIT_ORGANIZATION = ("qilin", "麒麟区南宁街道白石江社区党委")
# (category code, title, scope, forms, time type, cadence)
CATALOGUE = [
    ("sanzhong-yida", "“三重一大”事项决策及执行情况", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE], TimeType.STAGED, Cadence.QUARTERLY),
    ("important-reports", "重要情况通报", Scope.EXTERNAL, [Form.BOARD, Form.SOCIAL], TimeType.STAGED, Cadence.MONTHLY),
    ("party-dues", "党费收缴、使用和管理情况", Scope.INTERNAL, [Form.MEETING, Form.BRIEFING], TimeType.STAGED, Cadence.MONTHLY),
    ("organisation-building", "“三会一课”及主题党日开展情况", Scope.INTERNAL, [Form.ORG_LIFE, Form.MEETING], TimeType.STAGED, Cadence.QUARTERLY),
    ("member-recruitment", "发展党员公示", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE], TimeType.PROMPT, Cadence.AS_NEEDED),
    ("public-service", "为民服务事项及办事指南", Scope.EXTERNAL, [Form.BOARD, Form.HANDBOOK], TimeType.LONG_TERM, Cadence.YEARLY),
    ("integrity", "党风廉政建设责任制落实情况", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE], TimeType.STAGED, Cadence.HALF_YEARLY),
]
CONTENT = {
    "sanzhong-yida": "经支委会研究决定：{month}召开会议研究了年度重点工作安排、专项资金使用等事项，表决情况及执行进度如下。",
    "important-reports": "{month}重要情况通报：传达学习上级会议精神，通报本单位重点工作推进情况。",
    "party-dues": "{month}党费收缴情况：应缴党员人数、实缴人数、收缴金额及上缴情况。",
    "organisation-building": "{month}“三会一课”开展情况：召开支部党员大会、支委会和党小组会，讲授党课。",
    "member-recruitment": "拟将同志列为发展对象，现予公示。公示期间如有意见，请向党组织反映。",
    "public-service": "为民服务事项清单、办理流程、办理时限和联系电话。",
    "integrity": "{month}党风廉政建设责任制落实情况：责任清单、廉政风险防控、作风建设开展情况。",
}
FEEDBACK_TEXTS = [
    "建议公开栏增加照明，晚上看不清。", "党费收缴情况能否在微信公众号上同步公开？", "为民服务事项的联系电话打不通。",
    "希望公开材料字体大一些，方便老年人阅读。", "发展党员公示期间应在村小组也张贴。", "建议把专项资金使用明细公开得更具体。",
]
ANSWERS = ["感谢您的建议，已采纳并落实。", "已核实，相关信息已在公众号同步发布。", "联系电话已更新，欢迎来电咨询。"]


def _profile(rng):
    """(on time, late) probabilities of one organisation: most are diligent, a few are not."""
    roll = rng.random()
    if roll < 0.85:
        return 0.975, 0.02
    if roll < 0.97:
        return 0.85, 0.1
    return 0.6, 0.25


def _aware(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _author():
    return User.objects.filter(role=Role.MUNICIPAL).order_by("id").first()


def load(*, stdout=None):
    if CatalogueEntry.objects.exists():
        if stdout is not None:
            stdout.write(_("党务公开：演示数据已存在，跳过。"))
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    organizations = list(Organization.objects.filter(is_active=True).select_related("jurisdiction").order_by("id"))
    categories = {c.code: c for c in Category.objects.all()}
    author = _author()
    with transaction.atomic():
        carriers, entries = _catalogues(organizations, categories, today)
        _history(rng, organizations, entries, carriers, author, today)
        for month in dates.last_months(today, 12):
            if today > dates.window_end(month):
                jobs.check_missed_entries(today=today, month=month)
        _breaches_and_rectifications(rng, author, today)
        _exemptions(rng, organizations, author, today)
        _feedback(rng, organizations, author, today)
        jobs.record_overdue_feedback(today=today)
        _ratings(rng, organizations, today)
        jobs.send_exemption_reminders(today=today)
    _unit_workflow(today)
    if stdout is not None:
        stdout.write(
            _("党务公开：目录条目 %(entries)d 条，公开事项 %(items)d 项（正在公开 %(shown)d 项），检查发现问题 %(findings)d 个，"
              "意见建议 %(feedback)d 条，满意度评价 %(ratings)d 条。")
            % {"entries": CatalogueEntry.objects.count(), "items": Item.objects.count(),
               "shown": Item.objects.filter(state=ItemState.PUBLISHED).count(), "findings": Finding.objects.count(),
               "feedback": Feedback.objects.count(), "ratings": SatisfactionRating.objects.count()}
        )


def _catalogues(organizations, categories, today):
    carriers = Carrier.objects.bulk_create([
        Carrier(organization=o, jurisdiction_id=o.jurisdiction_id, kind=kind, name=name, location=location, url=url,
                maintainer=_("党务公开专干"))
        for o in organizations
        for kind, name, location, url in (
            (CarrierKind.BOARD, _("党务公开栏"), o.address or _("办公楼一楼大厅"), ""),
            (CarrierKind.WEB_PAGE, _("党务公开网页专栏"), "", f"https://dwgk.qj.example.cn/org/{o.pk}/"),
        )
    ])
    by_org = {}
    for carrier in carriers:
        by_org.setdefault(carrier.organization_id, []).append(carrier)
    entries = CatalogueEntry.objects.bulk_create([
        CatalogueEntry(organization=o, jurisdiction_id=o.jurisdiction_id, category=categories[code], title=title,
                       scope=scope, forms=list(forms), time_type=time_type, cadence=cadence)
        for o in organizations
        for code, title, scope, forms, time_type, cadence in CATALOGUE
    ])
    # The catalogues predate the year of history (the 11th check ignores entries created later).
    CatalogueEntry.objects.update(created_at=_aware(dates.add_months(today, -13)))
    through = CatalogueEntry.carriers.through
    through.objects.bulk_create([
        through(catalogueentry_id=e.pk, carrier_id=c.pk)
        for e in entries if e.scope == Scope.EXTERNAL for c in by_org[e.organization_id]
    ])
    return by_org, entries


def _history(rng, organizations, entries, carriers, author, today):
    profiles = {o.pk: _profile(rng) for o in organizations}
    months = dates.last_months(today, 12)
    items = []
    for entry in entries:
        on_time_p, late_p = profiles[entry.organization_id]
        code = CATALOGUE[[c[1] for c in CATALOGUE].index(entry.title)][0]
        if entry.time_type == TimeType.LONG_TERM:
            # Long-term, renewed each January (its cadence): the current version was published then.
            january = next(m for m in months if m.month == 1)
            day = january.replace(day=rng.randint(1, 10))
            items.append(_item(entry, code, day, day, None, today, long_term=True))
            continue
        if entry.time_type == TimeType.PROMPT:
            for _n in range(rng.randint(0, 2)):
                day = months[rng.randrange(len(months))] + datetime.timedelta(days=rng.randint(0, 27))
                if day < today:
                    items.append(_item(entry, code, day, day, day + datetime.timedelta(days=rng.randint(15, 20)), today,
                                       prompt=True))
            continue
        for month in months:
            if not dates.entry_due_in(entry.cadence, month):
                continue
            if month == dates.first_of_month(today) and today.day <= dates.window_days()[1]:
                continue  # the running window: left to the demo users
            roll = rng.random()
            publish_on = month.replace(day=rng.randint(1, 10))
            if roll < on_time_p:
                published_on = publish_on
            elif roll < on_time_p + late_p:
                published_on = month.replace(day=rng.randint(11, 25))
            else:
                continue  # missed: the 11th check will record it
            if published_on > today:
                continue
            items.append(_item(entry, code, publish_on, published_on,
                               published_on + datetime.timedelta(days=rng.randint(15, 30)), today))
    for item in items:
        item.created_by = author
    Item.objects.bulk_create(items, batch_size=2000)
    through = Item.carriers.through
    shown = Item.objects.filter(scope=Scope.EXTERNAL).values_list("id", "organization_id")
    through.objects.bulk_create(
        [through(item_id=pk, carrier_id=carriers[org][0].pk) for pk, org in shown], batch_size=5000
    )


def _item(entry, code, publish_on, published_on, display_until, today, *, prompt=False, long_term=False):
    month = f"{published_on.year}年{published_on.month}月"
    end = dates.effective_display_end(published_on, display_until)
    state = ItemState.ARCHIVED if end is not None and today > end else ItemState.PUBLISHED
    return Item(
        organization_id=entry.organization_id, jurisdiction_id=entry.jurisdiction_id, entry=entry,
        title=f"{month}{entry.title}" if not (prompt or long_term) else entry.title,
        content=CONTENT[code].format(month=month), field=entry.field, scope=entry.scope, forms=entry.forms,
        time_type=entry.time_type, publish_on=publish_on, display_until=display_until,
        due_by=dates.due_by(publish_on, prompt=prompt), state=state, published_on=published_on,
        published_at=_aware(published_on), ended_on=(end + datetime.timedelta(days=1)) if state == ItemState.ARCHIVED else None,
        check_content=True, check_scope=True, check_form=True, check_timing=True,
        reviewed_at=_aware(publish_on - datetime.timedelta(days=3)),
        inspection_result="passed" if published_on.day % 3 == 0 else "",
    )


def _breaches_and_rectifications(rng, author, today):
    # A few display breaches found by inspectors (R17): boards cleared before 15 days.
    external = list(Item.objects.filter(scope=Scope.EXTERNAL, state=ItemState.ARCHIVED).order_by("id")
                    .values_list("id", "organization_id", "jurisdiction_id", "published_on"))
    for pk, org, jur, published_on in rng.sample(external, min(12, len(external))):
        Finding.objects.create(
            organization_id=org, jurisdiction_id=jur, kind=FindingKind.DISPLAY_BREACH, item_id=pk,
            period=dates.first_of_month(published_on), created_by=author,
            description=_("检查发现该事项公开不足15天即从公开栏撤下（R17）。"),
        )
    findings = list(Finding.objects.filter(state=FindingState.OPEN).order_by("id"))
    rng.shuffle(findings)
    states = [RectificationState.ISSUED, RectificationState.ISSUED, RectificationState.REPORTED,
              RectificationState.RETURNED, RectificationState.CLOSED, RectificationState.CLOSED]
    for n, finding in enumerate(findings[: max(1, len(findings) // 3)]):
        state = states[n % len(states)]
        overdue = n % 5 == 1
        deadline = today + datetime.timedelta(days=-7 if overdue else 20)
        Rectification.objects.create(
            finding=finding, organization_id=finding.organization_id, jurisdiction_id=finding.jurisdiction_id,
            requirement=_("请于期限内补充公开并报告整改情况，同时完善公开台账。"), deadline=deadline, state=state,
            report=_("已补充公开并拍照留存，完善了公开台账。") if state != RectificationState.ISSUED else "",
            reported_at=timezone.now() if state != RectificationState.ISSUED else None,
            check_note=_("照片不清晰，请补充。") if state == RectificationState.RETURNED else "",
            closed_on=today - datetime.timedelta(days=2) if state == RectificationState.CLOSED else None,
            issued_by=author,
        )
        finding.state = FindingState.NOTICE_ISSUED
        finding.save(update_fields=["state"])


def _exemptions(rng, organizations, author, today):
    reasons = [("涉及个人隐私的信访举报处理情况", "涉及个人隐私"), ("尚在调查中的违纪问题线索", "正在调查，过早公开可能影响调查"),
               ("涉密文件传达情况", "涉及国家秘密")]
    rows = []
    for o in rng.sample(organizations, max(1, len(organizations) // 8)):
        title, reason = rng.choice(reasons)
        approved_on = today - datetime.timedelta(days=rng.randint(30, 300))
        review_by = today + datetime.timedelta(days=rng.randint(-10, 120))
        state = rng.choice([ExemptionState.ACTIVE, ExemptionState.ACTIVE, ExemptionState.ACTIVE, ExemptionState.RELEASED])
        rows.append(Exemption(organization=o, jurisdiction_id=o.jurisdiction_id, title=title, reason=reason,
                              basis=_("《中国共产党党务公开条例（试行）》第十条"), approver=_("党组织书记"),
                              approved_on=approved_on, review_by=max(review_by, approved_on), state=state,
                              created_by=author))
    Exemption.objects.bulk_create(rows)


def _feedback(rng, organizations, author, today):
    from qujing_disclosure.core.workdays import load_calendar

    calendar = load_calendar()
    rows = []
    for o in rng.sample(organizations, max(1, len(organizations) // 3)):
        for _n in range(rng.randint(1, 3)):
            received = today - datetime.timedelta(days=rng.randint(0, 60))
            deadline = calendar.add_working_days(received, 5).due
            kind = rng.choice(["open", "handling", "answered", "answered", "answered", "late"])
            state, answered_on, answer = FeedbackState.RECEIVED, None, ""
            if kind == "handling":
                state = FeedbackState.HANDLING
            elif kind in ("answered", "late"):
                answered_on = min(today, deadline if kind == "answered" else deadline + datetime.timedelta(days=4))
                if answered_on < received:
                    answered_on = received
                state, answer = FeedbackState.ANSWERED, rng.choice(ANSWERS)
            rows.append(Feedback(code=services._new_code(), organization=o, jurisdiction_id=o.jurisdiction_id,
                                 content=rng.choice(FEEDBACK_TEXTS), name=rng.choice(["", "王先生", "李女士", "群众"]),
                                 received_on=received, state=state, answer=answer, answered_on=answered_on,
                                 answered_at=_aware(answered_on) if answered_on else None))
    Feedback.objects.bulk_create(rows)


def _ratings(rng, organizations, today):
    rows = []
    for o in organizations:
        weights = rng.choice([(80, 17, 3), (70, 25, 5), (50, 35, 15)])
        for month in dates.last_months(today, 6):
            for n in range(rng.randint(3, 12)):
                rating = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED], weights)[0]
                rows.append(SatisfactionRating(
                    organization=o, jurisdiction_id=o.jurisdiction_id, month=month, rating=rating,
                    voter_hash=hashlib.sha256(f"demo-{o.pk}-{month}-{n}".encode()).hexdigest(),
                ))
    SatisfactionRating.objects.bulk_create(rows, batch_size=5000)


def _unit_workflow(today):
    """The demo unit's current work, through the services: one item in each early state."""
    unit = Organization.objects.filter(jurisdiction__code=UNIT_ORGANIZATION[0], name=UNIT_ORGANIZATION[1]).first()
    user = User.objects.filter(username="unit").first()
    office = User.objects.filter(username=UNIT_ORGANIZATION[0]).first()
    if unit is None or user is None or office is None:
        return
    entry = CatalogueEntry.objects.filter(organization=unit, title=CATALOGUE[1][1]).first()
    publish_on = dates.next_valid_publish_date(today + datetime.timedelta(days=1))
    display_until = publish_on + datetime.timedelta(days=20)
    month = f"{publish_on.year}年{publish_on.month}月"

    def draft(title):
        return services.item_create(actor=user, entry_id=entry.pk, title=f"{month}{title}", content=CONTENT["important-reports"].format(month=month),
                                    publish_on=publish_on, display_until=display_until)

    draft("重要情况通报（拟稿）")
    submitted = draft("重要情况通报（待初审）")
    services.item_submit(actor=user, item_id=submitted.pk)
    reviewed = draft("重点工作推进情况（待审查）")
    services.item_submit(actor=user, item_id=reviewed.pk)
    services.item_initial_review(actor=user, item_id=reviewed.pk, approve=True, check_content=True, check_scope=True,
                                 check_form=True, check_timing=True)
    approved = draft("社区议事协商情况（待发布）")
    services.item_submit(actor=user, item_id=approved.pk)
    services.item_initial_review(actor=user, item_id=approved.pk, approve=True, check_content=True, check_scope=True,
                                 check_form=True, check_timing=True)
    services.item_review(actor=office, item_id=approved.pk, approve=True, reason=_("同意公开。"))
    returned = draft("专项资金使用情况（退回）")
    services.item_submit(actor=user, item_id=returned.pk)
    services.item_initial_review(actor=user, item_id=returned.pk, approve=False, reason=_("金额需与财务台账核对后再提交。"))
