"""Every write of the disclosure work: the only door through which state changes.

Each transition locks the row, returns quietly if already in the target state, refuses an
illegal source state, checks the actor (actor=None means a scheduled job), saves with
update_fields, writes the audit record in the same transaction and sends side effects on commit.
Time-driven sweeps over many rows live in jobs.py.
"""
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from sites.models import Organization

from . import dates
from .enums import (
    EDITABLE_STATES,
    INTERNAL_FORMS,
    ITEM_TRANSITIONS,
    CarrierKind,
    ExemptionState,
    FeedbackState,
    FindingKind,
    FindingState,
    Form,
    InspectionResult,
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
    Rectification,
    SatisfactionRating,
)


def _today():
    return timezone.localdate()  # Asia/Shanghai


def _require(actor, perm, obj):
    if actor is not None and not actor.has_perm(perm, obj):
        raise NotPermitted()


def _enqueue_publish():
    """Prompt items are published at once: run the publish job after the commit."""
    from .tasks import publish_due_items_task

    transaction.on_commit(lambda: publish_due_items_task.delay())


# --- carriers and catalogue (R12, R13) --------------------------------------------------
CARRIER_FIELDS = ("kind", "name", "location", "url", "handle", "maintainer", "note")
# R12: what an inspector needs to find each kind of carrier.
CARRIER_LOCATING_FIELD = {
    CarrierKind.BOARD: "location",
    CarrierKind.SCREEN: "location",
    CarrierKind.KIOSK: "location",
    CarrierKind.WEB_PAGE: "url",
    CarrierKind.ACCOUNT: "handle",
}


def _check_carrier_locating(values):
    """R12: a board, screen or kiosk names its location, a web page its address, an account its name/handle."""
    if not (values.get("name") or "").strip():
        raise DomainError(_("请填写载体“名称”。"), field="name")
    field = CARRIER_LOCATING_FIELD.get(values.get("kind"))
    if field and not (values.get(field) or "").strip():
        raise DomainError(
            _("%(kind)s须填写“%(field)s”，便于群众找到、检查人员核查（R12）。")
            % {"kind": CarrierKind(values["kind"]).label, "field": Carrier._meta.get_field(field).verbose_name},
            field=field, code="locating_required", rule="R12",
        )


@transaction.atomic
def carrier_create(*, actor, organization_id, kind, name, location="", url="", handle="", maintainer="", note=""):
    """Register a carrier of the organisation (its own users only), with what locates it (R12)."""
    organization = Organization.objects.get(pk=organization_id)
    _require(actor, "disclosure.manage_catalogue", organization)
    values = {"kind": kind, "name": (name or "").strip(), "location": (location or "").strip(),
              "url": (url or "").strip(), "handle": (handle or "").strip()}
    _check_carrier_locating(values)
    carrier = Carrier.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, maintainer=maintainer, note=note,
        **values,
    )
    audit_record(actor=actor, action="disclosure.carrier.create", target=carrier, data={"name": name, "kind": kind})
    return carrier


@transaction.atomic
def carrier_update(*, actor, carrier_id, is_active=None, **fields):
    carrier = Carrier.objects.select_for_update().get(pk=carrier_id)
    _require(actor, "disclosure.manage_catalogue", carrier)
    fields = {name: (value or "").strip() if isinstance(value, str) else value for name, value in fields.items()}
    if {"kind", "name", "location", "url", "handle"} & set(fields):
        # Retiring or re-activating a carrier is never blocked by what it lacks; changing it is.
        _check_carrier_locating({name: fields.get(name, getattr(carrier, name)) for name in CARRIER_FIELDS})
    changed = [name for name, value in fields.items() if name in CARRIER_FIELDS and getattr(carrier, name) != value]
    for name in changed:
        setattr(carrier, name, fields[name])
    if is_active is not None and carrier.is_active != is_active:
        carrier.is_active = is_active
        changed.append("is_active")
    if changed:
        carrier.save(update_fields=changed)
        audit_record(actor=actor, action="disclosure.carrier.update", target=carrier, data={"fields": sorted(changed)})
    return carrier


def _clean_forms(forms, scope):
    forms = list(dict.fromkeys(forms or []))
    unknown = [code for code in forms if code not in Form.values]
    if unknown:
        raise DomainError(_("未知的公开形式：%(codes)s。") % {"codes": _("、").join(unknown)}, field="forms")
    if scope == Scope.INTERNAL:
        # R13: internal items use party meetings, documents, briefings, organisational life — never public carriers.
        public = [str(Form(code).label) for code in forms if code not in INTERNAL_FORMS]
        if public:
            raise DomainError(
                _("对内公开事项只能采用党内会议、印发文件、定期通报、组织生活会等形式（R13），不能采用：%(forms)s。")
                % {"forms": _("、").join(public)},
                field="forms", rule="R13",
            )
    return forms


