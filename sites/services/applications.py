"""Applications (申报, R3): a unit or its county office drafts, uploads, submits or withdraws; the county
office recommends within ratio × quota (R2) or rejects with a reason.

`application_set_state` is the door other workflows (evaluation: shortlist, award, not awarded) use;
every state of an application changes in this module and nowhere else.
"""
from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.clock import today
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import fields_update, lock, transition_apply, transition_check

from ..enums import APPLICATION_TRANSITIONS, RECOMMENDED_STATES, ApplicationState, RoundStatus
from ..models import Application, ApplicationMaterial, Organization, Quota, Round
from .uploads import validate_upload


def _locked_application(application_id: int) -> Application:
    # Only the application row is locked (of=self): the joined round must stay free for other units.
    return lock(Application.objects.select_related("round", "organization", "jurisdiction"), pk=application_id)


def _locked_for(actor: User | None, application_id: int, perm: str, target: str) -> tuple[Application, bool]:
    """Lock the application, check `perm` on it and that `target` may follow its state. Returns
    (application, done): done when it already is in `target` (a repeated request changes nothing)."""
    application = _locked_application(application_id)
    require(actor, perm, application)
    if application.state == target:
        return application, True
    transition_check(application, target, APPLICATION_TRANSITIONS)
    return application, False


def _require_application_window(round_: Round) -> None:
    """Applications are created, submitted and withdrawn only in an open round, inside its window (China time)."""
    day = today()
    if round_.status != RoundStatus.OPEN:
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不接受申报。") % {"round": round_.name, "status": round_.get_status_display()},
            field="round", code="round_not_open",
        )
    if day < round_.applications_open_on:
        raise DomainError(
            _("申报将于 %(date)s 开始（北京时间）。") % {"date": round_.applications_open_on.isoformat()},
            field="round", code="window_not_started",
        )
    if day > round_.applications_close_on:
        raise DomainError(
            _("申报已于 %(date)s 截止（北京时间）。") % {"date": round_.applications_close_on.isoformat()},
            field="round", code="window_closed",
        )


def _require_screening_window(round_: Round) -> None:
    """Counties screen while applications are open and after they close, until the screening deadline."""
    if round_.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        raise DomainError(
            _("轮次“%(round)s”当前状态为“%(status)s”，不能审核推荐。") % {"round": round_.name, "status": round_.get_status_display()},
            field="round", code="round_not_screening",
        )
    if today() > round_.screening_close_on:
        raise DomainError(
            _("审核推荐已于 %(date)s 截止（北京时间）。") % {"date": round_.screening_close_on.isoformat()},
            field="round", code="screening_closed",
        )


@transaction.atomic
def application_create(*, actor: User, round_id: int, organization_id: int, summary: str, contact_name: str,
                       contact_phone: str) -> Application:
    """A new draft application for a unit (R3).

    Who: the unit itself or its county office (`sites.create_application` on the organisation).
    Guarantees: inside an open round's window, for an active unit whose jurisdiction has a quota,
    one live application per unit and round; the jurisdiction is copied from the unit; audited."""
    round_ = Round.objects.get(pk=round_id)
    organization = Organization.objects.select_related("jurisdiction").get(pk=organization_id)
    require(actor, "sites.create_application", organization)
    _require_application_window(round_)
    if not organization.is_active:
        raise DomainError(
            _("%(org)s已停用，不能申报。") % {"org": organization.name}, field="organization", code="organization_inactive"
        )
    if not Quota.objects.filter(round=round_, jurisdiction_id=organization.jurisdiction_id).exists():
        raise DomainError(
            _("本轮未给%(jurisdiction)s分配名额，不能申报。") % {"jurisdiction": organization.jurisdiction.name},
            field="organization", code="no_quota",
        )
    if Application.objects.filter(round=round_, organization=organization).exclude(state=ApplicationState.WITHDRAWN).exists():
        raise DomainError(
            _("%(org)s在本轮已有申报，不能重复申报。") % {"org": organization.name}, field="organization", code="duplicate",
        )
    application = Application.objects.create(
        round=round_, organization=organization, jurisdiction_id=organization.jurisdiction_id,
        summary=summary, contact_name=contact_name, contact_phone=contact_phone, created_by=actor,
    )
    audit_record(actor=actor, action="sites.application.create", target=application, to_state=application.state)
    return application


def _require_draft(application: Application, message: str, field: str) -> None:
    if application.state != ApplicationState.DRAFT:
        raise InvalidTransition(message, field=field)


