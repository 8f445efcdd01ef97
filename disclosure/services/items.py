"""A disclosure item through the four steps (R14): propose and review, publish (publishing.py),
supervise and inspect, organise and archive — with the window (R16), the display (R17), scope and
forms (R13) and linked series (R15) checked on the way.

Every state change goes through the core door (core.transitions): the row is locked, a repeated
request changes nothing, a state the item cannot reach from its current one is refused, and one
audit row records from/to and the old and new values of the fields set with it.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from types import EllipsisType
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_context, audit_record
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.queue import enqueue_on_commit
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply, transition_check
from sites.services import validate_upload

from .. import dates
from ..enums import (
    EDITABLE_STATES,
    INITIAL_RETURN_TRANSITIONS,
    ITEM_TRANSITIONS,
    REVIEW_RETURN_TRANSITIONS,
    FindingKind,
    InspectionResult,
    ItemState,
    Scope,
    TimeType,
)
from ..models import Attachment, CatalogueEntry, Evidence, Item
from ..selectors import carriers_without_evidence
from .catalogue import clean_carriers, clean_forms
from .common import clean
from .supervision import finding_record

if TYPE_CHECKING:
    from qujing_disclosure.core.models import User

ITEM_EDIT_FIELDS = ("title", "content", "scope", "forms", "time_type", "field", "publish_on", "display_until")


# --- the window (R16) and the display (R17) -----------------------------------------------------
def check_schedule(*, time_type: str, publish_on: datetime.date | None, display_until: datetime.date | None,
                   today: datetime.date | None = None) -> None:
    """R16/R17 for a planned item. Raises DomainError naming the rule, the limit and the next valid date.

    Writes nothing, so forms may call it to keep the input and show the message on its field."""
    today = today or clock.today()
    if publish_on is None:
        raise DomainError(_("请填写拟公开日期（北京时间）。"), field="publish_on", code="publish_on_required")
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


def _check_external_has_carrier(item: Item) -> None:
    """R12/R13: an external item names where it will be published, so proof can be checked per carrier."""
    if item.scope == Scope.EXTERNAL and not item.carriers.filter(is_active=True).exists():
        raise DomainError(
            _("对外公开事项须在“公开载体”中至少选择一个在用的载体（公开栏、网页、显示屏等），才能提交或审核通过（R13）。"),
            field="carriers", code="carrier_required", rule="R13",
        )


def _check_previous(previous_id: int, *, entry: CatalogueEntry, scope: str) -> Item:
    """R15: a linked series (repeated items, or a long-term item and its replacement) stays within one
    organisation, one catalogue entry and one scope, and links to an item that went into the procedure —
    so no item can be superseded, or joined to a series, through an unrelated link."""
    previous = Item.objects.filter(pk=previous_id).select_related("entry").first()
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


def _check_may_leave_display(item: Item, today: datetime.date, what: str) -> None:
    """R17: no less than 15 days on display before an item is withdrawn or archived."""
    if not dates.may_leave_display(item.published_on, today):
        raise DomainError(
            _("公开时间不少于%(days)d天（R17）：该事项于 %(published)s 公开，%(min)s 之前不能%(what)s。")
            % {"days": dates.min_display_days(), "published": item.published_on.isoformat(),
               "min": dates.min_display_end(item.published_on).isoformat(), "what": what},
            field="state", code="display_too_short", rule="R17",
        )


# --- step 1: propose and review (R14) -------------------------------------------------------------
@transaction.atomic
def item_create(*, actor: User | None, entry_id: int, title: str, content: str, publish_on: datetime.date | None,
                display_until: datetime.date | None = None, scope: str | None = None,
                forms: Iterable[str] | None = None, carrier_ids: Iterable[int] | None = None,
                time_type: str | None = None, field: str | None = None, previous_id: int | None = None) -> Item:
    """Draft a disclosure item under a catalogue entry (R14 step 1: propose).

    Who: the entry's organisation (`disclosure.edit_item`). Scope, forms, carriers, time type and field
    default to the entry's. Guarantees: the publication date lies in the 1st–10th window unless the item
    is prompt (R16), the display end at least 15 days later (R17), forms and carriers fit the scope (R13),
    a linked previous item belongs to the same entry and scope (R15); one audit row `disclosure.item.create`."""
    entry = CatalogueEntry.objects.select_related("organization").get(pk=entry_id)
    require(actor, "disclosure.edit_item", entry)
    if not entry.is_active:
        raise DomainError(_("该目录条目已停用，不能新建公开事项。"), field="entry", code="entry_inactive")
    scope = scope or entry.scope
    time_type = time_type or entry.time_type
    forms = clean_forms(entry.forms if forms is None else forms, scope)
    if carrier_ids is None:
        carrier_ids = list(entry.carriers.values_list("pk", flat=True))
    carriers = clean_carriers(entry.organization_id, carrier_ids, scope)
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


@transaction.atomic
def item_update(*, actor: User | None, item_id: int, carrier_ids: Iterable[int] | None = None,
                title: str | None = None, content: str | None = None, scope: str | None = None,
                forms: Iterable[str] | None = None, time_type: str | None = None, field: str | None = None,
                publish_on: datetime.date | None = None,
                display_until: datetime.date | None | EllipsisType = ...) -> Item:
    """Edit a draft or a returned item (None, or … for `display_until`, leaves a field as it is).

    Who: the item's organisation. Submitted items are frozen until returned. Guarantees: the same
    checks as item_create (R13, R16, R17); one audit row `disclosure.item.update` with old and new
    values (carriers as id lists), none when nothing changed."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
    if item.state not in EDITABLE_STATES:
        raise InvalidTransition(_("只有拟稿或退回修改的事项可以修改。"), field="state")
    given = {"title": title, "content": content, "scope": scope, "forms": forms, "time_type": time_type,
             "field": field, "publish_on": publish_on}
    values = {name: given[name] if given.get(name) is not None else getattr(item, name)
              for name in ITEM_EDIT_FIELDS if name != "display_until"}
    values["display_until"] = item.display_until if display_until is ... else display_until
    values["forms"] = clean_forms(values["forms"], values["scope"])
    check_schedule(time_type=values["time_type"], publish_on=values["publish_on"], display_until=values["display_until"])
    values["due_by"] = dates.due_by(values["publish_on"], prompt=values["time_type"] == TimeType.PROMPT)
    m2m = None
    if carrier_ids is not None or values["scope"] != item.scope:
        ids = carrier_ids if carrier_ids is not None else list(item.carriers.values_list("pk", flat=True))
        m2m = {"carriers": clean_carriers(item.organization_id, ids, values["scope"])}
    fields_update(item, values, actor=actor, action="disclosure.item.update", m2m=m2m)
    return item