def _clean_carriers(organization_id, carrier_ids, scope):
    carrier_ids = list(dict.fromkeys(carrier_ids or []))
    carriers = list(Carrier.objects.filter(pk__in=carrier_ids, organization_id=organization_id, is_active=True))
    if len(carriers) != len(carrier_ids):
        raise DomainError(_("只能选择本单位在用的公开载体。"), field="carriers")
    if scope == Scope.INTERNAL and carriers:
        raise DomainError(_("对内公开事项不在公开栏、网页等对外载体上发布（R13）。"), field="carriers", rule="R13")
    return carriers


ENTRY_FIELDS = ("category_id", "title", "description", "field", "scope", "forms", "time_type", "cadence")


@transaction.atomic
def entry_create(*, actor, organization_id, category_id, title, scope, time_type, cadence, field="party",
                 description="", forms=None, carrier_ids=None):
    """Add a line to the organisation's catalogue (R12), with scope, forms and carriers (R13) and time type (R15)."""
    organization = Organization.objects.get(pk=organization_id)
    _require(actor, "disclosure.manage_catalogue", organization)
    Category.objects.get(pk=category_id, is_active=True)
    forms = _clean_forms(forms, scope)
    carriers = _clean_carriers(organization.pk, carrier_ids, scope)
    entry = CatalogueEntry.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, category_id=category_id,
        title=title, description=description, field=field, scope=scope, forms=forms, time_type=time_type,
        cadence=cadence,
    )
    entry.carriers.set(carriers)
    audit_record(actor=actor, action="disclosure.entry.create", target=entry, data={"title": title})
    return entry


@transaction.atomic
def entry_update(*, actor, entry_id, carrier_ids=None, is_active=None, **fields):
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry_id)
    _require(actor, "disclosure.manage_catalogue", entry)
    scope = fields.get("scope", entry.scope)
    if "forms" in fields:
        fields["forms"] = _clean_forms(fields["forms"], scope)
    else:
        _clean_forms(entry.forms, scope)
    changed = [name for name, value in fields.items() if name in ENTRY_FIELDS and getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, fields[name])
    if is_active is not None and entry.is_active != is_active:
        entry.is_active = is_active
        changed.append("is_active")
    if changed:
        entry.save(update_fields=changed)
    if carrier_ids is not None:
        carriers = _clean_carriers(entry.organization_id, carrier_ids, scope)
        if {c.pk for c in carriers} != set(entry.carriers.values_list("pk", flat=True)):
            entry.carriers.set(carriers)
            changed.append("carriers")
    if changed:
        audit_record(actor=actor, action="disclosure.entry.update", target=entry, data={"fields": sorted(changed)})
    return entry


# --- items: the window (R16) and the display (R17) ---------------------------------------
def check_schedule(*, time_type, publish_on, display_until, today=None):
    """R16/R17 at the service level. Raises DomainError naming the rule, the limit and the next valid date."""
    today = today or _today()
    if publish_on is None:
        raise DomainError(_("请填写拟公开日期（北京时间）。"), field="publish_on")
    if publish_on < today:
        raise DomainError(
            _("拟公开日期 %(date)s 已过（北京时间今天是 %(today)s）。最近可选的公开日期是 %(next)s。")
            % {"date": publish_on.isoformat(), "today": today.isoformat(),
               "next": (today if time_type == TimeType.PROMPT else dates.next_valid_publish_date(today)).isoformat()},
            field="publish_on", code="in_past", rule="R16",
        )
    if time_type != TimeType.PROMPT and not dates.in_window(publish_on):
        first, last = dates.window_days()
        raise DomainError(
            _("公开日期原则安排在每月%(first)d—%(last)d日（北京时间，R16）；%(date)s 不在公开窗口内，"
              "最近可选的公开日期是 %(next)s。及时公开事项除外。")
            % {"first": first, "last": last, "date": publish_on.isoformat(),
               "next": dates.next_valid_publish_date(publish_on, today=today).isoformat()},
            field="publish_on", code="outside_window", rule="R16",
        )
    if display_until is None:
        if time_type != TimeType.LONG_TERM:
            raise DomainError(
                _("请填写公开截止日期：公开时间不少于%(days)d天（R17），只有长期公开事项可以不填。")
                % {"days": dates.min_display_days()},
                field="display_until", code="display_required", rule="R17",
            )
    elif not dates.display_is_long_enough(publish_on, display_until):
        raise DomainError(
            _("公开时间不少于%(days)d天（R17）：公开日期为 %(publish)s，公开截止日期最早为 %(min)s，不能是 %(date)s。")
            % {"days": dates.min_display_days(), "publish": publish_on.isoformat(),
               "min": dates.min_display_end(publish_on).isoformat(), "date": display_until.isoformat()},
            field="display_until", code="display_too_short", rule="R17",
        )


