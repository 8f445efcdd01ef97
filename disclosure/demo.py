"""Demo data for the disclosure work (run by `manage.py load_demo` after the sites demo).

For every active organisation: carriers, a catalogue of entries, and a year of items with realistic
compliance (most on time, some late, a few missed or breached), the 11th-day checks for those months
(findings), rectification notices in every state, exemptions, feedback in every state and
satisfaction ratings.

Every change is written through the production services, jobs and audit action names, so demo pages
read like real ones. The year before today is replayed as the system would have lived it, each step
at its own moment (`_at`, as the sites demo does for its past rounds), with `actor=None` (written as the
system) for organisations that have no demo account: every day of the year the beat jobs themselves
publish what is due (R16, through the one publishing function), archive what has ended (R17) and, on
the 11th, record missed entries; items approved late are reviewed through `item_review` and so
published in a later window; findings and rectification notices go through `finding_record` and the
rectification services, reports and send-backs in order; the public's feedback through the public
service, answered through the organisation's. What predates the system, or what the services only keep
as records, is bulk-written: the catalogues and carriers (the demo unit keeps its own through the
services), the items as approved before the year began, proof of publication and inspection marks,
attachments, the exemptions of organisations without a demo account (only an organisation's own
account files one) and ratings (hashed with the service's `phone_hash`). The demo unit's current work
goes through the services with its own account. Idempotent: a second run finds the catalogues and stops.
"""
import contextlib
import datetime
import random
from unittest import mock

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.audit import audit_context
from qujing_disclosure.core.models import Role, User
from qujing_disclosure.core.workdays import load_calendar
from sites.models import Organization

from . import dates, jobs, services
from .enums import (
    Cadence,
    CarrierKind,
    EvidenceKind,
    ExemptionState,
    Field,
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
    Attachment,
    Carrier,
    CatalogueEntry,
    Category,
    Evidence,
    Exemption,
    Feedback,
    Finding,
    Item,
    SatisfactionRating,
)

SEED = 2013
UNIT_ORGANIZATION = ("qilin", "麒麟区南宁街道白石江社区党委")
# (key, category code, title, scope, forms, time type, cadence, field): every organisation's catalogue.
CATALOGUE = [
    ("sanzhong-yida", "sanzhong-yida", "“三重一大”事项决策及执行情况", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE],
     TimeType.STAGED, Cadence.QUARTERLY, Field.PARTY),
    ("important-reports", "important-reports", "重要情况通报", Scope.EXTERNAL, [Form.BOARD, Form.SOCIAL, Form.SCREEN],
     TimeType.STAGED, Cadence.MONTHLY, Field.PARTY),
    ("party-dues", "party-dues", "党费收缴、使用和管理情况", Scope.INTERNAL, [Form.MEETING, Form.BRIEFING],
     TimeType.STAGED, Cadence.MONTHLY, Field.PARTY),
    ("organisation-building", "organisation-building", "“三会一课”及主题党日开展情况", Scope.INTERNAL,
     [Form.ORG_LIFE, Form.MEETING], TimeType.STAGED, Cadence.QUARTERLY, Field.PARTY),
    ("member-recruitment", "member-recruitment", "发展党员公示", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE],
     TimeType.PROMPT, Cadence.AS_NEEDED, Field.PARTY),
    # R12 统筹兼顾: service disclosure (办事公开) in the same catalogue.
    ("public-service", "public-service", "为民服务事项及办事指南", Scope.EXTERNAL, [Form.BOARD, Form.HANDBOOK, Form.KIOSK],
     TimeType.LONG_TERM, Cadence.YEARLY, Field.SERVICE),
    ("integrity", "integrity", "党风廉政建设责任制落实情况", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE],
     TimeType.STAGED, Cadence.HALF_YEARLY, Field.PARTY),
]
# Lines some organisations add (R12 统筹兼顾: government, judicial and service disclosure; R15 repeated items).
GOVERNMENT = ("government-budget", "other", "财政预算决算及“三公”经费情况", Scope.EXTERNAL, [Form.WEBSITE, Form.BOARD],
              TimeType.STAGED, Cadence.YEARLY, Field.GOVERNMENT)