@transaction.atomic
def item_add_attachment(*, actor: User | None, item_id: int, title: str, uploaded_file: UploadedFile) -> Attachment:
    """Attach a file to a draft or returned item (public with the item once it is external and on display).

    Who: the item's organisation. Guarantees: an accepted file type and size; one audit row
    `disclosure.item.add_attachment` on the item."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
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
def item_submit(*, actor: User | None, item_id: int) -> Item:
    """Draft/returned → submitted for the organisation's initial review (R14).

    Who: the item's organisation. Guarantees: the window and display are re-checked (R16, R17) and an
    external item names a carrier in use (R13); a repeated submit changes nothing."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.SUBMITTED:
        return item
    transition_check(item, ItemState.SUBMITTED, ITEM_TRANSITIONS)
    check_schedule(time_type=item.time_type, publish_on=item.publish_on, display_until=item.display_until)
    _check_external_has_carrier(item)
    return transition_apply(item, ItemState.SUBMITTED, transitions=ITEM_TRANSITIONS, actor=actor,
                            action="disclosure.item.submit")


@transaction.atomic
def item_initial_review(*, actor: User | None, item_id: int, approve: bool, check_content: bool = False,
                        check_scope: bool = False, check_form: bool = False, check_timing: bool = False,
                        reason: str = "") -> Item:
    """R14 初审 by the organisation: content, scope, form and time limit each checked — or return with a reason.

    Who: the item's organisation (`disclosure.initial_review_item`). Guarantees: approval only with all four
    checks confirmed, the schedule still valid and a carrier in use; a return always carries its reason."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.initial_review_item", item)
    if not approve:
        return _return_item(item, actor=actor, reason=reason, transitions=INITIAL_RETURN_TRANSITIONS,
                            action="disclosure.item.initial_return")
    if item.state == ItemState.INITIAL_APPROVED:
        return item
    transition_check(item, ItemState.INITIAL_APPROVED, ITEM_TRANSITIONS)
    missing = [label for ok, label in (
        (check_content, _("内容")), (check_scope, _("范围")), (check_form, _("形式")), (check_timing, _("时限")),
    ) if not ok]
    if missing:
        raise DomainError(
            _("初审须逐项审核内容、范围、形式和时限（R14），尚未确认：%(items)s。") % {"items": _("、").join(missing)},
            field="checks", code="checks_missing", rule="R14",
        )
    check_schedule(time_type=item.time_type, publish_on=item.publish_on, display_until=item.display_until)
    _check_external_has_carrier(item)
    return transition_apply(
        item, ItemState.INITIAL_APPROVED, transitions=ITEM_TRANSITIONS, actor=actor,
        action="disclosure.item.initial_review", reason=reason,
        fields={"check_content": True, "check_scope": True, "check_form": True, "check_timing": True,
                "initial_reviewed_by": actor, "initial_reviewed_at": timezone.now(), "return_reason": ""},
    )


@transaction.atomic
def item_review(*, actor: User | None, item_id: int, approve: bool, reason: str = "") -> Item:
    """R14 审查 by the leading group (through the supervising office): approve for publication, or return.

    Who: the supervising office of the item's jurisdiction, the municipal office or a leading-group member
    (`disclosure.review_item`). Guarantees: an external item names a carrier in use; a prompt item is
    published right after the commit (R15/R16 exception: the publish job is enqueued by name)."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.review_item", item)
    if not approve:
        return _return_item(item, actor=actor, reason=reason, transitions=REVIEW_RETURN_TRANSITIONS,
                            action="disclosure.item.review_return")
    if item.state == ItemState.APPROVED:
        return item
    transition_check(item, ItemState.APPROVED, ITEM_TRANSITIONS)
    _check_external_has_carrier(item)
    item = transition_apply(item, ItemState.APPROVED, transitions=ITEM_TRANSITIONS, actor=actor,
                            action="disclosure.item.review", reason=reason,
                            fields={"reviewed_by": actor, "reviewed_at": timezone.now()})
    if item.time_type == TimeType.PROMPT:
        enqueue_on_commit("disclosure.publish_due_items")
    return item