def _check_item_transition(item, target):
    if target not in ITEM_TRANSITIONS[ItemState(item.state)]:
        raise InvalidTransition(
            _("公开事项当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": item.get_state_display(), "target": ItemState(target).label},
            field="state",
        )


def _lock_item(item_id):
    return Item.objects.select_for_update().get(pk=item_id)


def _check_external_has_carrier(item):
    """R12/R13: an external item names where it will be published, so proof can be checked per carrier."""
    if item.scope == Scope.EXTERNAL and not item.carriers.filter(is_active=True).exists():
        raise DomainError(
            _("对外公开事项须在“公开载体”中至少选择一个在用的载体（公开栏、网页、显示屏等），才能提交或审核通过（R13）。"),
            field="carriers", code="carrier_required", rule="R13",
        )


def carriers_without_evidence(item):
    """The item's carriers in use that have no proof of publication recorded yet (id order)."""
    return list(item.carriers.filter(is_active=True).exclude(evidence__item=item).order_by("id"))


def _set_item_state(item, state, *, actor, action, reason="", fields=None, data=None):
    previous = item.state
    item.state = state
    update = ["state", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(item, name, value)
        update.append(name)
    item.save(update_fields=update)
    audit_record(actor=actor, action=action, target=item, from_state=previous, to_state=state, reason=reason, data=data)
    return item


@transaction.atomic
def item_create(*, actor, entry_id, title, content, publish_on, display_until=None, scope=None, forms=None,
                carrier_ids=None, time_type=None, field=None, previous_id=None):
    """Draft a disclosure item under a catalogue entry (R14 step 1: propose). Organisation users only.

    Scope, forms, carriers, time type and field default to the entry's. The publication date must lie
    in the 1st–10th window unless the item is prompt (R16); the display end at least 15 days later (R17).
    """
    entry = CatalogueEntry.objects.select_related("organization").get(pk=entry_id)
    _require(actor, "disclosure.edit_item", entry)
    if not entry.is_active:
        raise DomainError(_("该目录条目已停用，不能新建公开事项。"), field="entry")
    scope = scope or entry.scope
    time_type = time_type or entry.time_type
    forms = _clean_forms(entry.forms if forms is None else forms, scope)
    carriers = _clean_carriers(
        entry.organization_id, list(entry.carriers.values_list("pk", flat=True)) if carrier_ids is None else carrier_ids,
        scope,
    )
    check_schedule(time_type=time_type, publish_on=publish_on, display_until=display_until)
    previous = series = None
    if previous_id:
        previous = _check_previous(previous_id, entry=entry, scope=scope)
        series = previous.series_id or previous.pk
    item = Item.objects.create(
        organization_id=entry.organization_id, jurisdiction_id=entry.jurisdiction_id, entry=entry,
        previous=previous, series_id=series, title=title, content=content, field=field or entry.field, scope=scope,
        forms=forms, time_type=time_type, publish_on=publish_on, display_until=display_until,
        due_by=dates.due_by(publish_on, prompt=time_type == TimeType.PROMPT), created_by=actor,
    )
    item.carriers.set(carriers)
    audit_record(actor=actor, action="disclosure.item.create", target=item, to_state=item.state)
    return item


def _check_previous(previous_id, *, entry, scope):
    """R15: a linked series (repeated items, or a long-term item and its replacement) stays within one
    organisation, one catalogue entry and one scope, and links to an item that went into the procedure —
    so no item can be superseded, or joined to a series, through an unrelated link."""
    previous = Item.objects.filter(pk=previous_id).first()
    if previous is None or previous.organization_id != entry.organization_id:
        raise DomainError(_("“前一期”必须是本单位的公开事项（R15）。"), field="previous", code="previous_foreign", rule="R15")
    if previous.entry_id != entry.pk:
        raise DomainError(
            _("“前一期”必须属于同一目录条目“%(entry)s”，所选事项属于“%(other)s”（R15）。")
            % {"entry": entry.title, "other": previous.entry.title},
            field="previous", code="previous_other_entry", rule="R15",
        )
    if previous.scope != scope:
        raise DomainError(
            _("“前一期”的公开范围是“%(previous)s”，与本事项的“%(scope)s”不同（R15）。")
            % {"previous": previous.get_scope_display(), "scope": Scope(scope).label},
            field="previous", code="previous_other_scope", rule="R15",
        )
    if previous.state in (ItemState.DRAFT, ItemState.WITHDRAWN):
        raise DomainError(
            _("“前一期”事项处于“%(state)s”状态，不能作为前一期（R15）。") % {"state": previous.get_state_display()},
            field="previous", code="previous_not_eligible", rule="R15",
        )
    return previous


ITEM_EDIT_FIELDS = ("title", "content", "scope", "forms", "time_type", "field", "publish_on", "display_until")


@transaction.atomic
def item_update(*, actor, item_id, carrier_ids=None, **fields):
    """Edit a draft or a returned item. Submitted items are frozen until returned."""
    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state not in EDITABLE_STATES:
        raise InvalidTransition(_("只有拟稿或退回修改的事项可以修改。"), field="state")
    values = {name: fields.get(name, getattr(item, name)) for name in ITEM_EDIT_FIELDS}
    values["forms"] = _clean_forms(values["forms"], values["scope"])
    check_schedule(time_type=values["time_type"], publish_on=values["publish_on"], display_until=values["display_until"])
    values["due_by"] = dates.due_by(values["publish_on"], prompt=values["time_type"] == TimeType.PROMPT)
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, values[name])
    if carrier_ids is not None or "scope" in changed:
        ids = carrier_ids if carrier_ids is not None else list(item.carriers.values_list("pk", flat=True))
        carriers = _clean_carriers(item.organization_id, ids, values["scope"])
        if {c.pk for c in carriers} != set(item.carriers.values_list("pk", flat=True)):
            item.carriers.set(carriers)
            changed.append("carriers")
    if changed:
        item.save(update_fields=[name for name in changed if name != "carriers"] + ["updated_at"])
        audit_record(actor=actor, action="disclosure.item.update", target=item, data={"fields": sorted(changed)})
    return item


