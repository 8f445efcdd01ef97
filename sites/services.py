"""Every write of the designation workflow. The only door through which state changes.

Each transition: lock the row, return quietly if already in the target state,
refuse a state that is not an allowed source, check the actor (actor=None means
a scheduled job), save with update_fields, write the audit record in the same
transaction, and send side effects on commit.
"""
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted

from .enums import (
    APPLICATION_TRANSITIONS,
    RECOMMENDED_STATES,
    ROUND_TRANSITIONS,
    ApplicationState,
    DesignationStatus,
    RoundStatus,
)
from .models import (
    Application,
    ApplicationMaterial,
    Designation,
    Organization,
    Quota,
    Round,
)

ALLOWED_UPLOAD_EXTENSIONS = {
    ".pdf": "PDF",
    ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP",
    ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel", ".ppt": "PowerPoint", ".pptx": "PowerPoint",
    ".wps": "WPS", ".et": "WPS", ".dps": "WPS",
}
# Leading bytes of each family, so a renamed executable is refused.
_MAGIC = {
    "PDF": (b"%PDF",),
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "WEBP": (b"RIFF",),
    # OOXML files are zip archives; legacy Office/WPS files are OLE2 compound documents.
    "Word": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "Excel": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "PowerPoint": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "WPS": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
}


def _require(actor, perm, obj):
    if actor is not None and not actor.has_perm(perm, obj):
        raise NotPermitted()


def _check_transition(application, target):
    if target not in APPLICATION_TRANSITIONS[ApplicationState(application.state)]:
        raise InvalidTransition(
            _("申报当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": application.get_state_display(), "target": ApplicationState(target).label},
            field="state",
        )


def _lock_application(application_id):
    # Lock only the application row (of=self): the joined round must stay free for other units.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organization", "jurisdiction")
        .get(pk=application_id)
    )


def _today():
    return timezone.localdate()  # Asia/Shanghai


def _require_application_window(round_):
    """Applications are created, submitted and withdrawn only in an open round, inside its window."""
    today = _today()
    if round_.status != RoundStatus.OPEN:
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不接受申报。") % {"round": round_.name, "status": round_.get_status_display()},
            field="round",
        )
    if today < round_.applications_open_on:
        raise DomainError(
            _("申报将于 %(date)s 开始（北京时间）。") % {"date": round_.applications_open_on.isoformat()}, field="round"
        )
    if today > round_.applications_close_on:
        raise DomainError(
            _("申报已于 %(date)s 截止（北京时间）。") % {"date": round_.applications_close_on.isoformat()}, field="round"
        )


def _require_screening_window(round_):
    """Counties screen while applications are open and after they close, until the screening deadline."""
    today = _today()
    if round_.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不能审核推荐。") % {"round": round_.name, "status": round_.get_status_display()},
            field="round",
        )
    if today > round_.screening_close_on:
        raise DomainError(
            _("审核推荐已于 %(date)s 截止（北京时间）。") % {"date": round_.screening_close_on.isoformat()}, field="round"
        )


def quota_usage(*, round_, jurisdiction):
    """(slots, limit, recommended) for one jurisdiction in one round; slots None when it has no quota."""
    quota = Quota.objects.filter(round=round_, jurisdiction=jurisdiction).first()
    recommended = Application.objects.filter(
        round=round_, jurisdiction=jurisdiction, state__in=RECOMMENDED_STATES
    ).count()
    if quota is None:
        return None, 0, recommended
    return quota.slots, quota.slots * round_.ratio, recommended


# --- rounds ------------------------------------------------------------------------
@transaction.atomic
def round_set_status(*, actor, round_id, status, reason=""):
    """Move a round to `status` (municipal office or a job). Opening needs at least one quota."""
    round_ = Round.objects.select_for_update().get(pk=round_id)
    _require(actor, "sites.manage_round", round_)
    if round_.status == status:
        return round_
    if status not in ROUND_TRANSITIONS[RoundStatus(round_.status)]:
        raise InvalidTransition(
            _("轮次当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": round_.get_status_display(), "target": RoundStatus(status).label},
            field="status",
        )
    if status == RoundStatus.OPEN and not round_.quotas.exists():
        raise DomainError(_("开启申报前，请先为各辖区设置名额。"), field="quotas")
    previous = round_.status
    round_.status = status
    round_.save(update_fields=["status"])
    audit_record(actor=actor, action="sites.round.set_status", target=round_, from_state=previous, to_state=status, reason=reason)
    return round_