JUDICIAL = ("judicial-services", "public-service", "法律援助、人民调解和公证办理情况", Scope.EXTERNAL,
            [Form.BOARD, Form.WEBSITE, Form.SCREEN], TimeType.STAGED, Cadence.QUARTERLY, Field.JUDICIAL)
HOSPITAL = ("medical-prices", "public-service", "医疗服务项目及收费标准", Scope.EXTERNAL, [Form.BOARD, Form.SCREEN],
            TimeType.LONG_TERM, Cadence.YEARLY, Field.SERVICE)
SERIES = ("major-project", "sanzhong-yida", "重大项目建设进展情况（多次公开）", Scope.EXTERNAL, [Form.BOARD, Form.WEBSITE],
          TimeType.REPEATED, Cadence.AS_NEEDED, Field.PARTY)
SERIES_STAGES = ["立项及资金安排情况", "招标及施工进展情况", "竣工验收及资金使用情况"]
# Which carrier shows which form of disclosure (R13).
FORM_CARRIER = {Form.BOARD: CarrierKind.BOARD, Form.WEBSITE: CarrierKind.WEB_PAGE, Form.SCREEN: CarrierKind.SCREEN,
                Form.KIOSK: CarrierKind.KIOSK, Form.SOCIAL: CarrierKind.ACCOUNT, Form.SMS: CarrierKind.SMS}
EVIDENCE_OF = {CarrierKind.BOARD: (EvidenceKind.PHOTO, "公开栏张贴照片已存档"),
               CarrierKind.WEB_PAGE: (EvidenceKind.SCREENSHOT, "网页专栏截图已存档"),
               CarrierKind.SCREEN: (EvidenceKind.PHOTO, "显示屏滚动播放照片已存档"),
               CarrierKind.KIOSK: (EvidenceKind.PHOTO, "信息岛页面照片已存档"),
               CarrierKind.ACCOUNT: (EvidenceKind.SCREENSHOT, "公众号推文截图已存档")}