@transaction.atomic
def item_add_attachment(*, actor, item_id, title, uploaded_file):
    from sites.services import validate_upload

    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state not in EDITABLE_STATES:
        raise InvalidTransition(_("只有拟稿或退回修改的事项可以上传附件。"), field="file")
    validate_upload(uploaded_file)
    attachment = Attachment.objects.create(
        item=item, title=title or uploaded_file.name, file=uploaded_file, size=uploaded_file.size, uploaded_by=actor
    )
    audit_record(actor=actor, action="disclosure.item.add_attachment", target=item,
                 data={"attachment_id": attachment.pk, "title": attachment.title})
    return attachment


@transaction.atomic
def item_submit(*, actor, item_id):
    """Draft/returned → submitted for the organisation's initial review (R14). The window is re-checked."""
    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.SUBMITTED:
        return item
    _check_item_transition(item, ItemState.SUBMITTED)
    check_schedule(time_type=item.time_type, publish_on=item.publish_on, display_until=item.display_until)
    _check_external_has_carrier(item)
    return _set_item_state(item, ItemState.SUBMITTED, actor=actor, action="disclosure.item.submit")


@transaction.atomic
def item_initial_review(*, actor, item_id, approve, check_content=False, check_scope=False, check_form=False,
                        check_timing=False, reason=""):
    """R14 初审 by the organisation: content, scope, form and time limit, each checked; or return with a reason."""
    item = _lock_item(item_id)
    _require(actor, "disclosure.initial_review_item", item)
    if approve:
        if item.state == ItemState.INITIAL_APPROVED:
            return item
        _check_item_transition(item, ItemState.INITIAL_APPROVED)
        missing = [label for ok, label in (
            (check_content, _("内容")), (check_scope, _("范围")), (check_form, _("形式")), (check_timing, _("时限")),
        ) if not ok]
        if missing:
            raise DomainError(
                _("初审须逐项审核内容、范围、形式和时限（R14），尚未确认：%(items)s。") % {"items": _("、").join(missing)},
                field="checks", rule="R14",
            )
        check_schedule(time_type=item.time_type, publish_on=item.publish_on, display_until=item.display_until)
        _check_external_has_carrier(item)
        return _set_item_state(
            item, ItemState.INITIAL_APPROVED, actor=actor, action="disclosure.item.initial_review", reason=reason,
            fields={"check_content": True, "check_scope": True, "check_form": True, "check_timing": True,
                    "initial_reviewed_by": actor, "initial_reviewed_at": timezone.now(), "return_reason": ""},
        )
    return _return_item(item, actor=actor, reason=reason, allowed=(ItemState.SUBMITTED,), action="disclosure.item.initial_return")


@transaction.atomic
def item_review(*, actor, item_id, approve, reason=""):
    """R14 审查 by the leading group (through the supervising office): approve for publication or return.

    Prompt items are published at once after approval (R15/R16 exception).
    """
    item = _lock_item(item_id)
    _require(actor, "disclosure.review_item", item)
    if approve:
        if item.state == ItemState.APPROVED:
            return item
        _check_item_transition(item, ItemState.APPROVED)
        _check_external_has_carrier(item)
        item = _set_item_state(
            item, ItemState.APPROVED, actor=actor, action="disclosure.item.review", reason=reason,
            fields={"reviewed_by": actor, "reviewed_at": timezone.now()},
        )
        if item.time_type == TimeType.PROMPT:
            _enqueue_publish()
        return item
    return _return_item(
        item, actor=actor, reason=reason, allowed=(ItemState.INITIAL_APPROVED, ItemState.APPROVED),
        action="disclosure.item.review_return",
    )


