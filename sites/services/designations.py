"""Designations (示范点称号): awarded by the evaluation flow's award step (R9), revoked by re-evaluation
or the municipal office (R10), never deleted."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.clock import today
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import lock, transition_apply

from ..enums import DESIGNATION_TRANSITIONS, DesignationStatus
from ..models import Application, Designation, Organization, Round


@transaction.atomic
def designation_award(*, actor: User | None, application_id: int | None = None, plaque_number: str,
                      awarded_on: datetime.date, subsidy_amount: Decimal,
                      action: str = "sites.designation.award", data: dict[str, Any] | None = None,
                      organization_id: int | None = None, round_id: int | None = None,
                      reason: str = "") -> Designation:
    """R9: the title for a unit: a new active designation with its plaque and subsidy.

    Who: the municipal office (`sites.manage_designation`) or a job. Called by the evaluation award
    step (`evaluation.services.round_award`) inside its transaction, which has already checked the
    publicity and the quota, with the shortlisted `application_id`. A title of a round run before
    this system (no application) names `organization_id` and `round_id` instead.
    Guarantees: one row and one audit record (`action`, default `sites.designation.award`, the plaque
    and subsidy in its data with the caller's `data`); the public site page shows that record."""
    require(actor, "sites.manage_designation")
    if application_id is not None:
        application = Application.objects.select_related("round").get(pk=application_id)
        organization_id, round_ = application.organization_id, application.round
        jurisdiction_id = application.jurisdiction_id
    else:
        application = None
        round_ = Round.objects.get(pk=round_id)
        jurisdiction_id = Organization.objects.values_list("jurisdiction_id", flat=True).get(pk=organization_id)
    designation = Designation.objects.create(
        organization_id=organization_id, jurisdiction_id=jurisdiction_id, round=round_, application=application,
        level=round_.level, plaque_number=plaque_number, subsidy_amount=subsidy_amount, awarded_on=awarded_on,
    )
    audit_record(actor=actor, action=action, target=designation, to_state=DesignationStatus.ACTIVE, reason=reason,
                 data={"plaque_number": plaque_number, "subsidy": str(subsidy_amount), **(data or {})})
    return designation


@transaction.atomic
def designation_revoke(*, actor: User | None, designation_id: int, reason: str, revoked_on: datetime.date | None = None,
                       action: str = "sites.designation.revoke", data: dict[str, Any] | None = None) -> Designation:
    """R10: withdraw a title and recall its plaque; the site stays listed as revoked.

    Who: the municipal office (`sites.manage_designation`) or a job. Guarantees: a reason is
    required; the row is locked; a repeated call changes nothing; one audit row for the change
    (active → revoked, with the date and the old and new values) — callers that carry a decision
    (evaluation's re-evaluation) pass its details in `data` and their own `action` instead of
    writing a second row."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤销示范点称号必须填写理由。"), field="reason", code="reason_required", rule="R10")
    designation = lock(Designation, pk=designation_id)
    require(actor, "sites.manage_designation", designation)
    revoked_on = revoked_on or today()
    return transition_apply(
        designation, DesignationStatus.REVOKED, transitions=DESIGNATION_TRANSITIONS,
        actor=actor, action=action, reason=reason, state_field="status",
        fields={"revoked_on": revoked_on, "revoke_reason": reason},
        data={"revoked_on": revoked_on.isoformat(), **(data or {})},
    )
