"""The one door for state changes and field edits of a locked row.

Every service follows the same steps (see STYLE.md "One door per change"):

    obj = lock(Application.objects.select_related("round"), pk=application_id)   # SELECT … FOR UPDATE
    require(actor, "sites.submit_application", obj)                              # rules.py predicate
    if obj.state == target: return obj                                           # repeated submit: nothing twice
    transition_check(obj, target, APPLICATION_TRANSITIONS)                        # allowed source?
    …domain checks…
    return transition_apply(obj, target, transitions=…, actor=actor, action="sites.application.submit")

`transition_apply` repeats the no-op and source checks itself, so a service without domain checks
calls it alone. Edits of plain fields go through `fields_update`, which records old and new values.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from .audit import audit_record, changes_data
from .errors import InvalidTransition

M = TypeVar("M", bound=models.Model)


def lock(queryset: models.QuerySet[M] | type[M], *, pk: Any, of: Iterable[str] = ("self",)) -> M:
    """The row `pk` of `queryset`, locked for the rest of the transaction (only its own table: joined
    rows named by select_related stay free for other writers). Raises the model's DoesNotExist."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    return queryset.select_for_update(of=tuple(of)).get(pk=pk)


def _label(obj: models.Model, state_field: str, value: Any) -> str:
    field = obj._meta.get_field(state_field)
    return str(dict(field.flatchoices).get(value, value))


def transition_check(obj: models.Model, target: Any, transitions: Mapping[Any, Iterable[Any]], *,
                     state_field: str = "state", field: str | None = None, what: str | None = None) -> None:
    """Refuse `target` unless it is an allowed next state of `obj`'s current one (the enums' table).

    The message names the object's kind (`what`, else its verbose name) and both states in words,
    e.g. “申报当前状态为“已提交”，不能变更为“草稿”。”"""
    current = getattr(obj, state_field)
    allowed = transitions.get(current)
    if allowed is None:  # tables keyed by the enum member: look the plain value up too
        allowed = {str(k): v for k, v in transitions.items()}.get(str(current), ())
    if target in allowed or str(target) in {str(state) for state in allowed}:
        return
    raise InvalidTransition(
        _("%(what)s当前状态为“%(current)s”，不能变更为“%(target)s”。") % {
            "what": what or obj._meta.verbose_name,
            "current": _label(obj, state_field, current),
            "target": _label(obj, state_field, target),
        },
        field=field or state_field,
    )


def _touch_fields(obj: models.Model) -> list[str]:
    """auto_now fields (updated_at) are saved with every change."""
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def transition_apply(obj: M, target: Any, *, transitions: Mapping[Any, Iterable[Any]] | None, actor, action: str,
                     reason: str = "", fields: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None,
                     state_field: str = "state", what: str | None = None) -> M:
    """Move the locked row `obj` to `target` and record it.

    Does nothing when `obj` already is in `target` (a repeated request changes nothing twice).
    Refuses a source state the `transitions` table does not allow (pass None when the caller has
    already decided, e.g. a one-way flag). Sets `fields` alongside, saves only what changed
    (update_fields, plus auto_now fields) and writes one audit row with from/to state, the reason
    and the old and new values of `fields`. Call inside the service's transaction.
    """
    current = getattr(obj, state_field)
    if current == target:
        return obj
    if transitions is not None:
        transition_check(obj, target, transitions, state_field=state_field, what=what)
    changes = {}
    for name, value in (fields or {}).items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
        setattr(obj, name, value)
    setattr(obj, state_field, target)
    obj.save(update_fields=[state_field, *(fields or {}), *_touch_fields(obj)])
    record = dict(data or {})
    if changes:
        record.update(changes_data(changes))
    audit_record(actor=actor, action=action, target=obj, from_state=str(current), to_state=str(target),
                 reason=reason, data=record)
    return obj


def fields_update(obj: M, values: Mapping[str, Any], *, actor, action: str, reason: str = "",
                  data: Mapping[str, Any] | None = None, m2m: Mapping[str, Iterable[Any]] | None = None,
                  audit_target: models.Model | None = None) -> dict:
    """Edit plain fields (and many-to-many sets by id) of the locked row `obj`, recording old and new values.

    Returns `{field: (old, new)}` of what changed; saves and writes the audit row only when
    something did (a repeated save changes nothing). Many-to-many values are compared as id sets.
    `audit_target` records the edit in another object's history (a criterion's in its table's)."""
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, name, value)
    if changes:
        obj.save(update_fields=[*changes, *_touch_fields(obj)])
    for name, ids in (m2m or {}).items():
        manager = getattr(obj, name)
        old_ids = set(manager.values_list("pk", flat=True))
        new_ids = {getattr(v, "pk", v) for v in ids}
        if old_ids != new_ids:
            manager.set(sorted(new_ids))
            changes[name] = (sorted(old_ids), sorted(new_ids))
    if changes:
        audit_record(actor=actor, action=action, target=obj if audit_target is None else audit_target, reason=reason,
                     data={**(data or {}), **changes_data(changes)})
    return changes


def fields_allowed(values: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    """`values` as a dict, refusing (TypeError: a programming error) any field not in `allowed`:
    a service names exactly what it lets a caller edit."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    return dict(values)


def create_recorded(model: type[M], values: Mapping[str, Any], *, actor, action: str, to_state: str = "",
                    data: Mapping[str, Any] | None = None, m2m: Mapping[str, Iterable[Any]] | None = None,
                    unrecorded: Mapping[str, Any] | None = None) -> M:
    """Create a row of `model` with `values` (and many-to-many sets by id) and one audit row holding
    every value as new (old None). `unrecorded` values are saved but kept out of the record (a
    password hash). Call inside the service's transaction."""
    obj = model.objects.create(**values, **(unrecorded or {}))
    changes = {name: (None, value) for name, value in values.items()}
    for name, ids in (m2m or {}).items():
        new_ids = sorted({getattr(v, "pk", v) for v in ids})
        getattr(obj, name).set(new_ids)
        changes[name] = ([], new_ids)
    audit_record(actor=actor, action=action, target=obj, to_state=to_state, data={**(data or {}), **changes_data(changes)})
    return obj
