"""The set-based audit writer (core.audit.audit_record_from_queryset) writes the same rows as
audit_record, one INSERT … SELECT on PostgreSQL and SQLite, bulk_create elsewhere."""
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qujing_disclosure.core import audit
from qujing_disclosure.core.audit import audit_record, audit_record_from_queryset, history_for
from qujing_disclosure.core.models import AuditEntry
from sites.models import Organization
from tests import factories as f

ARGS = {
    "action": "test.organization.check",
    "from_state": "draft",
    "to_state": "checked",
    "reason": "抽查“三重一大”事项",
    "data": {"job": "test", "n": 2, "names": ["甲", "乙"]},
}


def content(entry):
    """What a reader of the history sees of one row (everything but id, batch and time)."""
    return (entry.actor_id, entry.action, entry.content_type_id, entry.object_id, entry.from_state, entry.to_state,
            entry.reason, entry.data)


@pytest.fixture
def organizations(county):
    return [f.OrganizationFactory(jurisdiction=county, name=f"审计测试党支部{i}") for i in range(3)]


def one_by_one(organizations, actor):
    for organization in organizations:
        audit_record(actor=actor, target=organization, **ARGS)
    return {e.object_id: content(e) for e in AuditEntry.objects.filter(action=ARGS["action"])}


def written(batch):
    return {e.object_id: content(e) for e in AuditEntry.objects.filter(batch=batch)}


@pytest.mark.django_db
@pytest.mark.parametrize("as_queryset", [False, True], ids=["id list", "queryset"])
def test_set_based_rows_are_identical_to_audit_record_rows(organizations, municipal, as_queryset):
    expected = one_by_one(organizations, municipal)
    ids = Organization.objects.filter(pk__in=[o.pk for o in organizations]) if as_queryset \
        else [o.pk for o in organizations]

    batch = audit_record_from_queryset(actor=municipal, model=Organization, ids=ids, **ARGS)

    assert written(batch) == expected
    assert len(expected) == 3
    assert expected[str(organizations[0].pk)] == (
        municipal.pk, "test.organization.check", ContentType.objects.get_for_model(Organization).pk,
        str(organizations[0].pk), "draft", "checked", "抽查“三重一大”事项", {"job": "test", "n": 2, "names": ["甲", "乙"]},
    )


@pytest.mark.django_db
def test_set_based_rows_share_one_batch_and_time_and_read_back_through_history(organizations):
    batch = audit_record_from_queryset(actor=None, model=Organization, ids=[o.pk for o in organizations], **ARGS)

    assert isinstance(batch, uuid.UUID)
    histories = [list(history_for(o)) for o in organizations]
    assert [[(e.action, e.actor, e.from_state, e.to_state, e.reason, e.data) for e in h] for h in histories] == [
        [("test.organization.check", None, "draft", "checked", "抽查“三重一大”事项", ARGS["data"])]
    ] * 3
    assert {h[0].batch for h in histories} == {batch}
    assert len({h[0].created_at for h in histories}) == 1
    assert histories[0][0].created_at is not None


@pytest.mark.django_db
def test_set_based_audit_is_one_insert_on_postgres_and_sqlite(organizations, municipal):
    ids = [o.pk for o in organizations]
    with CaptureQueriesContext(connection) as queries:
        audit_record_from_queryset(actor=municipal, model=Organization, ids=ids, **ARGS)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    assert "SELECT" in inserts[0].upper()
    assert AuditEntry.objects.filter(action=ARGS["action"]).count() == 3


@pytest.mark.django_db
def test_anonymous_actor_is_recorded_as_nobody_like_audit_record(organizations):
    batch = audit_record_from_queryset(actor=AnonymousUser(), model=Organization, ids=[organizations[0].pk], **ARGS)
    single = audit_record(actor=AnonymousUser(), target=organizations[1], **ARGS)
    assert [e.actor_id for e in AuditEntry.objects.filter(batch=batch)] == [None]
    assert single.actor_id is None


@pytest.mark.django_db
def test_defaults_match_audit_record(organizations):
    batch = audit_record_from_queryset(actor=None, action="test.plain", model=Organization, ids=[organizations[0].pk])
    single = audit_record(actor=None, action="test.plain", target=organizations[1])
    row = AuditEntry.objects.get(batch=batch)
    assert (row.from_state, row.to_state, row.reason, row.data) == ("", "", "", {})
    assert (single.from_state, single.to_state, single.reason, single.data) == ("", "", "", {})


@pytest.mark.django_db
@pytest.mark.parametrize("ids", [[], Organization.objects.none()], ids=["empty list", "empty queryset"])
def test_nothing_to_record_writes_nothing(organizations, ids):
    batch = audit_record_from_queryset(actor=None, model=Organization, ids=ids, **ARGS)
    assert isinstance(batch, uuid.UUID)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_queryset_records_only_its_rows(organizations, other_county):
    f.OrganizationFactory(jurisdiction=other_county, name="沾益区某党支部")
    batch = audit_record_from_queryset(
        actor=None, model=Organization, ids=Organization.objects.filter(jurisdiction=organizations[0].jurisdiction),
        **ARGS,
    )
    assert sorted(written(batch)) == sorted(str(o.pk) for o in organizations)


@pytest.mark.django_db
@pytest.mark.parametrize("as_queryset", [False, True], ids=["id list", "queryset"])
def test_other_databases_fall_back_to_bulk_create_with_the_same_rows(organizations, municipal, monkeypatch,
                                                                     as_queryset):
    expected = one_by_one(organizations, municipal)
    monkeypatch.setattr(audit, "_insert_select_supported", lambda: False)
    ids = Organization.objects.all() if as_queryset else [o.pk for o in organizations]
    batch = audit_record_from_queryset(actor=municipal, model=Organization, ids=ids, **ARGS)
    assert written(batch) == expected


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("as_queryset", [False, True], ids=["id list", "queryset"])
def test_postgres_insert_select_writes_the_same_rows(organizations, municipal, as_queryset):
    assert connection.vendor == "postgresql"
    expected = one_by_one(organizations, municipal)
    ids = Organization.objects.all() if as_queryset else [o.pk for o in organizations]
    with CaptureQueriesContext(connection) as queries:
        batch = audit_record_from_queryset(actor=municipal, model=Organization, ids=ids, **ARGS)
    assert written(batch) == expected
    insert = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(insert) == 1
    if not as_queryset:
        assert "unnest" in insert[0]


def test_other_apps_actions_read_as_words_in_a_history():
    from qujing_disclosure.core.audit import action_label

    # Registered by the evaluation app: an application's history shows the words, not the code.
    assert str(action_label("evaluation.shortlist.add")) == "列入初选名单"
    assert action_label("some.unknown.action") == "some.unknown.action"


@pytest.mark.django_db
def test_audit_entries_are_append_only(municipal, county):
    audit_record(actor=municipal, action="test.append_only", target=county)
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.update(reason="x")
    assert AuditEntry.objects.count() == 1
