"""Writing the append-only audit record. Call from inside the service's transaction.

Every row written during one user action shares a batch id: `audit_context()` opens a batch
(the request middleware, the Celery task hook and the job command base each open one), and
every writer below takes the current batch, so an award that writes forty rows reads back as
one action. Outside any context each call is its own batch.
"""
import contextlib
import contextvars
import datetime
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import AuditEntry


_current_batch = contextvars.ContextVar("audit_batch", default=None)


@contextlib.contextmanager
def audit_context(batch=None):
    """Group every audit row written inside this block under one batch id.

    Nested contexts join the outer one, so a service that opens its own context inside a request
    still writes into the request's batch. Yields the batch id.
    """
    outer = _current_batch.get()
    if outer is not None:
        yield outer
        return
    token = _current_batch.set(batch or uuid.uuid4())
    try:
        yield _current_batch.get()
    finally:
        _current_batch.reset(token)


def current_batch():
    """The batch of the running user action, or a fresh id when none is open."""
    return _current_batch.get() or uuid.uuid4()


def _plain(value):
    """A JSON-safe rendering of a field value for the audit record (old and new values)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return str(value)


def changes_data(changes):
    """`{field: (old, new)}` as the audit record keeps it: `{"changes": {field: {"old": …, "new": …}}}`."""
    return {"changes": {name: {"old": _plain(old), "new": _plain(new)} for name, (old, new) in sorted(changes.items())}}


def _actor(actor):
    """Anonymous visitors and scheduled jobs are recorded without an actor."""
    return actor if (actor is not None and actor.is_authenticated) else None


def audit_record(*, actor, action, target, from_state="", to_state="", reason="", data=None, batch=None):
    return AuditEntry.objects.create(
        actor=_actor(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        batch=batch or current_batch(),
    )


def audit_record_many(*, actor, action, model, object_ids, from_state="", to_state="", reason="", data=None):
    """One audit row per id, in one INSERT (for set-based sweeper jobs)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    batch = current_batch()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=_actor(actor), action=action, content_type=content_type, object_id=str(pk),
                from_state=from_state or "", to_state=to_state or "", reason=reason or "", data=data or {},
                batch=batch,
            )
            for pk in object_ids
        ],
        batch_size=2000,
    )
    return batch


def _insert_select_supported():
    """PostgreSQL (unnest of an array) and SQLite (json_each) can copy the id set inside the database."""
    return connection.vendor in ("postgresql", "sqlite")


def audit_record_from_queryset(*, actor, action, model, ids, from_state="", to_state="", reason="", data=None):
    """One audit row per id, written by the database with a single ``INSERT INTO … SELECT``.

    For sweeper jobs that change 100,000 rows at once: building that many model instances for
    ``audit_record_many`` (a bulk_create) costs far more than the UPDATE it records, while one
    ``INSERT … SELECT`` keeps the audit close to the UPDATE's cost.

    ``ids`` is either a list (any iterable) of primary keys — e.g. the ids an
    ``UPDATE … RETURNING`` gave back — or a QuerySet whose rows' primary keys are recorded
    (evaluated inside the INSERT, so it sees the rows as they are at that moment).

    The rows are the same as ``audit_record`` would write one by one, and read back through
    ``history_for``: same actor (None for anonymous users and for jobs, ``actor=None``), action,
    content type of ``model`` (not the concrete model, like ``audit_record``), ``object_id`` as text,
    from/to state, reason and data; they share one batch id and one ``created_at``.

    PostgreSQL: ``SELECT unnest(%s::text[])`` over the id list, or the QuerySet as a sub-select.
    SQLite: ``SELECT value FROM json_each(%s)``, or the QuerySet as a sub-select.
    Other databases: falls back to ``audit_record_many`` (one bulk INSERT of built rows).

    Call inside the transaction of the change it records. Returns the batch id (also when there
    was nothing to record, in which case nothing is written).
    """
    actor = _actor(actor)
    if not _insert_select_supported():
        if isinstance(ids, QuerySet):
            ids = ids.order_by().values_list("pk", flat=True)
        return audit_record_many(actor=actor, action=action, model=model, object_ids=list(ids),
                                 from_state=from_state, to_state=to_state, reason=reason, data=data)
    batch = current_batch()
    if isinstance(ids, QuerySet):
        try:
            source, source_params = (
                ids.order_by().annotate(_audit_id=F("pk")).values_list("_audit_id").query.sql_with_params()
            )
        except EmptyResultSet:  # e.g. .none(): nothing to record
            return batch
        source = f"SELECT q.{connection.ops.quote_name('_audit_id')} AS id FROM ({source}) q"
        source_params = list(source_params)
    else:
        keys = [str(pk) for pk in ids]
        if not keys:
            return batch
        if connection.vendor == "postgresql":
            source, source_params = "SELECT unnest(%s::text[]) AS id", [keys]
        else:
            source, source_params = "SELECT value AS id FROM json_each(%s)", [json.dumps(keys)]
    quote = connection.ops.quote_name
    meta = AuditEntry._meta
    constants = {
        "batch": batch,
        "created_at": timezone.now(),
        "actor": actor.pk if actor is not None else None,
        "action": action,
        "content_type": ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
        "from_state": from_state or "",
        "to_state": to_state or "",
        "reason": reason or "",
        "data": data or {},
    }
    columns = [meta.get_field(name).column for name in constants]
    params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in constants.items()]
    placeholders = ["%s"] * len(constants)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}, {quote('object_id')}) "
        f"SELECT {', '.join(placeholders)}, CAST(src.id AS TEXT) FROM ({source}) src"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *source_params])
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


# Words for audit actions, so a history written by one app reads well in another's pages.
_action_labels = {}


def register_action_label(action, label):
    """Name an audit action for history views (register in AppConfig.ready())."""
    _action_labels[action] = label


def action_label(action, default=None):
    """The registered words for `action`, else `default`, else the action code itself."""
    return _action_labels.get(action, default or action)