def _return_item(item, *, actor, reason, allowed, action):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退回时必须填写理由。"), field="reason", rule="R14")
    if item.state == ItemState.RETURNED:
        return item
    if item.state not in allowed:
        raise InvalidTransition(
            _("公开事项当前状态为“%(current)s”，不能在这一步退回。") % {"current": item.get_state_display()}, field="state"
        )
    return _set_item_state(item, ItemState.RETURNED, actor=actor, action=action, reason=reason,
                           fields={"return_reason": reason})


@transaction.atomic
def item_publish(*, actor, item_id):
    """Approved → published now (R14 step 2), by the organisation or a job.

    Only on a window day (R16) and not before the asked-for date; prompt items at once.
    """
    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.PUBLISHED:
        return item
    _check_item_transition(item, ItemState.PUBLISHED)
    today = _today()
    if item.time_type != TimeType.PROMPT:
        if not dates.in_window(today):
            first, last = dates.window_days()
            raise DomainError(
                _("今天（北京时间 %(today)s）不在每月%(first)d—%(last)d日的公开窗口内（R16），最近可公开日期是 %(next)s。")
                % {"today": today.isoformat(), "first": first, "last": last,
                   "next": dates.next_valid_publish_date(today).isoformat()},
                field="publish_on", code="outside_window", rule="R16",
            )
        if today < item.publish_on:
            raise DomainError(
                _("拟公开日期为 %(date)s，尚未到期。") % {"date": item.publish_on.isoformat()}, field="publish_on", rule="R16"
            )
    item = _set_item_state(item, ItemState.PUBLISHED, actor=actor, action="disclosure.item.publish",
                           fields={"published_on": today, "published_at": timezone.now()})
    _supersede_previous(item, actor=actor)
    return item


def _supersede_previous(item, *, actor):
    """A long-term item stays until replaced: publishing its follower marks it superseded (archived by the job)."""
    if item.previous_id:
        updated = Item.objects.filter(
            pk=item.previous_id, state=ItemState.PUBLISHED, time_type=TimeType.LONG_TERM, superseded=False
        ).update(superseded=True)
        if updated:
            audit_record(actor=actor, action="disclosure.item.supersede", target=Item(pk=item.previous_id),
                         data={"replaced_by": item.pk})


def _check_may_leave_display(item, today, what):
    # R17: no less than 15 days on display.
    if not dates.may_leave_display(item.published_on, today):
        raise DomainError(
            _("公开时间不少于%(days)d天（R17）：该事项于 %(published)s 公开，%(min)s 之前不能%(what)s。")
            % {"days": dates.min_display_days(), "published": item.published_on.isoformat(),
               "min": dates.min_display_end(item.published_on).isoformat(), "what": what},
            field="state", code="display_too_short", rule="R17",
        )


@transaction.atomic
def item_withdraw(*, actor, item_id, reason=""):
    """Abandon a draft, or take a published item off display — never before 15 days (R17)."""
    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.WITHDRAWN:
        return item
    _check_item_transition(item, ItemState.WITHDRAWN)
    today = _today()
    fields = {}
    if item.state == ItemState.PUBLISHED:
        if not (reason or "").strip():
            raise DomainError(_("撤下已公开事项必须说明理由。"), field="reason")
        _check_may_leave_display(item, today, _("撤下"))
        fields = {"ended_on": today, "end_reason": reason}
    return _set_item_state(item, ItemState.WITHDRAWN, actor=actor, action="disclosure.item.withdraw", reason=reason,
                           fields=fields)


@transaction.atomic
def item_archive(*, actor, item_id, reason=""):
    """Published → archived (R14 step 4: organise and archive), never before 15 days on display (R17)."""
    item = _lock_item(item_id)
    _require(actor, "disclosure.archive_item", item)
    if item.state == ItemState.ARCHIVED:
        return item
    _check_item_transition(item, ItemState.ARCHIVED)
    today = _today()
    _check_may_leave_display(item, today, _("归档"))
    return _set_item_state(item, ItemState.ARCHIVED, actor=actor, action="disclosure.item.archive", reason=reason,
                           fields={"ended_on": today, "end_reason": reason})