def quota_check(*, round_, jurisdiction_id, slots):
    """R2: a quota may not fall below what its jurisdiction has already recommended (ratio × slots)."""
    recommended = Application.objects.filter(
        round=round_, jurisdiction_id=jurisdiction_id, state__in=RECOMMENDED_STATES
    ).count()
    if slots * round_.ratio < recommended:
        raise DomainError(
            _("按%(ratio)d:1比例，名额%(slots)d个最多推荐%(limit)d个，但已推荐%(count)d个，名额不能再减少。")
            % {"ratio": round_.ratio, "slots": slots, "limit": slots * round_.ratio, "count": recommended},
            field="slots", code="quota_below_recommended", rule="R2",
        )


@transaction.atomic
def quota_set(*, actor, round_id, jurisdiction_id, slots):
    """Give a jurisdiction `slots` in a round (municipal office), never below what it already recommended (R2).

    The round row is locked so that two offices editing quotas are serialised; the quota row
    is locked so that a recommendation in flight (which locks it too) is counted.
    """
    round_ = Round.objects.select_for_update().get(pk=round_id)
    _require(actor, "sites.manage_round", round_)
    quota = Quota.objects.select_for_update().filter(round=round_, jurisdiction_id=jurisdiction_id).first()
    if quota is not None and quota.slots == slots:
        return quota
    quota_check(round_=round_, jurisdiction_id=jurisdiction_id, slots=slots)
    previous = "" if quota is None else str(quota.slots)
    if quota is None:
        quota = Quota.objects.create(round=round_, jurisdiction_id=jurisdiction_id, slots=slots)
    else:
        quota.slots = slots
        quota.save(update_fields=["slots"])
    audit_record(actor=actor, action="sites.quota.set", target=quota, from_state=previous, to_state=str(slots),
                 data={"round_id": round_.pk, "jurisdiction_id": jurisdiction_id})
    return quota


# --- applications ------------------------------------------------------------------
@transaction.atomic
def application_create(*, actor, round_id, organization_id, summary, contact_name, contact_phone):
    """Create a draft application for a unit (the unit itself or its county office, R3)."""
    round_ = Round.objects.get(pk=round_id)
    organization = Organization.objects.select_related("jurisdiction").get(pk=organization_id)
    _require(actor, "sites.create_application", organization)
    _require_application_window(round_)
    if not organization.is_active:
        raise DomainError(
            _("%(org)s已停用，不能申报。") % {"org": organization.name}, field="organization", code="organization_inactive"
        )
    if not Quota.objects.filter(round=round_, jurisdiction_id=organization.jurisdiction_id).exists():
        raise DomainError(
            _("本轮未给%(jurisdiction)s分配名额，不能申报。") % {"jurisdiction": organization.jurisdiction.name},
            field="organization",
        )
    if Application.objects.filter(round=round_, organization=organization).exclude(state=ApplicationState.WITHDRAWN).exists():
        raise DomainError(
            _("%(org)s在本轮已有申报，不能重复申报。") % {"org": organization.name}, field="organization"
        )
    application = Application.objects.create(
        round=round_, organization=organization, jurisdiction_id=organization.jurisdiction_id,
        summary=summary, contact_name=contact_name, contact_phone=contact_phone, created_by=actor,
    )
    audit_record(actor=actor, action="sites.application.create", target=application, to_state=application.state)
    return application


@transaction.atomic
def application_update(*, actor, application_id, summary, contact_name, contact_phone):
    """Edit a draft's text. Submitted applications are frozen."""
    application = _lock_application(application_id)
    _require(actor, "sites.edit_application", application)
    if application.state != ApplicationState.DRAFT:
        raise InvalidTransition(_("只有草稿状态的申报可以修改。"), field="state")
    changes = {}
    for field, value in (("summary", summary), ("contact_name", contact_name), ("contact_phone", contact_phone)):
        if getattr(application, field) != value:
            changes[field] = value
            setattr(application, field, value)
    if changes:
        application.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="sites.application.update", target=application, data={"fields": sorted(changes)})
    return application


