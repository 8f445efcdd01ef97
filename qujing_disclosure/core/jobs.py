"""The shape every time-driven sweep shares (Celery beat and management commands call the same functions).

A sweep is set-based and idempotent: it claims due rows with one conditional UPDATE
(`… WHERE state = old AND due … RETURNING id`), writes their audit rows with one INSERT … SELECT,
and returns exactly the ids it changed, so running it again changes nothing more. On PostgreSQL
the due rows are locked with SKIP LOCKED, so two workers running the same job at once never
claim the same row. Everything is judged in China time.
"""
import datetime
from dataclasses import dataclass, field

from django.db import connection

from .audit import audit_context, audit_record_from_queryset

CHUNK = 5000


@dataclass
class JobResult:
    job: str
    today: datetime.date
    dry_run: bool
    ids: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.ids)

    def __str__(self):
        verb = "would change" if self.dry_run else "changed"
        return f"{self.job} {self.today.isoformat()}: {verb} {self.count}"


def chunks(ids, size=CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _fast_path():
    """PostgreSQL and SQLite ≥ 3.35 can claim with one UPDATE … RETURNING and copy the audit set-based."""
    return connection.vendor in ("postgresql", "sqlite")


def claim(queryset, *, from_state, values, dry_run, state_field="state"):
    """Claim the due rows of `queryset`, moving them from `from_state`, in one conditional UPDATE.

    Returns exactly the ids this call changed: a concurrent run's rows are skipped (PostgreSQL:
    FOR UPDATE SKIP LOCKED in the sub-select) or no longer match `state = from_state`.
    `values` must set an `updated_at` stamp (the fallback path tells its own rows by it).
    """
    model = queryset.model
    if dry_run or not _fast_path():
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        ids = list(queryset.order_by().values_list("id", flat=True))
        if dry_run or not ids:
            return ids
        # Other databases: the conditional UPDATE per chunk, then keep the rows this run changed.
        for chunk in chunks(ids):
            model.objects.filter(id__in=chunk, **{state_field: from_state}).update(**values)
        return [pk for chunk in chunks(ids)
                for pk in model.objects.filter(id__in=chunk, updated_at=values["updated_at"]).values_list("id", flat=True)]
    quote = connection.ops.quote_name
    meta = model._meta
    select_sql, select_params = queryset.order_by().values("id").query.sql_with_params()
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
    assignment_params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "
        f"WHERE {quote('id')} IN ({select_sql}{lock}) AND {quote(meta.get_field(state_field).column)} = %s RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*assignment_params, *select_params, from_state])
        return [row[0] for row in cursor.fetchall()]


def audit_ids(ids, *, model, action, from_state="", to_state="", data=None):
    """One audit row per changed id (actor empty: a scheduled job), written set-based by one
    INSERT … SELECT over the id list, so the sweep's cost stays close to the UPDATE's."""
    if not ids:
        return None
    return audit_record_from_queryset(actor=None, action=action, model=model, ids=ids, from_state=from_state,
                                      to_state=to_state, data=data)


def run_job(job, *, today=None, dry_run=False):
    """Run one sweep as one action (its audit rows share a batch id)."""
    with audit_context():
        return job(today=today, dry_run=dry_run)