@transaction.atomic
def item_record_evidence(*, actor, item_id, kind, carrier_id=None, uploaded_file=None, sms_count=None, note=""):
    """Proof of publication on one of the item's carriers in use (photo, screenshot, SMS count), checked
    at inspection. Internal items (meetings, documents) may record proof without a carrier."""
    from sites.services import validate_upload

    item = _lock_item(item_id)
    _require(actor, "disclosure.edit_item", item)
    if item.state not in (ItemState.PUBLISHED, ItemState.ARCHIVED):
        raise InvalidTransition(_("事项公开后才能记录公开佐证。"), field="state")
    carrier = None
    if carrier_id:
        carrier = item.carriers.filter(pk=carrier_id, is_active=True).first()
        if carrier is None:
            raise DomainError(_("“公开载体”只能选择本事项选用的、在用的载体。"), field="carrier")
    elif item.scope == Scope.EXTERNAL:
        raise DomainError(_("对外公开事项的佐证须注明公开载体。"), field="carrier")
    if uploaded_file is not None:
        validate_upload(uploaded_file)
    elif sms_count is None and not note:
        raise DomainError(_("请上传照片或截图，或填写短信条数、说明。"), field="file")
    evidence = Evidence.objects.create(
        item=item, carrier=carrier, kind=kind, file=uploaded_file or "", sms_count=sms_count, note=note,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="disclosure.item.evidence", target=item,
                 data={"evidence_id": evidence.pk, "carrier_id": carrier_id, "kind": kind})
    return evidence


@transaction.atomic
def item_inspect(*, actor, item_id, result, note="", finding_kind=FindingKind.EVIDENCE):
    """R14 step 3 / R20: the supervising office checks the published item and its evidence.

    A problem records a finding for the office to turn into a rectification notice.
    """
    item = _lock_item(item_id)
    _require(actor, "disclosure.inspect_item", item)
    if item.state not in (ItemState.PUBLISHED, ItemState.ARCHIVED, ItemState.WITHDRAWN) or item.published_on is None:
        raise InvalidTransition(_("只能检查已公开的事项。"), field="state")
    if result == InspectionResult.PROBLEM and not (note or "").strip():
        raise DomainError(_("检查发现问题时必须写明问题。"), field="note")
    if result == InspectionResult.PASSED:
        # R14 step 3: "passed" means the item was seen on every carrier it names.
        missing = carriers_without_evidence(item)
        if missing:
            raise DomainError(
                _("以下公开载体尚无公开佐证，不能判定为“合格”：%(carriers)s。请先记录佐证，或判定为“存在问题”。")
                % {"carriers": _("、").join(str(carrier) for carrier in missing)},
                field="result", code="evidence_missing", rule="R14",
            )
    previous = item.inspection_result
    item.inspection_result, item.inspection_note = result, note
    item.inspected_by, item.inspected_at = actor, timezone.now()
    item.save(update_fields=["inspection_result", "inspection_note", "inspected_by", "inspected_at", "updated_at"])
    audit_record(actor=actor, action="disclosure.item.inspect", target=item, from_state=previous, to_state=result, reason=note)
    if result == InspectionResult.PROBLEM:
        finding_record(actor=actor, organization_id=item.organization_id, kind=finding_kind,
                       period=dates.first_of_month(item.published_on), description=note, item_id=item.pk)
    return item


# --- exemptions (R11) -----------------------------------------------------------------
@transaction.atomic
def exemption_create(*, actor, organization_id, title, reason, basis, approver, approved_on, review_by):
    """File information held back in the register (R11: non-disclosure is the exception)."""
    organization = Organization.objects.get(pk=organization_id)
    _require(actor, "disclosure.manage_exemption", organization)
    for name, value in (("reason", reason), ("basis", basis), ("approver", approver)):
        if not (value or "").strip():
            raise DomainError(_("暂不宜公开备案须写明理由、依据和批准人（R11）。"), field=name, rule="R11")
    if review_by < approved_on:
        raise DomainError(_("复核期限不能早于批准日期。"), field="review_by", rule="R11")
    exemption = Exemption.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, title=title, reason=reason,
        basis=basis, approver=approver, approved_on=approved_on, review_by=review_by, created_by=actor,
    )
    audit_record(actor=actor, action="disclosure.exemption.create", target=exemption, to_state=exemption.state)
    return exemption


@transaction.atomic
def exemption_review(*, actor, exemption_id, decision, note, review_by=None):
    """Review a held-back item: keep it (with a new review date), release it for disclosure, or close it."""
    exemption = Exemption.objects.select_for_update().get(pk=exemption_id)
    _require(actor, "disclosure.manage_exemption", exemption)
    if exemption.state != ExemptionState.ACTIVE:
        raise InvalidTransition(_("该备案已复核完毕。"), field="state")
    if not (note or "").strip():
        raise DomainError(_("请填写复核意见。"), field="note")
    fields = {"review_note": note, "reviewed_at": timezone.now()}
    previous = exemption.state
    if decision == "keep":
        if review_by is None or review_by <= _today():
            raise DomainError(_("继续暂缓公开须设定新的复核期限（晚于今天）。"), field="review_by", rule="R11")
        fields["review_by"] = review_by
    elif decision == "release":
        fields["state"] = ExemptionState.RELEASED
    elif decision == "close":
        fields["state"] = ExemptionState.CLOSED
    else:
        raise DomainError(_("未知的复核结论。"), field="decision")
    for name, value in fields.items():
        setattr(exemption, name, value)
    exemption.save(update_fields=list(fields))
    audit_record(actor=actor, action="disclosure.exemption.review", target=exemption, from_state=previous,
                 to_state=exemption.state, reason=note, data={"decision": decision})
    return exemption