def validate_upload(uploaded_file):
    """Uploads are PDF, images or Office files, no larger than UPLOAD_MAX_BYTES."""
    import os

    name = uploaded_file.name or ""
    extension = os.path.splitext(name)[1].lower()
    family = ALLOWED_UPLOAD_EXTENSIONS.get(extension)
    if family is None:
        raise DomainError(
            _("文件“%(name)s”类型不支持：只接受 PDF、图片（JPG/PNG/GIF/WEBP）和 Office/WPS 文件。") % {"name": name},
            field="file",
        )
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise DomainError(
            _("文件“%(name)s”大小为 %(size).1f MB，超过上限 %(limit).0f MB。")
            % {"name": name, "size": uploaded_file.size / 1048576, "limit": limit / 1048576},
            field="file",
        )
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC[family]):
        raise DomainError(
            _("文件“%(name)s”的内容与扩展名不符，请上传真实的 %(family)s 文件。") % {"name": name, "family": family},
            field="file",
        )
    return family


@transaction.atomic
def application_add_material(*, actor, application_id, title, uploaded_file):
    application = _lock_application(application_id)
    _require(actor, "sites.edit_application", application)
    if application.state != ApplicationState.DRAFT:
        raise InvalidTransition(_("只有草稿状态的申报可以上传材料。"), field="file")
    validate_upload(uploaded_file)
    material = ApplicationMaterial.objects.create(
        application=application, title=title or uploaded_file.name, file=uploaded_file,
        size=uploaded_file.size, content_type=getattr(uploaded_file, "content_type", "") or "", uploaded_by=actor,
    )
    audit_record(
        actor=actor, action="sites.application.add_material", target=application,
        data={"material_id": material.pk, "title": material.title, "size": material.size},
    )
    return material


@transaction.atomic
def application_submit(*, actor, application_id):
    """Draft → submitted, inside the application window."""
    application = _lock_application(application_id)
    _require(actor, "sites.submit_application", application)
    if application.state == ApplicationState.SUBMITTED:
        return application
    _check_transition(application, ApplicationState.SUBMITTED)
    _require_application_window(application.round)
    # R3: the unit applies with its materials; an empty application cannot be screened.
    if not application.materials.exists():
        raise DomainError(_("请先上传申报材料再提交。"), field="materials", code="materials_required", rule="R3")
    return _set_state(application, ApplicationState.SUBMITTED, actor=actor, action="sites.application.submit",
                      extra_fields={"submitted_at": timezone.now()})


@transaction.atomic
def application_withdraw(*, actor, application_id, reason=""):
    """Draft or submitted → withdrawn, while the application window is open."""
    application = _lock_application(application_id)
    _require(actor, "sites.withdraw_application", application)
    if application.state == ApplicationState.WITHDRAWN:
        return application
    _check_transition(application, ApplicationState.WITHDRAWN)
    _require_application_window(application.round)
    return _set_state(application, ApplicationState.WITHDRAWN, actor=actor, action="sites.application.withdraw", reason=reason)


@transaction.atomic
def application_recommend(*, actor, application_id, reason=""):
    """Submitted → recommended by the county office (R3), never past ratio × quota (R2).

    The quota row is locked first, so two offices recommending the last slot at
    the same moment are serialised: the second sees the first's recommendation
    and is refused.
    """
    application = Application.objects.select_related("round").get(pk=application_id)
    _require(actor, "sites.screen_application", application)
    # R2: lock the quota of (round, jurisdiction) before counting; this is the serialisation point.
    quota = (
        Quota.objects.select_for_update()
        .filter(round_id=application.round_id, jurisdiction_id=application.jurisdiction_id)
        .first()
    )
    application = _lock_application(application_id)
    if application.state == ApplicationState.RECOMMENDED:
        return application
    _check_transition(application, ApplicationState.RECOMMENDED)
    _require_screening_window(application.round)
    slots = quota.slots if quota else 0
    limit = slots * application.round.ratio
    recommended = Application.objects.filter(
        round_id=application.round_id, jurisdiction_id=application.jurisdiction_id, state__in=RECOMMENDED_STATES
    ).count()
    if recommended >= limit:
        # R2: at most ratio × N recommendations for N slots.
        raise DomainError(
            _("按%(ratio)d:1比例，本轮%(jurisdiction)s名额%(slots)d个，最多推荐%(limit)d个，已推荐%(count)d个，不能再推荐。")
            % {"ratio": application.round.ratio, "jurisdiction": application.jurisdiction.name, "slots": slots,
               "limit": limit, "count": recommended},
            field="state", code="quota_exceeded", rule="R2",
        )
    return _set_state(application, ApplicationState.RECOMMENDED, actor=actor, action="sites.application.recommend",
                      reason=reason, extra_fields={"decided_at": timezone.now(), "decision_reason": reason})