CONTENT = {
    "sanzhong-yida": "经支委会研究决定：{month}召开会议研究了年度重点工作安排、专项资金使用等事项，表决情况及执行进度如下。",
    "important-reports": "{month}重要情况通报：传达学习上级会议精神，通报本单位重点工作推进情况。",
    "party-dues": "{month}党费收缴情况：应缴党员人数、实缴人数、收缴金额及上缴情况。",
    "organisation-building": "{month}“三会一课”开展情况：召开支部党员大会、支委会和党小组会，讲授党课。",
    "member-recruitment": "拟将同志列为发展对象，现予公示。公示期间如有意见，请向党组织反映。",
    "public-service": "为民服务事项清单、办理流程、办理时限和联系电话。",
    "integrity": "{month}党风廉政建设责任制落实情况：责任清单、廉政风险防控、作风建设开展情况。",
    "government-budget": "{month}公开本单位年度财政预算、决算及“三公”经费支出情况，详见附表。",
    "judicial-services": "{month}法律援助受理、人民调解案件办理和公证业务办理情况及办事流程。",
    "medical-prices": "医疗服务项目、药品和医用耗材价格及收费标准，接受群众监督。",
    "major-project": "{month}重大项目建设情况：项目名称、资金来源、实施进度和下一步安排。",
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


@contextlib.contextmanager
def _at(day, hour=9):
    """Live through `day` at `hour` China time: the clock, auto_now(_add) stamps and audit rows read it."""
    with mock.patch("django.utils.timezone.now", return_value=_aware(day, hour)):
        yield


def _author():
    return User.objects.filter(role=Role.MUNICIPAL).order_by("id").first()


def load(*, stdout=None):
    if CatalogueEntry.objects.exists():
        if stdout is not None:
            stdout.write(_("党务公开：演示数据已存在，跳过。"))
        return
    rng = random.Random(SEED)
    today = clock.today()
    organizations = list(Organization.objects.filter(is_active=True).select_related("jurisdiction").order_by("id"))
    categories = {c.code: c.pk for c in Category.objects.all()}
    author = _author()
    unit = Organization.objects.filter(jurisdiction__code=UNIT_ORGANIZATION[0], name=UNIT_ORGANIZATION[1]).first()
    unit_id = unit.pk if unit else None
    with transaction.atomic(), audit_context():
        carriers, entries, keys = _catalogues(rng, organizations, categories, today, unit_id)
        late = _history(rng, organizations, entries, keys, author, today)
        _replay_the_year(late, today)
        _inspections(carriers, author)
        _attachments(rng, unit_id, author)
        _breaches_and_rectifications(rng, author, today)
        _exemptions(rng, organizations, author, today)
        _feedback(rng, organizations, today)
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


def _carrier_specs(rng, o, unit):
    """(kind, name, location, url, handle) of one organisation's carriers: a board and a web page for all,
    screens, kiosks and WeChat accounts for some (the demo unit has every kind). R12: each with what locates it."""
    specs = [
        (CarrierKind.BOARD, "党务公开栏", o.address or "办公楼一楼大厅", "", ""),
        (CarrierKind.WEB_PAGE, "党务公开网页专栏", "", f"https://dwgk.qj.example.cn/org/{o.pk}/", ""),
    ]
    if unit or (o.sector in ("机关", "医院", "学校") and rng.random() < 0.6):
        specs.append((CarrierKind.SCREEN, "大厅电子显示屏", "一楼办事大厅", "", ""))
    if unit or (o.sector in ("村（社区）", "乡镇（街道）") and rng.random() < 0.5):
        specs.append((CarrierKind.KIOSK, "党群服务中心信息岛", "党群服务中心门口", "", ""))
    if unit or rng.random() < 0.55:
        specs.append((CarrierKind.ACCOUNT, "微信公众号", "", "", f"qjdwgk{o.pk:04d}"))
    return specs


def _extra_lines(rng, o, unit):
    lines = []
    if o.sector == "机关" and any(word in o.name for word in ("局", "政府", "委员会")):
        lines.append(GOVERNMENT)
    if "司法局" in o.name:
        lines.append(JUDICIAL)
    if o.sector == "医院":
        lines.append(HOSPITAL)
    if unit or rng.random() < 0.12:
        lines.append(SERIES)
    return lines


def _catalogues(rng, organizations, categories, today, unit_id):
    """Every organisation's carriers and catalogue (R12, R13), kept since 13 months ago: the catalogues
    predate the year of history (the 11th check ignores later entries). The demo unit keeps its own
    through the services with its account; the other organisations' catalogues are records kept before
    the system (several thousand rows: through the services one by one they would make the demo slow)."""
    unit_user = User.objects.filter(username="unit", organization_id=unit_id).first() if unit_id else None
    by_org, entries, keys = {}, [], {}
    lines = {o.pk: [*CATALOGUE, *_extra_lines(rng, o, o.pk == unit_id)] for o in organizations}
    specs = {o.pk: _carrier_specs(rng, o, o.pk == unit_id) for o in organizations}
    with _at(dates.add_months(today, -13)):
        for carrier in Carrier.objects.bulk_create([
            Carrier(organization=o, jurisdiction_id=o.jurisdiction_id, kind=kind, name=name, location=location,
                    url=url, handle=handle, maintainer="党务公开专干")
            for o in organizations if not (unit_user and o.pk == unit_id)
            for kind, name, location, url, handle in specs[o.pk]
        ]):
            by_org.setdefault(carrier.organization_id, []).append(carrier)
        if unit_user:
            by_org[unit_id] = [
                services.carrier_create(actor=unit_user, organization_id=unit_id, kind=kind, name=name,
                                        location=location, url=url, handle=handle, maintainer="党务公开专干")
                for kind, name, location, url, handle in specs[unit_id]
            ]
        planned = []
        for o in organizations:
            for key, category, title, scope, forms, time_type, cadence, field in lines[o.pk]:
                carrier_ids = []
                if scope == Scope.EXTERNAL:
                    kinds = {FORM_CARRIER[form] for form in forms if form in FORM_CARRIER}
                    mine = by_org[o.pk]
                    carrier_ids = [c.pk for c in mine if c.kind in kinds] or [mine[0].pk]
                values = {"category_id": categories[category], "title": title, "scope": scope, "forms": list(forms),
                          "time_type": time_type, "cadence": cadence, "field": field}
                if unit_user and o.pk == unit_id:
                    entry = services.entry_create(actor=unit_user, organization_id=o.pk, carrier_ids=carrier_ids,
                                                  **values)
                    entries.append(entry)
                    keys[entry.pk] = key
                else:
                    planned.append((CatalogueEntry(organization=o, jurisdiction_id=o.jurisdiction_id, **values),
                                    key, carrier_ids))
        created = CatalogueEntry.objects.bulk_create([entry for entry, _key, _ids in planned])
    through = CatalogueEntry.carriers.through
    through.objects.bulk_create([through(catalogueentry_id=entry.pk, carrier_id=carrier_id)
                                 for entry, (_e, _key, ids) in zip(created, planned, strict=True) for carrier_id in ids])
    for entry, (_e, key, _ids) in zip(created, planned, strict=True):
        entries.append(entry)
        keys[entry.pk] = key
    return by_org, entries, keys


def _history(rng, organizations, entries, keys, author, today):
    """The year's items, as the organisations had them approved before it began (a plan: the publication
    itself is replayed). Returns {day: [item ids]} of the items approved late, on the day they were."""
    profiles = {o.pk: _profile(rng) for o in organizations}
    months = dates.last_months(today, 12)
    items, late = [], {}
    series_entries = []
    for entry in entries:
        on_time_p, late_p = profiles[entry.organization_id]
        code = keys[entry.pk]
        if entry.time_type == TimeType.REPEATED:
            series_entries.append(entry)
            continue
        if entry.time_type == TimeType.LONG_TERM:
            # Long-term, renewed each January (its cadence): the current version was published then.
            january = next(m for m in months if m.month == 1)
            day = january.replace(day=rng.randint(1, 10))
            items.append(_item(entry, code, day, None, long_term=True))
            continue
        if entry.time_type == TimeType.PROMPT:
            for _n in range(rng.randint(0, 2)):
                day = months[rng.randrange(len(months))] + datetime.timedelta(days=rng.randint(0, 27))
                if day < today:
                    items.append(_item(entry, code, day, day + datetime.timedelta(days=rng.randint(15, 20)),
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
                # Approved only after its window (R16): published in the next one, counted late.
                published_on = dates.add_months(month, 1).replace(day=rng.randint(1, 10))
            else:
                continue  # missed: the 11th check will record it
            if published_on > today:
                continue
            item = _item(entry, code, publish_on, published_on + datetime.timedelta(days=rng.randint(15, 30)))
            if published_on != publish_on:
                item.state, item.reviewed_at = ItemState.INITIAL_APPROVED, None
                item.late_review = published_on
            items.append(item)
    for item in items:
        item.created_by = author
    created = Item.objects.bulk_create(items, batch_size=2000)
    for item in created:
        if getattr(item, "late_review", None):
            late.setdefault(item.late_review, []).append(item.pk)
    _series(rng, series_entries, keys, author, today)
    through = Item.carriers.through
    links = {}
    for entry_id, carrier_id in CatalogueEntry.carriers.through.objects.values_list("catalogueentry_id", "carrier_id"):
        links.setdefault(entry_id, []).append(carrier_id)
    shown = Item.objects.filter(scope=Scope.EXTERNAL).values_list("id", "entry_id")
    through.objects.bulk_create(
        [through(item_id=pk, carrier_id=carrier) for pk, entry_id in shown for carrier in links.get(entry_id, [])],
        batch_size=5000,
    )
    return late


def _series(rng, entries, keys, author, today):
    """R15: a repeated item series per entry — three linked stages, published in earlier windows."""
    months = dates.last_months(today, 12)[-7:-1]
    previous, first_of = {}, {}
    for stage, name in enumerate(SERIES_STAGES):
        rows = []
        for entry in entries:
            month = months[stage * 2 + rng.randint(0, 1)]
            day = month.replace(day=rng.randint(1, 10))
            item = _item(entry, keys[entry.pk], day, day + datetime.timedelta(days=rng.randint(20, 40)),
                         title=f"{entry.title.split('（')[0]}：{name}")
            item.created_by = author
            if stage:
                item.previous_id, item.series_id = previous[entry.pk], first_of[entry.pk]
            rows.append(item)
        created = Item.objects.bulk_create(rows)
        previous = {item.entry_id: item.pk for item in created}
        first_of = first_of or dict(previous)


def _item(entry, code, publish_on, display_until, *, prompt=False, long_term=False, title=None):
    """An item approved for `publish_on` (the office's review three days before); the jobs publish it."""
    month = f"{publish_on.year}年{publish_on.month}月"
    return Item(
        organization_id=entry.organization_id, jurisdiction_id=entry.jurisdiction_id, entry=entry,
        title=title or (f"{month}{entry.title}" if not (prompt or long_term) else entry.title),
        content=CONTENT[code].format(month=month), field=entry.field, scope=entry.scope, forms=entry.forms,
        time_type=entry.time_type, publish_on=publish_on, display_until=display_until,
        due_by=dates.due_by(publish_on, prompt=prompt), state=ItemState.APPROVED,
        check_content=True, check_scope=True, check_form=True, check_timing=True,
        reviewed_at=_aware(publish_on - datetime.timedelta(days=3)),
    )


def _replay_the_year(late, today):
    """The year as the beat lived it, day by day up to today: the archive job (R17), late approvals through
    item_review, the publish job (R16) and, on the 11th, the check of the window just closed (R20). Days
    on which no job would change anything are skipped; what a job changes it audits, as in production."""
    planned = list(Item.objects.filter(state__in=(ItemState.APPROVED, ItemState.INITIAL_APPROVED))
                   .values_list("pk", "publish_on", "display_until"))
    if not planned:
        return
    published_on = {pk: publish_on for pk, publish_on, _end in planned}
    published_on.update({pk: day for day, ids in late.items() for pk in ids})
    days = set(published_on.values())
    days |= {dates.effective_display_end(published_on[pk], end) + datetime.timedelta(days=1)
             for pk, _publish_on, end in planned if end is not None}
    first = min(days)
    month = dates.first_of_month(first)
    while month <= today:
        days.add(month.replace(day=dates.window_days()[1] + 1))
        month = dates.add_months(month, 1)
    for day in sorted(d for d in days if d <= today):
        with _at(day, 0):  # the archive job runs just after midnight, the 11th check at night
            jobs.archive_ended_items(today=day)
            if day.day == dates.window_days()[1] + 1:
                jobs.check_missed_entries(today=day)
        with _at(day, 9):
            for item_id in late.get(day, []):
                services.item_review(actor=None, item_id=item_id, approve=True)
            jobs.publish_due_items(today=day)


def _inspections(by_org, author):
    """R14 step 3: a third of the year's items were inspected and passed, five days after publication, each
    with its proof — one record per carrier it names (minutes for internal items), so an inspection marked
    passed never lacks proof. (Records of past inspections, kept as the inspectors left them.)"""
    kinds = {c.pk: c.kind for carriers in by_org.values() for c in carriers}
    inspected = [(pk, scope, published_on) for pk, scope, published_on in
                 Item.objects.exclude(published_on=None).values_list("id", "scope", "published_on")
                 if published_on.day % 3 == 0]
    for published_on in sorted({row[2] for row in inspected}):
        Item.objects.filter(published_on=published_on, pk__in=[row[0] for row in inspected if row[2] == published_on]) \
            .update(inspection_result="passed", inspected_at=_aware(published_on + datetime.timedelta(days=5)))
    through = Item.carriers.through
    item_carriers = {}
    for item_id, carrier_id in through.objects.filter(item__inspection_result="passed").values_list("item_id", "carrier_id"):
        item_carriers.setdefault(item_id, []).append(carrier_id)
    rows = []
    for pk, scope, published_on in inspected:
        if scope == Scope.INTERNAL:
            rows.append(Evidence(item_id=pk, kind=EvidenceKind.MINUTES, recorded_by=author,
                                 note=f"{published_on:%Y-%m-%d}会议记录已归档"))
            continue
        for carrier_id in item_carriers.get(pk, []):
            kind, note = EVIDENCE_OF.get(kinds[carrier_id], (EvidenceKind.OTHER, "公开情况已记录"))
            rows.append(Evidence(item_id=pk, carrier_id=carrier_id, kind=kind, recorded_by=author,
                                 note=f"{note}（{published_on:%Y-%m-%d}）"))
    Evidence.objects.bulk_create(rows, batch_size=5000)


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _attachments(rng, unit_id, author):
    """A few attachments on items now on display (the demo unit's, and a handful of others')."""
    shown = Item.objects.filter(state=ItemState.PUBLISHED, scope=Scope.EXTERNAL).order_by("id")
    picked = list(shown.filter(organization_id=unit_id)[:3])
    others = list(shown.exclude(organization_id=unit_id).values_list("id", flat=True))
    picked += list(Item.objects.filter(pk__in=rng.sample(others, min(8, len(others)))))
    for item in picked:
        name = f"{item.entry.title.split('（')[0][:20]}.pdf"
        Attachment.objects.create(item=item, title=f"{item.title}（附件）", file=ContentFile(PDF, name=name),
                                  size=len(PDF), uploaded_by=author)


def _breaches_and_rectifications(rng, author, today):
    """R17/R20: inspectors find a few boards cleared before 15 days; the office turns a third of the open
    findings into rectification notices, each notice's exchange through the services in order (the
    organisation's reports written as the system when it has no demo account)."""
    external = list(Item.objects.filter(scope=Scope.EXTERNAL, state=ItemState.ARCHIVED).order_by("id")
                    .values_list("id", "organization_id", "published_on", "ended_on"))
    for pk, org, published_on, ended_on in rng.sample(external, min(12, len(external))):
        with _at(min(ended_on, today)):
            services.finding_record(actor=author, organization_id=org, kind=FindingKind.DISPLAY_BREACH, item_id=pk,
                                    period=published_on, description=_("检查发现该事项公开不足15天即从公开栏撤下（R17）。"))
    findings = list(Finding.objects.filter(state=FindingState.OPEN).order_by("id"))
    rng.shuffle(findings)
    states = [RectificationState.ISSUED, RectificationState.ISSUED, RectificationState.REPORTED,
              RectificationState.RETURNED, RectificationState.CLOSED, RectificationState.CLOSED]
    first_report, second_report = "已补充公开并拍照留存，完善了公开台账。", "已重新拍照并补充公开，附整改前后对比照片。"
    sent_back, closing = "照片不清晰，请补充。", "整改到位，同意销号。"
    reporters = {user.organization_id: user for user in User.objects.filter(role=Role.ORGANIZATION)}
    for n, finding in enumerate(findings[: max(1, len(findings) // 3)]):
        state = states[n % len(states)]
        overdue = n % 5 == 1
        twice = state == RectificationState.REPORTED and n % 4 == 2  # sent back once, reported again
        # Overdue notices were issued a month ago with a deadline a week ago; the others last week.
        issued = today - datetime.timedelta(days=30 if overdue else 6)
        deadline = today + datetime.timedelta(days=-7 if overdue else 20)
        with _at(issued):
            notice = services.rectification_issue(actor=author, finding_id=finding.pk, deadline=deadline,
                                                  requirement=_("请于期限内补充公开并报告整改情况，同时完善公开台账。"))
        reporter = reporters.get(notice.organization_id)
        steps = []
        if state != RectificationState.ISSUED:
            steps.append(("report", first_report))
        if state == RectificationState.RETURNED or twice:
            steps.append(("return", sent_back))
        if twice:
            steps.append(("report", second_report))
        for offset, (step, text) in enumerate(steps, start=1):
            with _at(issued + datetime.timedelta(days=offset)):
                if step == "report":
                    services.rectification_report(actor=reporter, rectification_id=notice.pk, report=text)
                else:
                    services.rectification_check(actor=author, rectification_id=notice.pk, accept=False, note=text)
        if state == RectificationState.CLOSED:
            with _at(today - datetime.timedelta(days=2)):  # an overdue one closed after its deadline
                services.rectification_check(actor=author, rectification_id=notice.pk, accept=True, note=closing)


def _exemptions(rng, organizations, author, today):
    """R11: some organisations hold information back. The register keeps who filed each entry, and only an
    organisation's own account may: the other organisations have none in the demo, so their entries are
    records kept as filed (the demo unit files its own through the service, in _unit_workflow)."""
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


def _feedback(rng, organizations, today):
    """R18: the public's feedback of the last two months through the public service (receipt codes from
    core.receipts), marked in hand and answered through the organisation's services on their days —
    most in time, some late, some still open."""
    calendar = load_calendar()
    for o in rng.sample(organizations, max(1, len(organizations) // 3)):
        for _n in range(rng.randint(1, 3)):
            received = today - datetime.timedelta(days=rng.randint(0, 60))
            deadline = calendar.add_working_days(received, 5).due
            kind = rng.choice(["open", "handling", "answered", "answered", "answered", "late"])
            with _at(received, 10):
                feedback = services.feedback_submit(organization_id=o.pk, content=rng.choice(FEEDBACK_TEXTS),
                                                    name=rng.choice(["", "王先生", "李女士", "群众"]))
            if kind == "handling":
                with _at(received, 15):
                    services.feedback_mark_handling(actor=None, feedback_id=feedback.pk)
            elif kind in ("answered", "late"):
                answered_on = min(today, deadline if kind == "answered" else deadline + datetime.timedelta(days=4))
                with _at(max(answered_on, received), 16):
                    services.feedback_answer(actor=None, feedback_id=feedback.pk, answer=rng.choice(ANSWERS))


def _ratings(rng, organizations, today):
    """R19: six months of ratings per organisation, each phone number kept only as the service's keyed hash."""
    rows = []
    for o in organizations:
        weights = rng.choice([(80, 17, 3), (70, 25, 5), (50, 35, 15)])
        for m, month in enumerate(dates.last_months(today, 6)):
            for n in range(rng.randint(3, 12)):
                rating = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED], weights)[0]
                rows.append(SatisfactionRating(
                    organization=o, jurisdiction_id=o.jurisdiction_id, month=month, rating=rating,
                    voter_hash=services.phone_hash(f"139{o.pk % 10000:04d}{m}{n:03d}"),
                ))
    SatisfactionRating.objects.bulk_create(rows, batch_size=5000)


def _unit_workflow(today):
    """The demo unit's current work, through the services: one item in each early state."""
    unit = Organization.objects.filter(jurisdiction__code=UNIT_ORGANIZATION[0], name=UNIT_ORGANIZATION[1]).first()
    user = User.objects.filter(username="unit").first()
    office = User.objects.filter(username=UNIT_ORGANIZATION[0]).first()
    if unit is None or user is None or office is None:
        return
    entry = CatalogueEntry.objects.filter(organization=unit, title=CATALOGUE[1][2]).first()
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
    # R20: a rectification that was sent back once and reported again (its exchange on the notice page).
    finding = services.finding_record(actor=office, organization_id=unit.pk, kind=FindingKind.EVIDENCE, period=today,
                                      description=_("检查发现网页专栏未同步发布本月重要情况通报。"))
    notice = services.rectification_issue(actor=office, finding_id=finding.pk, deadline=today + datetime.timedelta(days=15),
                                          requirement=_("请在网页专栏补充发布，并报告整改情况。"))
    services.rectification_report(actor=user, rectification_id=notice.pk, report=_("已在网页专栏补充发布。"))
    services.rectification_check(actor=office, rectification_id=notice.pk, accept=False,
                                 note=_("未附网页截图，无法核实，请补充。"))
    services.rectification_report(actor=user, rectification_id=notice.pk,
                                  report=_("已补充网页截图，并明确专人每月核对网页专栏与公开栏内容一致。"))
    # R11: the unit files information it holds back, with its reason, basis, approver and review date.
    services.exemption_create(actor=user, organization_id=unit.pk, title="涉及个人隐私的困难党员帮扶名单",
                              reason="涉及个人隐私", basis=_("《中国共产党党务公开条例（试行）》第十条"),
                              approver=_("党组织书记"), approved_on=today - datetime.timedelta(days=20),
                              review_by=today + datetime.timedelta(days=90))
    returned = draft("专项资金使用情况（退回）")
    services.item_submit(actor=user, item_id=returned.pk)
    services.item_initial_review(actor=user, item_id=returned.pk, approve=False, reason=_("金额需与财务台账核对后再提交。"))