# --- feedback (R18) and satisfaction (R19) -----------------------------------------------
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_code():
    return "".join(secrets.choice(_CODE_ALPHABET) for _i in range(12))


def feedback_submit(*, organization_id, content, item_id=None, name="", contact=""):
    """A member of the public leaves feedback (R18) and gets a receipt code to read the answer."""
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写意见建议。"), field="content")
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        raise DomainError(_("找不到该党组织。"), field="organization")
    if item_id is not None:
        from .selectors import item_list_public

        if not item_list_public().filter(pk=item_id, organization_id=organization.pk).exists():
            raise DomainError(
                _("该公开事项已不在公开期内，不能再针对它提意见建议；您填写的内容已保留，可以直接向本单位提交。"),
                field="item", code="item_not_on_display", rule="R18",
            )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    code=_new_code(), organization=organization, jurisdiction_id=organization.jurisdiction_id,
                    item_id=item_id, name=name, contact=contact, content=content, received_on=_today(),
                )
                audit_record(actor=None, action="disclosure.feedback.submit", target=feedback, to_state=feedback.state)
                return feedback
        except IntegrityError:  # a code collision: draw again
            continue
    raise DomainError(_("系统繁忙，请稍后再试。"), field="content")


def feedback_deadline(feedback, calendar):
    """R18: the answer deadline, worked out from the received date with the working-day calendar."""
    return calendar.add_working_days(feedback.received_on, settings.FEEDBACK_ANSWER_WORKING_DAYS)


@transaction.atomic
def feedback_mark_handling(*, actor, feedback_id):
    feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
    _require(actor, "disclosure.answer_feedback", feedback)
    if feedback.state != FeedbackState.RECEIVED:
        return feedback
    feedback.state = FeedbackState.HANDLING
    feedback.save(update_fields=["state"])
    audit_record(actor=actor, action="disclosure.feedback.handling", target=feedback,
                 from_state=FeedbackState.RECEIVED, to_state=FeedbackState.HANDLING)
    return feedback


@transaction.atomic
def feedback_answer(*, actor, feedback_id, answer):
    """The organisation answers (R18); the writer reads it by code. Late answers stay counted as late."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), field="answer")
    feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
    _require(actor, "disclosure.answer_feedback", feedback)
    if feedback.state == FeedbackState.ANSWERED:
        raise InvalidTransition(_("该意见建议已答复。"), field="state")
    previous = feedback.state
    feedback.state, feedback.answer = FeedbackState.ANSWERED, answer
    feedback.answered_on, feedback.answered_at, feedback.answered_by = _today(), timezone.now(), actor
    feedback.save(update_fields=["state", "answer", "answered_on", "answered_at", "answered_by"])
    audit_record(actor=actor, action="disclosure.feedback.answer", target=feedback, from_state=previous,
                 to_state=FeedbackState.ANSWERED)
    return feedback


_PHONE = re.compile(r"^1[3-9]\d{9}$")


def phone_hash(phone):
    """A keyed hash of a normalised mobile number: the number itself is never stored (R19)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _PHONE.match(digits):
        raise DomainError(_("请填写11位手机号码。手机号只用于确认每人每月评价一次，不会保存原号码。"), field="phone")
    return hmac.new(settings.DISCLOSURE_SATISFACTION_SECRET.encode(), digits.encode(), hashlib.sha256).hexdigest()


def rating_submit(*, organization_id, phone, rating, comment=""):
    """R19: one rating per person (hashed phone) per organisation per month (China time)."""
    if rating not in Satisfaction.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), field="rating")
    voter = phone_hash(phone)
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        raise DomainError(_("找不到该党组织。"), field="organization")
    month = dates.first_of_month(_today())
    try:
        with transaction.atomic():
            created = SatisfactionRating.objects.create(
                organization=organization, jurisdiction_id=organization.jurisdiction_id, month=month,
                rating=rating, voter_hash=voter, comment=comment,
            )
    except IntegrityError:
        raise DomainError(
            _("本月您已对该单位评价过（每人每月一次，R19），下月可再次评价。"), field="phone", code="already_rated", rule="R19"
        ) from None
    return created


# --- findings and rectifications (R20) ---------------------------------------------------
@transaction.atomic
def finding_record(*, actor, organization_id, kind, period, description, item_id=None, entry_id=None):
    """An inspector (or a job, actor=None) records a finding for the supervising office."""
    organization = Organization.objects.get(pk=organization_id)
    _require(actor, "disclosure.record_finding", organization)
    if not (description or "").strip():
        raise DomainError(_("请写明问题。"), field="description")
    finding = Finding.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, kind=kind,
        period=dates.first_of_month(period), description=description, item_id=item_id, entry_id=entry_id,
        created_by=actor,
    )
    audit_record(actor=actor, action="disclosure.finding.record", target=finding, to_state=finding.state)
    return finding