@transaction.atomic
def application_reject(*, actor, application_id, reason):
    """Submitted → rejected by the county office, with a reason (R3)."""
    application = _lock_application(application_id)
    _require(actor, "sites.screen_application", application)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("不推荐时必须填写理由。"), field="reason", rule="R3")
    if application.state == ApplicationState.REJECTED:
        return application
    _check_transition(application, ApplicationState.REJECTED)
    _require_screening_window(application.round)
    return _set_state(application, ApplicationState.REJECTED, actor=actor, action="sites.application.reject",
                      reason=reason, extra_fields={"decided_at": timezone.now(), "decision_reason": reason})


def application_set_state(*, actor, application_id, state, action, reason="", data=None):
    """For other workflows (evaluation): a checked transition with its audit record. Caller checks permission."""
    with transaction.atomic():
        application = _lock_application(application_id)
        if application.state == state:
            return application
        _check_transition(application, state)
        return _set_state(application, state, actor=actor, action=action, reason=reason, data=data)


def _set_state(application, state, *, actor, action, reason="", extra_fields=None, data=None):
    previous = application.state
    application.state = state
    fields = ["state", "updated_at"]
    for name, value in (extra_fields or {}).items():
        setattr(application, name, value)
        fields.append(name)
    application.save(update_fields=fields)
    audit_record(actor=actor, action=action, target=application, from_state=previous, to_state=state, reason=reason, data=data)
    return application


# --- designations ------------------------------------------------------------------
def designation_award(*, actor, application_id: int, plaque_number: str, awarded_on, subsidy_amount,
                      action: str = "sites.designation.award", data: dict | None = None) -> Designation:
    """R9: the title for a shortlisted application's unit: a new active designation with its plaque.

    Called by the evaluation award step (`evaluation.services.round_award`) inside its transaction,
    which has already checked the actor, the publicity and the quota; this door writes the row
    and its one audit record (action `sites.designation.award`, the plaque and subsidy in data)."""
    application = Application.objects.select_related("round").get(pk=application_id)
    designation = Designation.objects.create(
        organization_id=application.organization_id, jurisdiction_id=application.jurisdiction_id,
        round_id=application.round_id, application=application, level=application.round.level,
        plaque_number=plaque_number, subsidy_amount=subsidy_amount, awarded_on=awarded_on,
    )
    audit_record(actor=actor, action=action, target=designation, to_state=DesignationStatus.ACTIVE,
                 data={"plaque_number": plaque_number, "subsidy": str(subsidy_amount), **(data or {})})
    return designation


@transaction.atomic
def designation_revoke(*, actor, designation_id: int, reason: str, revoked_on=None,
                       action: str = "sites.designation.revoke", data: dict | None = None) -> Designation:
    """R10: withdraw a title and recall its plaque; the site stays listed as revoked.

    Municipal office (or a job). One audit row for the change; callers that carry a decision
    (evaluation's re-evaluation) pass its details in `data` and their own `action` instead of
    writing a second row."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤销示范点称号必须填写理由。"), field="reason", rule="R10")
    designation = Designation.objects.select_for_update().get(pk=designation_id)
    _require(actor, "sites.manage_designation", designation)
    if designation.status == DesignationStatus.REVOKED:
        return designation
    designation.status = DesignationStatus.REVOKED
    designation.revoked_on = revoked_on or _today()
    designation.revoke_reason = reason
    designation.save(update_fields=["status", "revoked_on", "revoke_reason"])
    audit_record(actor=actor, action=action, target=designation,
                 from_state=DesignationStatus.ACTIVE, to_state=DesignationStatus.REVOKED, reason=reason,
                 data={"revoked_on": designation.revoked_on.isoformat(), **(data or {})})
    return designation