@transaction.atomic
def application_update(*, actor: User, application_id: int, summary: str, contact_name: str,
                       contact_phone: str) -> Application:
    """Edit a draft's text (`sites.edit_application`). Submitted applications are frozen.

    Guarantees: only the named fields change; the audit record holds their old and new values;
    saving the same text again writes nothing."""
    application = _locked_application(application_id)
    require(actor, "sites.edit_application", application)
    _require_draft(application, _("只有草稿状态的申报可以修改。"), "state")
    fields_update(application, {"summary": summary, "contact_name": contact_name, "contact_phone": contact_phone},
                  actor=actor, action="sites.application.update")
    return application


@transaction.atomic
def application_add_material(*, actor: User, application_id: int, title: str,
                             uploaded_file: UploadedFile) -> ApplicationMaterial:
    """Attach a file to a draft (`sites.edit_application`); the file is checked by `validate_upload`."""
    application = _locked_application(application_id)
    require(actor, "sites.edit_application", application)
    _require_draft(application, _("只有草稿状态的申报可以上传材料。"), "file")
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
def application_submit(*, actor: User, application_id: int) -> Application:
    """Draft → submitted inside the application window (`sites.submit_application`), with materials (R3)."""
    application, done = _locked_for(actor, application_id, "sites.submit_application", ApplicationState.SUBMITTED)
    if done:
        return application
    _require_application_window(application.round)
    # R3: the unit applies with its materials; an empty application cannot be screened.
    if not application.materials.exists():
        raise DomainError(_("请先上传申报材料再提交。"), field="materials", code="materials_required", rule="R3")
    return transition_apply(application, ApplicationState.SUBMITTED, transitions=APPLICATION_TRANSITIONS, actor=actor,
                            action="sites.application.submit", fields={"submitted_at": timezone.now()})


@transaction.atomic
def application_withdraw(*, actor: User, application_id: int, reason: str = "") -> Application:
    """Draft or submitted → withdrawn while the application window is open (`sites.withdraw_application`:
    the unit, or the county office for what it filed itself)."""
    application, done = _locked_for(actor, application_id, "sites.withdraw_application", ApplicationState.WITHDRAWN)
    if done:
        return application
    _require_application_window(application.round)
    return transition_apply(application, ApplicationState.WITHDRAWN, transitions=APPLICATION_TRANSITIONS, actor=actor,
                            action="sites.application.withdraw", reason=reason)


@transaction.atomic
def application_recommend(*, actor: User, application_id: int, reason: str = "") -> Application:
    """Submitted → recommended by the county office (R3, `sites.screen_application`), never past
    ratio × quota (R2), until the screening deadline.

    The quota row is locked first, so two offices recommending the last slot at the same moment
    are serialised: the second sees the first's recommendation and is refused."""
    application = Application.objects.select_related("round").get(pk=application_id)
    require(actor, "sites.screen_application", application)
    # R2: lock the quota of (round, jurisdiction) before counting; this is the serialisation point.
    quota = (
        Quota.objects.select_for_update()
        .filter(round_id=application.round_id, jurisdiction_id=application.jurisdiction_id)
        .first()
    )
    application = _locked_application(application_id)
    if application.state == ApplicationState.RECOMMENDED:
        return application
    transition_check(application, ApplicationState.RECOMMENDED, APPLICATION_TRANSITIONS)
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
    return transition_apply(application, ApplicationState.RECOMMENDED, transitions=APPLICATION_TRANSITIONS, actor=actor,
                            action="sites.application.recommend", reason=reason,
                            fields={"decided_at": timezone.now(), "decision_reason": reason})


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reason: str) -> Application:
    """Submitted → rejected by the county office with a reason (R3, `sites.screen_application`)."""
    application, done = _locked_for(actor, application_id, "sites.screen_application", ApplicationState.REJECTED)
    if done:
        return application
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("不推荐时必须填写理由。"), field="reason", code="reason_required", rule="R3")
    _require_screening_window(application.round)
    return transition_apply(application, ApplicationState.REJECTED, transitions=APPLICATION_TRANSITIONS, actor=actor,
                            action="sites.application.reject", reason=reason,
                            fields={"decided_at": timezone.now(), "decision_reason": reason})


@transaction.atomic
def application_set_state(*, actor: User | None, application_id: int, state: str, action: str, reason: str = "",
                          data: dict[str, Any] | None = None) -> Application:
    """The later states of the evaluation workflow (shortlisted, awarded, not awarded, back to recommended).

    Who: evaluation's services, which have checked their own permission (this door checks only the
    allowed source state). Guarantees: the row is locked, a repeated call changes nothing, the
    audit record carries the caller's `action`, `reason` and `data`."""
    application = _locked_application(application_id)
    return transition_apply(application, state, transitions=APPLICATION_TRANSITIONS, actor=actor, action=action,
                            reason=reason, data=data)
