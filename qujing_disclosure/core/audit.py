"""Writing the append-only audit record. Call from inside the service's transaction."""
import uuid

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_record(*, actor, action, target, from_state="", to_state="", reason="", data=None, batch=None):
    return AuditEntry.objects.create(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        batch=batch or uuid.uuid4(),
    )


def audit_record_many(*, actor, action, model, object_ids, from_state="", to_state="", reason="", data=None):
    """One audit row per id, in one INSERT (for set-based sweeper jobs)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    batch = uuid.uuid4()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor, action=action, content_type=content_type, object_id=str(pk),
                from_state=from_state, to_state=to_state, reason=reason, data=data or {}, batch=batch,
            )
            for pk in object_ids
        ],
        batch_size=2000,
    )
    return batch


def history_for(obj):
    """The audit entries of one object, oldest first, with actors loaded."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