def _return_item(item: Item, *, actor: User | None, reason: str, transitions: dict, action: str) -> Item:
    """Send the item back with a reason (R14); each review returns only from the states it reviews."""
    reason = clean(reason)
    if not reason:
        raise DomainError(_("退回时必须填写理由。"), field="reason", code="reason_required", rule="R14")
    return transition_apply(item, ItemState.RETURNED, transitions=transitions, actor=actor, action=action,
                            reason=reason, fields={"return_reason": reason})


# --- step 4: organise and archive, or withdraw (R14, R17) ------------------------------------------
@transaction.atomic
def item_withdraw(*, actor: User | None, item_id: int, reason: str = "") -> Item:
    """Abandon a draft, or take a published item off display — never before 15 days (R17).

    Who: the item's organisation. Guarantees: a published item leaves display only with a reason and
    after 15 days; a repeated withdrawal changes nothing."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
    if item.state == ItemState.WITHDRAWN:
        return item
    transition_check(item, ItemState.WITHDRAWN, ITEM_TRANSITIONS)
    fields = {}
    if item.state == ItemState.PUBLISHED:
        if not clean(reason):
            raise DomainError(_("撤下已公开事项必须说明理由。"), field="reason", code="reason_required")
        today = clock.today()
        _check_may_leave_display(item, today, _("撤下"))
        fields = {"ended_on": today, "end_reason": reason}
    return transition_apply(item, ItemState.WITHDRAWN, transitions=ITEM_TRANSITIONS, actor=actor,
                            action="disclosure.item.withdraw", reason=reason, fields=fields)


@transaction.atomic
def item_archive(*, actor: User | None, item_id: int, reason: str = "") -> Item:
    """Published → archived (R14 step 4: organise and archive), never before 15 days on display (R17).

    Who: the item's organisation or the municipal office (`disclosure.archive_item`); the archive job
    archives set-based (jobs.archive_ended_items) under the same rule."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.archive_item", item)
    if item.state == ItemState.ARCHIVED:
        return item
    transition_check(item, ItemState.ARCHIVED, ITEM_TRANSITIONS)
    today = clock.today()
    _check_may_leave_display(item, today, _("归档"))
    return transition_apply(item, ItemState.ARCHIVED, transitions=ITEM_TRANSITIONS, actor=actor,
                            action="disclosure.item.archive", reason=reason,
                            fields={"ended_on": today, "end_reason": reason})


