"""Rounds (创建轮次, R1) and their quotas (R2): the municipal office sets them up and moves them on."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qujing_disclosure.core.access import require
from qujing_disclosure.core.audit import audit_record, changes_data
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.models import User
from qujing_disclosure.core.transitions import (
    create_recorded,
    fields_allowed,
    fields_update,
    lock,
    transition_apply,
    transition_check,
)

from ..enums import RECOMMENDED_STATES, ROUND_TRANSITIONS, RoundStatus
from ..models import Application, Quota, Round

# What the office edits of a round; the status moves only through round_set_status.
ROUND_FIELDS = (
    "name", "year", "level", "organizer", "ratio", "pass_mark", "description",
    "applications_open_on", "applications_close_on", "screening_close_on",
)


def round_check(*, actor: User | None, round_: Round | None, values: Mapping[str, Any]) -> None:
    """May `actor` give `round_` (None: a new round) these values? Writes nothing.

    The admin form's `clean()` calls it, so the message lands on the field and the input stays;
    `round_save` calls it again under the row lock. Refuses: anyone but the municipal office;
    a ratio changed once applications opened (R2: it would move every limit under recommendations
    already made); dates out of order."""
    require(actor, "sites.manage_round", round_)
    if round_ is not None and round_.status != RoundStatus.DRAFT and "ratio" in values and values["ratio"] != round_.ratio:
        raise DomainError(_("申报开启后，推荐比例不能再修改。"), field="ratio", code="ratio_fixed", rule="R2")
    dates = {name: values.get(name, getattr(round_, name, None))
             for name in ("applications_open_on", "applications_close_on", "screening_close_on")}
    if None not in dates.values() and not (
        dates["applications_open_on"] <= dates["applications_close_on"] <= dates["screening_close_on"]
    ):
        raise DomainError(_("日期顺序有误：申报开始日期 ≤ 申报截止日期 ≤ 审核推荐截止日期。"),
                          field="applications_close_on", code="window_order")


@transaction.atomic
def round_save(*, actor: User | None, round_id: int | None, values: Mapping[str, Any]) -> Round:
    """Create a round (a draft) or edit one (municipal office, `sites.manage_round`).

    Guarantees: only ROUND_FIELDS change, never the status; `round_check` holds under the row lock;
    one audit row (`sites.round.create` / `sites.round.update`) with old and new values, none when
    nothing changed."""
    values = fields_allowed(values, ROUND_FIELDS)
    if round_id is None:
        round_check(actor=actor, round_=None, values=values)
        return create_recorded(Round, values, actor=actor, action="sites.round.create", to_state=RoundStatus.DRAFT)
    round_ = lock(Round, pk=round_id)
    round_check(actor=actor, round_=round_, values=values)
    fields_update(round_, values, actor=actor, action="sites.round.update")
    return round_


@transaction.atomic
def round_set_status(*, actor: User | None, round_id: int, status: str, reason: str = "") -> Round:
    """Move a round to `status` along ROUND_TRANSITIONS (municipal office, or a job with actor=None).

    Evaluation moves rounds into evaluation, publicity and finished through this door too.
    Opening needs at least one quota. A repeated call changes nothing."""
    round_ = lock(Round, pk=round_id)
    require(actor, "sites.manage_round", round_)
    if round_.status == status:
        return round_
    transition_check(round_, status, ROUND_TRANSITIONS, state_field="status", what=_("轮次"))
    if status == RoundStatus.OPEN and not round_.quotas.exists():
        raise DomainError(_("开启申报前，请先为各辖区设置名额。"), field="quotas", code="no_quotas")
    return transition_apply(round_, status, transitions=ROUND_TRANSITIONS, actor=actor, action="sites.round.set_status",
                            reason=reason, state_field="status", what=_("轮次"))


def quota_check(*, round_: Round, jurisdiction_id: int, slots: int) -> None:
    """R2: a quota may not fall below what its jurisdiction has already recommended (ratio × slots).

    Writes nothing: the admin's quota inline calls it in `clean()`, `quota_set` under the locks."""
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
def quota_set(*, actor: User | None, round_id: int, jurisdiction_id: int, slots: int) -> Quota:
    """Give a jurisdiction `slots` in a round (municipal office), never below what it already recommended (R2).

    The round row is locked so that two offices editing quotas are serialised; the quota row
    is locked so that a recommendation in flight (which locks it too) is counted. The audit row
    carries the old and new number (from/to and in its changes)."""
    round_ = lock(Round, pk=round_id)
    require(actor, "sites.manage_round", round_)
    quota = Quota.objects.select_for_update().filter(round=round_, jurisdiction_id=jurisdiction_id).first()
    if quota is not None and quota.slots == slots:
        return quota
    quota_check(round_=round_, jurisdiction_id=jurisdiction_id, slots=slots)
    previous = None if quota is None else quota.slots
    if quota is None:
        quota = Quota.objects.create(round=round_, jurisdiction_id=jurisdiction_id, slots=slots)
    else:
        quota.slots = slots
        quota.save(update_fields=["slots"])
    audit_record(actor=actor, action="sites.quota.set", target=quota,
                 from_state="" if previous is None else str(previous), to_state=str(slots),
                 data={"round_id": round_.pk, "jurisdiction_id": jurisdiction_id,
                       **changes_data({"slots": (previous, slots)})})
    return quota
