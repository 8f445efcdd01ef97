#!/usr/bin/env python
"""Benchmark of disclosure (issue 4): the publish and archive beat jobs, and `/disclosure/<id>/`.

    .venv/bin/python bench/bench_disclosure.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_disclosure.py

1. Jobs over 100,000 items (bulk-loaded): `disclosure.jobs.publish_due_items` (claim due rows,
   conditional UPDATE, one audit row per item written by one INSERT … SELECT,
   `qujing_disclosure.core.audit.audit_record_from_queryset`) and `archive_ended_items`, each against one bare
   bulk SQL UPDATE of the same rows in the same run (rows reset between runs; best of N).
   Target (asserted, exit 1): job ≤ 3 × bare UPDATE.
2. `/disclosure/<id>/` with 1,000 external items on display: queries at 10 and at 1,000 items
   (asserted equal), and throughput under gunicorn against `/ping` (reported).
"""
from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BenchDatabase,
    Server,
    count_queries,
    ensure_world,
    http_get,
    machine_summary,
    measure,
    print_table,
)

JOB_TARGET = 3.0
PUBLISH_DAY = datetime.date(2026, 6, 3)      # a window day (R16)
ARCHIVE_DAY = datetime.date(2026, 7, 20)     # 15+ days after publication and after the display end (R17)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3, help="job timings: best of N (default 3)")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--keep", action="store_true")
    args, _unknown = p.parse_known_args(argv)  # run_all.py passes the same flags to every benchmark
    return args


def build(n_items):
    from django.contrib.auth import get_user_model

    from disclosure import dates
    from disclosure.enums import Cadence, ItemState, Scope, TimeType
    from disclosure.models import CatalogueEntry, Category, Item
    from qujing_disclosure.core.models import Role
    from sites.models import Organization

    world = ensure_world()
    User = get_user_model()
    author = User.objects.create(username="bench-disclosure", role=Role.MUNICIPAL)
    category = Category.objects.get(code="important-reports")
    orgs = Organization.objects.bulk_create([
        Organization(name=f"基准测试公开单位{i:04d}", jurisdiction=world["places"][i % len(world["places"])])
        for i in range(100)])
    orgs = list(Organization.objects.filter(name__startswith="基准测试公开单位").order_by("pk"))
    entries = CatalogueEntry.objects.bulk_create([
        CatalogueEntry(organization=o, jurisdiction_id=o.jurisdiction_id, category=category, title="重要情况通报",
                       scope=Scope.EXTERNAL, forms=["board"], time_type=TimeType.STAGED, cadence=Cadence.MONTHLY)
        for o in orgs])
    entries = list(CatalogueEntry.objects.filter(organization__in=orgs).order_by("pk"))
    display_until = PUBLISH_DAY + datetime.timedelta(days=20)
    Item.objects.bulk_create([
        Item(organization_id=e.organization_id, jurisdiction_id=e.jurisdiction_id, entry=e, title=f"基准事项{i}",
             content="基准测试内容", scope=Scope.EXTERNAL, forms=["board"], time_type=TimeType.STAGED,
             publish_on=PUBLISH_DAY, display_until=display_until, due_by=dates.window_end(PUBLISH_DAY),
             state=ItemState.APPROVED, created_by=author)
        for i in range(n_items) for e in [entries[i % len(entries)]]
    ], batch_size=5000)
    return orgs


def _reset(state, **values):
    from disclosure.models import Item

    Item.objects.filter(title__startswith="基准事项").update(state=state, **values)


def _clear_audit():
    from django.db import connection

    from qujing_disclosure.core.models import AuditEntry

    with connection.cursor() as cursor:  # AuditEntry is append-only through the ORM; the bench cleans up by SQL
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE action LIKE 'disclosure.item.%%'")


def _bare_update(sql, params):
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, params)
        return time.perf_counter() - started, cursor.rowcount