@transaction.atomic
def finding_dismiss(*, actor, finding_id, reason):
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    _require(actor, "disclosure.record_finding", finding)
    if finding.state == FindingState.DISMISSED:
        return finding
    if finding.state != FindingState.OPEN:
        raise InvalidTransition(_("已下发整改通知的问题不能核销。"), field="state")
    if not (reason or "").strip():
        raise DomainError(_("核销问题必须说明理由。"), field="reason")
    finding.state = FindingState.DISMISSED
    finding.save(update_fields=["state"])
    audit_record(actor=actor, action="disclosure.finding.dismiss", target=finding, from_state=FindingState.OPEN,
                 to_state=FindingState.DISMISSED, reason=reason)
    return finding


@transaction.atomic
def rectification_issue(*, actor, finding_id, requirement, deadline):
    """R20: turn a finding into a rectification notice with a deadline."""
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    _require(actor, "disclosure.issue_rectification", finding)
    if finding.state == FindingState.NOTICE_ISSUED:
        return finding.rectification
    if finding.state != FindingState.OPEN:
        raise InvalidTransition(_("该问题已核销，不能下发整改通知。"), field="state")
    if not (requirement or "").strip():
        raise DomainError(_("请写明整改要求。"), field="requirement", rule="R20")
    if deadline is None or deadline <= _today():
        raise DomainError(_("整改期限须晚于今天（北京时间）。"), field="deadline", rule="R20")
    rectification = Rectification.objects.create(
        finding=finding, organization_id=finding.organization_id, jurisdiction_id=finding.jurisdiction_id,
        requirement=requirement, deadline=deadline, issued_by=actor,
    )
    finding.state = FindingState.NOTICE_ISSUED
    finding.save(update_fields=["state"])
    audit_record(actor=actor, action="disclosure.finding.notice", target=finding, from_state=FindingState.OPEN,
                 to_state=FindingState.NOTICE_ISSUED)
    audit_record(actor=actor, action="disclosure.rectification.issue", target=rectification,
                 to_state=rectification.state, data={"deadline": deadline.isoformat()})
    return rectification


def _lock_rectification(rectification_id):
    return Rectification.objects.select_for_update().get(pk=rectification_id)


def _set_rectification(rectification, state, *, actor, action, reason="", fields=None, data=None):
    previous = rectification.state
    rectification.state = state
    for name, value in (fields or {}).items():
        setattr(rectification, name, value)
    rectification.save(update_fields=["state", *(fields or {})])
    audit_record(actor=actor, action=action, target=rectification, from_state=previous, to_state=state, reason=reason,
                 data=data)
    return rectification


@transaction.atomic
def rectification_report(*, actor, rectification_id, report):
    """The organisation reports what it changed; the office then re-checks.

    `report` on the notice holds the latest report; every report stays in the audit record (its text
    as the reason), so the whole exchange of reports and send-backs can be read back (R20)."""
    rectification = _lock_rectification(rectification_id)
    _require(actor, "disclosure.report_rectification", rectification)
    if rectification.state == RectificationState.REPORTED:
        return rectification
    if rectification.state not in (RectificationState.ISSUED, RectificationState.RETURNED):
        raise InvalidTransition(_("该整改通知已销号。"), field="state")
    report = (report or "").strip()
    if not report:
        raise DomainError(_("请写明整改情况。"), field="report")
    return _set_rectification(rectification, RectificationState.REPORTED, actor=actor,
                              action="disclosure.rectification.report", reason=report,
                              fields={"report": report, "reported_at": timezone.now()},
                              data={"report": report})


@transaction.atomic
def rectification_check(*, actor, rectification_id, accept, note=""):
    """The office re-checks: close it (销号) or send it back for more work."""
    rectification = _lock_rectification(rectification_id)
    _require(actor, "disclosure.check_rectification", rectification)
    target = RectificationState.CLOSED if accept else RectificationState.RETURNED
    if rectification.state == target:
        return rectification
    if rectification.state != RectificationState.REPORTED:
        raise InvalidTransition(_("整改情况报告后才能复查。"), field="state")
    if not accept and not (note or "").strip():
        raise DomainError(_("退回重改必须写明理由。"), field="note")
    fields = {"check_note": note}
    if accept:
        fields["closed_on"] = _today()
    return _set_rectification(rectification, target, actor=actor,
                              action="disclosure.rectification.close" if accept else "disclosure.rectification.return",
                              reason=note, fields=fields)


def rectification_is_overdue(rectification, today=None):
    """R20: open past the deadline, or closed after it."""
    today = today or _today()
    if rectification.state == RectificationState.CLOSED:
        return rectification.closed_on is not None and rectification.closed_on > rectification.deadline
    return today > rectification.deadline

