#!/usr/bin/env python
"""Benchmark of evaluation (issue 3): the ranking export and the public `/publicity/` page.

    .venv/bin/python bench/bench_evaluation.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_evaluation.py

1. Ranking export: a round with 1,000 candidates scored by 10 evaluators each (10,000 submitted
   scorecards, bulk-loaded). `evaluation.exports.ranking_workbook` (queries, aggregation with
   trimmed mean, openpyxl write-only) saved to memory, against writing the same cells with bare
   openpyxl write-only in the same run. Target (asserted, exit 1): export ≤ 2 × bare, best of N.
2. `/publicity/` throughput under gunicorn against the trivial `/ping` (reported), with the
   queries one request costs (counted in process).
"""
from __future__ import annotations

import argparse
import datetime
import io
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchDatabase, Server, count_queries, ensure_world, http_get, machine_summary, measure, print_table  # noqa: E402

EXPORT_TARGET = 2.0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--candidates", type=int, default=1000)
    p.add_argument("--evaluators", type=int, default=10)
    p.add_argument("--repeat", type=int, default=3, help="export timings: best of N (default 3)")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--keep", action="store_true")
    return p.parse_args(argv)


def build_round(n_candidates, n_evaluators):
    """A round in publicity: n candidates each with n_evaluators submitted scorecards, and a publicity of 30."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from evaluation import services
    from evaluation.models import Assignment, Candidate, Deliberation, Publicity, PublicityEntry, Scorecard
    from qujing_disclosure.core.models import Role
    from sites.enums import ApplicationState, Level, RoundStatus
    from sites.models import Application, Organization, Quota, Round

    world = ensure_world()
    today = timezone.localdate()
    User = get_user_model()
    round_ = Round.objects.create(
        name="基准测试考评轮次", year=today.year, level=Level.COUNTY, organizer=world["city"], status=RoundStatus.EVALUATING,
        applications_open_on=today - datetime.timedelta(days=60), applications_close_on=today - datetime.timedelta(days=30),
        screening_close_on=today - datetime.timedelta(days=30))
    for place in world["places"]:
        Quota.objects.create(round=round_, jurisdiction=place, slots=n_candidates // len(world["places"]) // 2 + 1)
    services.table_create_default(actor=None, round_id=round_.pk)
    creator = User.objects.create(username="bench-office", role=Role.MUNICIPAL)
    evaluators = User.objects.bulk_create([User(username=f"bench-eval-{i}", role=Role.EVALUATOR) for i in range(n_evaluators)])
    evaluators = list(User.objects.filter(username__startswith="bench-eval-").order_by("pk"))
    places = world["places"]
    orgs = Organization.objects.bulk_create([
        Organization(name=f"基准测试党支部{i:05d}", jurisdiction=places[i % len(places)]) for i in range(n_candidates)])
    orgs = list(Organization.objects.filter(name__startswith="基准测试党支部").order_by("pk"))
    Application.objects.bulk_create([
        Application(round=round_, organization=o, jurisdiction_id=o.jurisdiction_id, state=ApplicationState.RECOMMENDED,
                    summary="基准", contact_name="张三", contact_phone="1", created_by=creator) for o in orgs], batch_size=1000)
    apps = list(Application.objects.filter(round=round_).order_by("pk"))
    Candidate.objects.bulk_create([Candidate(round=round_, application=a, organization_id=a.organization_id, jurisdiction_id=a.jurisdiction_id)
                                   for a in apps], batch_size=1000)
    candidates = list(Candidate.objects.filter(round=round_).order_by("pk"))
    Assignment.objects.bulk_create([Assignment(candidate=c, evaluator=e, state="declared") for c in candidates for e in evaluators], batch_size=2000)
    now = timezone.now()
    Scorecard.objects.bulk_create([
        Scorecard(assignment=a, state="submitted", submitted_at=now, total=Decimal(70 + (a.pk * 7919) % 30))
        for a in Assignment.objects.filter(candidate__round=round_).order_by("pk")], batch_size=2000)
    # A publicity of the top 30, for /publicity/.
    deliberation = Deliberation.objects.create(round=round_, meeting_date=today, attendees="-", decision="approved", recorded_by=creator)
    publicity = Publicity.objects.create(round=round_, deliberation=deliberation, starts_on=today, ends_on=today + datetime.timedelta(days=6), opened_by=creator)
    PublicityEntry.objects.bulk_create([PublicityEntry(publicity=publicity, application=a, score=Decimal("88.5"), position=i)
                                        for i, a in enumerate(apps[:30], start=1)])
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.PUBLICITY)
    round_.refresh_from_db()
    return round_


def time_export(round_, repeat):
    """(best export seconds, best bare seconds, rows, cells)."""
    from openpyxl import Workbook

    from evaluation import exports, selectors

    best_export = best_bare = None
    for _ in range(repeat):
        started = time.perf_counter()
        buffer = io.BytesIO()
        exports.ranking_workbook(round_).save(buffer)
        elapsed = time.perf_counter() - started
        best_export = elapsed if best_export is None else min(best_export, elapsed)
    # The same cells, already in memory, written by bare openpyxl write-only.
    groups = selectors.ranking(round_)
    rows = []
    for group in groups:
        for row in group["new"] + group["reevaluation"]:
            agg, c = row["agg"] or {}, row["candidate"]
            rows.append([group["jurisdiction"].name, group["slots"], row.get("rank"), c.organization_name, c.kind_label,
                         agg.get("score"), agg.get("mean"), agg.get("median"), agg.get("spread"), agg.get("n", 0), row["pending"],
                         row["satisfaction"], 0, None, "是" if row.get("within_quota") else "", c.status_label,
                         *exports.disclosure_cells(row["disclosure"])])
    width = len(rows[0]) if rows else 0
    for _ in range(repeat):
        started = time.perf_counter()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("排名")
        sheet.append(["title"])
        sheet.append(["h"] * width)
        for values in rows:
            sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        elapsed = time.perf_counter() - started
        best_bare = elapsed if best_bare is None else min(best_bare, elapsed)
    return best_export, best_bare, len(rows), len(rows) * width


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"[bench] evaluation: {args.candidates} candidates × {args.evaluators} evaluators; {machine_summary()}", flush=True)
    failed = False
    with BenchDatabase(keep=args.keep) as db:
        started = time.perf_counter()
        round_ = build_round(args.candidates, args.evaluators)
        print(f"[bench] data loaded in {time.perf_counter() - started:.1f}s", flush=True)
        export_s, bare_s, rows, cells = time_export(round_, args.repeat)
        ratio = export_s / bare_s if bare_s else float("inf")
        print_table(["what", "seconds", "rows", "cells", "ratio"], [
            ["ranking export (queries + aggregate + write-only)", round(export_s, 3), rows, cells, f"{ratio:.2f}×"],
            ["bare openpyxl write-only, same cells", round(bare_s, 3), rows, cells, "1.00×"],
        ], title=f"Ranking export, best of {args.repeat} (target ≤ {EXPORT_TARGET:g}× bare)")
        if ratio > EXPORT_TARGET:
            print(f"FAIL: the ranking export took {ratio:.2f}× the bare write (target ≤ {EXPORT_TARGET:g}×)")
            failed = True

        pages = [("/ping", "/ping"), ("/publicity/", "/publicity/")]
        queries = {label: count_queries(path) for label, path in pages}
        results = {}
        with Server(database_url=db.url, workers=args.workers) as server:
            for label, path in pages:
                status, _ = http_get(server.url(path))
                if status != 200:
                    print(f"FAIL: {label} answered {status}\n{server.log_tail(15)}")
                    return 2
            for label, path in pages:
                results[label] = measure(server.url(path), requests=args.requests, seconds=args.seconds, concurrency=args.concurrency)
        ping = results["/ping"].rps
        print_table(["url", "req/s", "vs /ping", "queries", "p50 ms", "p95 ms", "errors"], [
            [label, round(r.rps, 1), f"{r.rps / ping:.0%}" if ping else "-", queries[label].count,
             round(r.percentile_ms(50), 1), round(r.percentile_ms(95), 1), r.errors] for label, r in results.items()
        ], title=f"/publicity/ (30 units) — gunicorn -w {args.workers}, {args.concurrency} connections")
    print("OK" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