def time_jobs(repeat, n_items):
    from django.utils import timezone

    from disclosure import jobs
    from disclosure.enums import ItemState
    from disclosure.models import Item

    table = Item._meta.db_table
    now = timezone.now()
    results = {}
    # Publish: approved, due, on a window day.
    best_job = best_bare = None
    for _ in range(repeat):
        _reset(ItemState.APPROVED, published_on=None, published_at=None)
        bare, rows = _bare_update(
            f"UPDATE {table} SET state = %s, published_on = %s, published_at = %s, updated_at = %s "
            f"WHERE state = %s AND publish_on <= %s",
            [ItemState.PUBLISHED, PUBLISH_DAY, now, now, ItemState.APPROVED, PUBLISH_DAY])
        assert rows == n_items, rows
        _reset(ItemState.APPROVED, published_on=None, published_at=None)
        _clear_audit()
        started = time.perf_counter()
        result = jobs.publish_due_items(today=PUBLISH_DAY)
        job = time.perf_counter() - started
        assert result.count == n_items, result.count
        best_job = job if best_job is None else min(best_job, job)
        best_bare = bare if best_bare is None else min(best_bare, bare)
    results["publish"] = (best_job, best_bare)
    # Archive: published, display ended and 15 days passed.
    best_job = best_bare = None
    fifteen = ARCHIVE_DAY - datetime.timedelta(days=15)
    for _ in range(repeat):
        _reset(ItemState.PUBLISHED, published_on=PUBLISH_DAY, ended_on=None)
        bare, rows = _bare_update(
            f"UPDATE {table} SET state = %s, ended_on = %s, updated_at = %s "
            f"WHERE state = %s AND published_on < %s AND display_until < %s",
            [ItemState.ARCHIVED, ARCHIVE_DAY, now, ItemState.PUBLISHED, fifteen, ARCHIVE_DAY])
        assert rows == n_items, rows
        _reset(ItemState.PUBLISHED, published_on=PUBLISH_DAY, ended_on=None)
        _clear_audit()
        started = time.perf_counter()
        result = jobs.archive_ended_items(today=ARCHIVE_DAY)
        job = time.perf_counter() - started
        assert result.count == n_items, result.count
        best_job = job if best_job is None else min(best_job, job)
        best_bare = bare if best_bare is None else min(best_bare, bare)
    results["archive"] = (best_job, best_bare)
    return results


def public_page_world(orgs):
    """An organisation with 10 and then 1,000 external items on display (plus internal ones that must not show)."""
    from disclosure.enums import ItemState
    from disclosure.models import Item

    org = orgs[0]
    Item.objects.filter(title__startswith="基准事项").update(state=ItemState.ARCHIVED, published_on=PUBLISH_DAY)
    shown = list(Item.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True))
    return org, shown


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"[bench] disclosure: {args.items} items; {machine_summary()}", flush=True)
    failed = False
    with BenchDatabase(keep=args.keep) as db:
        started = time.perf_counter()
        orgs = build(args.items)
        print(f"[bench] data loaded in {time.perf_counter() - started:.1f}s", flush=True)
        results = time_jobs(args.repeat, args.items)
        rows = []
        for name, (job, bare) in results.items():
            ratio = job / bare if bare else float("inf")
            rows.append([f"{name} job (claim + conditional UPDATE + audit rows)", round(job, 3), f"{ratio:.2f}×"])
            rows.append(["bare bulk UPDATE, same rows", round(bare, 3), "1.00×"])
            if ratio > JOB_TARGET:
                print(f"FAIL: the {name} job took {ratio:.2f}× the bare UPDATE (target ≤ {JOB_TARGET:g}×)")
                failed = True
        print_table(["what", "seconds", "ratio"], rows,
                    title=f"Beat jobs over {args.items:,} items, best of {args.repeat} (target ≤ {JOB_TARGET:g}× bare)")

        from disclosure.enums import ItemState, Scope
        from disclosure.models import Item

        org, ids = public_page_world(orgs)
        path = f"/disclosure/{org.pk}/"
        Item.objects.filter(pk__in=ids[:10]).update(state=ItemState.PUBLISHED, published_on=PUBLISH_DAY)
        small = count_queries(path)
        Item.objects.filter(pk__in=ids[:1000]).update(state=ItemState.PUBLISHED, published_on=PUBLISH_DAY)
        Item.objects.filter(pk__in=ids[1000:1100]).update(state=ItemState.PUBLISHED, scope=Scope.INTERNAL)
        large = count_queries(path)
        shown = Item.objects.filter(organization=org, state=ItemState.PUBLISHED, scope=Scope.EXTERNAL).count()
        if small.count != large.count:
            print(f"FAIL: {path} costs {small.count} queries with 10 items and {large.count} with {shown}")
            failed = True
        pages = [("/ping", "/ping"), (f"/disclosure/<id>/ ({shown} items)", path)]
        out = {}
        with Server(database_url=db.url, workers=args.workers) as server:
            for label, p in pages:
                status, _ = http_get(server.url(p))
                if status != 200:
                    print(f"FAIL: {label} answered {status}\n{server.log_tail(15)}")
                    return 2
            for label, p in pages:
                out[label] = measure(server.url(p), requests=args.requests, seconds=args.seconds,
                                     concurrency=args.concurrency)
        ping = out["/ping"].rps
        print_table(["url", "req/s", "vs /ping", "queries (10 → 1,000 items)", "p50 ms", "p95 ms", "errors"], [
            [label, round(r.rps, 1), f"{r.rps / ping:.0%}" if ping else "-",
             f"{small.count} → {large.count}" if label != "/ping" else "-",
             round(r.percentile_ms(50), 1), round(r.percentile_ms(95), 1), r.errors] for label, r in out.items()
        ], title=f"Public disclosure page — gunicorn -w {args.workers}, {args.concurrency} connections")
    print("OK" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
