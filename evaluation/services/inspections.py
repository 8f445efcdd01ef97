"""Daily inspections and special checks (R20), an important basis of the preliminary list (R6).

The municipal office inspects anywhere, a county office in its own jurisdiction."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record
from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import fields_update, lock
from sites.models import Organization

from ..models import Inspection

INSPECTION_EDITABLE = ("kind", "inspected_on", "inspectors", "findings", "rating", "rectification_due", "rectified_on")


def inspection_check(*, inspected_on: datetime.date, rectification_due: datetime.date | None = None,
                     rectified_on: datetime.date | None = None) -> None:
    """The date checks of an inspection (China time), without writing; the admin form's clean() calls them."""
    today = china_today()
    if inspected_on > today:
        raise DomainError(_("检查日期不能晚于今天。"), field="inspected_on", code="future_date")
    if rectification_due and rectification_due < inspected_on:
        raise DomainError(_("整改期限不能早于检查日期。"), field="rectification_due", code="due_before_inspection")
    if rectified_on and not inspected_on <= rectified_on <= today:
        raise DomainError(_("整改完成日期应在检查日期之后、今天及以前。"), field="rectified_on", code="rectified_out_of_range")


@transaction.atomic
def inspection_record(*, actor: User | None, organization_id: int, kind: str, inspected_on: datetime.date, findings: str, rating: str,
                      inspectors: str = "", rectification_due: datetime.date | None = None) -> Inspection:
    """R20: record a daily inspection or special check; a finding may set a rectification deadline.

    The municipal office, or a county office for a unit of its own jurisdiction (`evaluation.record_inspection`)."""
    organization = Organization.objects.get(pk=organization_id)
    require(actor, "evaluation.record_inspection", organization)
    inspection_check(inspected_on=inspected_on, rectification_due=rectification_due)
    inspection = Inspection.objects.create(
        organization=organization, jurisdiction_id=organization.jurisdiction_id, kind=kind, inspected_on=inspected_on,
        findings=findings, rating=rating, inspectors=inspectors, rectification_due=rectification_due, recorded_by=actor,
    )
    audit_record(actor=actor, action="evaluation.inspection.record", target=inspection, data={"kind": kind, "rating": rating})
    return inspection


@transaction.atomic
def inspection_update(*, actor: User | None, inspection_id: int, **changes) -> Inspection:
    """R20: correct an inspection record or note its rectification; the unit stays.

    Whoever may record it (`evaluation.record_inspection`). Audited with old and new values, nothing when unchanged."""
    unknown = set(changes) - set(INSPECTION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    inspection = lock(Inspection, pk=inspection_id)
    require(actor, "evaluation.record_inspection", inspection)
    after = {key: changes.get(key, getattr(inspection, key)) for key in INSPECTION_EDITABLE}
    inspection_check(inspected_on=after["inspected_on"], rectification_due=after["rectification_due"], rectified_on=after["rectified_on"])
    fields_update(inspection, after, actor=actor, action="evaluation.inspection.update")
    return inspection