# --- step 3: supervise and inspect (R14, R20) ------------------------------------------------------
@transaction.atomic
def item_record_evidence(*, actor: User | None, item_id: int, kind: str, carrier_id: int | None = None,
                         uploaded_file: UploadedFile | None = None, sms_count: int | None = None,
                         note: str = "") -> Evidence:
    """Proof of publication on one of the item's carriers in use (photo, screenshot, SMS count), checked
    at inspection. Internal items (meetings, documents) may record proof without a carrier.

    Who: the item's organisation, once the item is published. Guarantees: proof names a carrier the item
    uses and that is in use; one audit row `disclosure.item.evidence` on the item."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.edit_item", item)
    if item.state not in (ItemState.PUBLISHED, ItemState.ARCHIVED):
        raise InvalidTransition(_("事项公开后才能记录公开佐证。"), field="state")
    carrier = None
    if carrier_id:
        carrier = item.carriers.filter(pk=carrier_id, is_active=True).first()
        if carrier is None:
            raise DomainError(_("“公开载体”只能选择本事项选用的、在用的载体。"), field="carrier", code="carrier_not_used")
    elif item.scope == Scope.EXTERNAL:
        raise DomainError(_("对外公开事项的佐证须注明公开载体。"), field="carrier", code="carrier_required")
    if uploaded_file is not None:
        validate_upload(uploaded_file)
    elif sms_count is None and not note:
        raise DomainError(_("请上传照片或截图，或填写短信条数、说明。"), field="file", code="proof_required")
    evidence = Evidence.objects.create(
        item=item, carrier=carrier, kind=kind, file=uploaded_file or "", sms_count=sms_count, note=note,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="disclosure.item.evidence", target=item,
                 data={"evidence_id": evidence.pk, "carrier_id": carrier_id, "kind": kind})
    return evidence


@transaction.atomic
def item_inspect(*, actor: User | None, item_id: int, result: str, note: str = "",
                 finding_kind: str = FindingKind.EVIDENCE) -> Item:
    """R14 step 3 / R20: the supervising office checks the published item and its proof.

    Who: the supervising office of the item's jurisdiction or the municipal office (`disclosure.inspect_item`).
    Guarantees: "passed" only when every carrier of the item in use has proof; a problem needs a note and
    records a finding for the office to turn into a rectification notice. Every inspection is one audit
    row `disclosure.item.inspect` (from and to the result, the note as reason)."""
    item = lock(Item, pk=item_id)
    require(actor, "disclosure.inspect_item", item)
    if item.state not in (ItemState.PUBLISHED, ItemState.ARCHIVED, ItemState.WITHDRAWN) or item.published_on is None:
        raise InvalidTransition(_("只能检查已公开的事项。"), field="state")
    if result == InspectionResult.PROBLEM and not clean(note):
        raise DomainError(_("检查发现问题时必须写明问题。"), field="note", code="note_required")
    if result == InspectionResult.PASSED:
        # R14 step 3: "passed" means the item was seen on every carrier it names.
        missing = carriers_without_evidence(item)
        if missing:
            raise DomainError(
                _("以下公开载体尚无公开佐证，不能判定为“合格”：%(carriers)s。请先记录佐证，或判定为“存在问题”。")
                % {"carriers": _("、").join(str(carrier) for carrier in missing)},
                field="result", code="evidence_missing", rule="R14",
            )
    inspected = {"inspection_note": note, "inspected_by": actor, "inspected_at": timezone.now()}
    with audit_context():  # the inspection and the finding it records are one action
        if item.inspection_result == result:
            # A repeated inspection with the same result: the new note, inspector and time, still one record.
            fields_update(item, inspected, actor=actor, action="disclosure.item.inspect", reason=note,
                          data={"result": result})
        else:
            transition_apply(item, result, transitions=None, state_field="inspection_result", actor=actor,
                             action="disclosure.item.inspect", reason=note, fields=inspected)
        if result == InspectionResult.PROBLEM:
            finding_record(actor=actor, organization_id=item.organization_id, kind=finding_kind,
                           period=dates.first_of_month(item.published_on), description=note, item_id=item.pk)
    return item
