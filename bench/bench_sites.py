#!/usr/bin/env python
"""Benchmark of the public site directory: `/sites/` and `/api/v1/sites/` against the trivial `/ping`.

    .venv/bin/python bench/bench_sites.py                 # 100 and 10,000 sites, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_sites.py

For each size (the same throwaway database, grown from 100 to 10,000 designations) it serves the
app with gunicorn (2 sync workers, DEBUG off) on a free 127.0.0.1 port and reports requests per
second for each URL, each page's ratio to `/ping`, and the queries one request costs (counted in
process with Django's test Client).

Targets (issue 2, point 12): each page ≥ 30% of `/ping`'s throughput (reported, not asserted);
queries per request the same at every size (asserted: exit status 1 when they differ, 2 when a
page does not answer 200).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BenchDatabase,
    Server,
    count_queries,
    grow_designations,
    http_get,
    machine_summary,
    measure,
    print_table,
    profile_in_process,
)

TRIVIAL = "/ping"
PAGES = [
    # (label, path, request headers)
    ("/sites/", "/sites/", {"Accept": "text/html"}),
    ("/api/v1/sites/", "/api/v1/sites/", {"Accept": "application/json"}),
]
TARGET_RATIO = 0.30


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100,10000", help="numbers of sites, ascending (default 100,10000)")
    p.add_argument("--requests", type=int, default=2000, help="requests per measurement, at most (default 2000)")
    p.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement, at most (default 5)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--concurrency", type=int, default=8, help="open connections of the load generator (default 8)")
    p.add_argument("--repeat", type=int, default=3,
                   help="measure /ping and the pages this many times, interleaved, and keep each URL's best "
                        "(evens out other load on a shared machine; default 3)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON (e.g. bench/results/sites.json)")
    p.add_argument("--profile", action="store_true",
                   help="always print the in-process profile (else only for a page below the target)")
    p.add_argument("--keep", action="store_true", help="keep the bench database and print its URL")
    args = p.parse_args(argv)
    args.sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    print(f"[bench] sites: sizes {args.sizes}, gunicorn -w {args.workers}, {args.concurrency} connections, "
          f"≤{args.requests} requests or ≤{args.seconds:g}s per measurement", flush=True)
    print(f"[bench] {machine_summary()}", flush=True)

    results = {}  # (size, label) -> LoadResult
    queries = {}  # (size, label) -> QueryCount
    missing = []
    with BenchDatabase(keep=args.keep) as db:
        for size in args.sizes:
            grow_designations(size)
            for label, path, headers in [(TRIVIAL, TRIVIAL, {})] + PAGES:
                queries[size, label] = q = count_queries(path, headers=headers)
                if q.error:
                    print(f"[bench] {label} failed in process at {size} sites: {q.error}", flush=True)
            with Server(database_url=db.url, workers=args.workers) as server:
                targets = []
                for label, path, headers in [(TRIVIAL, TRIVIAL, {})] + PAGES:
                    status, _ = http_get(server.url(path), headers=headers)
                    if status == 200:
                        targets.append((label, path, headers))
                    else:
                        print(f"[bench] {label} answered {status} at {size} sites; not measured", flush=True)
                        missing.append((size, label, status))
                if any(m[0] == size for m in missing):
                    print(f"[bench] end of the server log:\n{server.log_tail(15)}", flush=True)
                for attempt in range(1, args.repeat + 1):
                    for label, path, headers in targets:
                        result = measure(server.url(path), headers=headers, requests=args.requests,
                                         seconds=args.seconds, concurrency=args.concurrency)
                        print(f"[bench] {size:>6} sites  {label:<16} {result.rps:8.1f} req/s "
                              f"({result.ok} ok, {result.errors} errors, {result.elapsed:.2f}s; "
                              f"try {attempt}/{args.repeat})", flush=True)
                        best = results.get((size, label))
                        if best is None or result.rps > best.rps:
                            results[size, label] = result

        report(args, results, queries)
        if args.json:
            write_json(args, results, queries, db.vendor)
        slow = below_target(args, results)
        measured = [label for label, _, _ in PAGES if (args.sizes[-1], label) in results]
        if measured and (slow or args.profile):
            profile(args, slow or measured)

    differing = query_counts_differ(args, queries)
    print()
    if missing:
        print("FAIL: pages that did not answer 200: "
              + ", ".join(f"{label} ({status}) at {size}" for size, label, status in missing))
    if differing:
        print("FAIL: queries per request differ between sizes: "
              + "; ".join(f"{label}: " + ", ".join(f"{n} at {size}" for size, n in counts)
                          for label, counts in differing))
    if not missing and not differing:
        print("OK: queries per request are the same at every size.")
    if slow:
        print(f"NOTE: below the {TARGET_RATIO:.0%} throughput target (reported, not asserted): {', '.join(slow)}")
    return 2 if missing else (1 if differing else 0)


def report(args, results, queries) -> None:
    rows = []
    for size in args.sizes:
        trivial = results.get((size, TRIVIAL))
        for label in [TRIVIAL] + [label for label, _, _ in PAGES]:
            r = results.get((size, label))
            q = queries.get((size, label))
            q_shown = q.count if q and q.status == 200 else "-"
            if r is None:
                rows.append([size, label, "-", "-", q_shown, "-", "-", "-", "not measured"])
                continue
            ratio = r.rps / trivial.rps if trivial and trivial.rps else None
            verdict = "" if label == TRIVIAL else ("ok" if ratio is not None and ratio >= TARGET_RATIO else "BELOW")
            rows.append([
                size, label, round(r.rps, 1),
                f"{ratio:.0%}" if ratio is not None else "-",
                q_shown,
                round(r.percentile_ms(50), 1), round(r.percentile_ms(95), 1),
                r.errors, verdict,
            ])
    print()
    print_table(
        ["sites", "url", "req/s", "vs /ping", "queries", "p50 ms", "p95 ms", "errors", f"≥{TARGET_RATIO:.0%}"],
        rows,
        title=f"Public site directory — gunicorn -w {args.workers} (sync), {args.concurrency} connections, "
              f"≤{args.requests} requests or ≤{args.seconds:g}s each, best of {args.repeat}",
    )
    cpu = [r.client_cpu_share for r in results.values()]
    if cpu:
        print(f"(the load generator runs on the same machine and used {min(cpu):.0%}–{max(cpu):.0%} of one core, "
              "the most while hammering /ping: /ping is if anything understated, so the ratios are optimistic)")


def write_json(args, results, queries, vendor) -> None:
    import json
    import time

    rows = []
    for (size, label), r in sorted(results.items()):
        q = queries.get((size, label))
        trivial = results.get((size, TRIVIAL))
        rows.append({
            "sites": size, "url": label, "rps": round(r.rps, 1),
            "ratio_to_ping": round(r.rps / trivial.rps, 4) if trivial and trivial.rps else None,
            "queries": q.count if q else None, "p50_ms": round(r.percentile_ms(50), 2),
            "p95_ms": round(r.percentile_ms(95), 2), "requests": r.ok, "errors": r.errors,
            "seconds": round(r.elapsed, 3),
        })
    document = {
        "benchmark": "sites", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "database": vendor,
        "machine": machine_summary(), "workers": args.workers, "concurrency": args.concurrency,
        "repeat": args.repeat, "max_requests": args.requests, "max_seconds": args.seconds,
        "target_ratio": TARGET_RATIO, "results": rows,
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    print(f"[bench] wrote {path}")


def below_target(args, results) -> list:
    size = args.sizes[-1]
    trivial = results.get((size, TRIVIAL))
    slow = []
    for label, _, _ in PAGES:
        r = results.get((size, label))
        if trivial and r and trivial.rps and r.rps / trivial.rps < TARGET_RATIO:
            slow.append(label)
    return slow


def query_counts_differ(args, queries) -> list:
    differing = []
    for label in [label for label, _, _ in PAGES] + [TRIVIAL]:
        counts = [(size, queries[size, label].count) for size in args.sizes
                  if (size, label) in queries and queries[size, label].status == 200]
        if len({n for _, n in counts}) > 1:
            differing.append((label, counts))
    return differing


# Where a page's time can go, as (what, file path part, function) for InProcessProfile.share_of.
STAGES = {
    "/sites/": [
        ("template rendering", "django/template/backends/django.py", "render"),
        ("  of which URL reversing", "django/urls/base.py", "reverse"),
        ("  of which {% translate %}", "django/templatetags/i18n.py", "render"),
        ("rows fetched (query + model instances)", "django/db/models/query.py", "_fetch_all"),
        ("pagination count", "django/core/paginator.py", "count"),
        ("filter form", "django_filters/filterset.py", "qs"),
    ],
    "/api/v1/sites/": [
        ("serializer (.data)", "rest_framework/serializers.py", "data"),
        ("  of which callable sources (get_*_display)", "rest_framework/fields.py", "is_simple_callable"),
        ("JSON rendering", "rest_framework/renderers.py", "render"),
        ("pagination (count + page query)", "rest_framework/pagination.py", "paginate_queryset"),
        ("rows fetched (query + model instances)", "django/db/models/query.py", "_fetch_all"),
    ],
}


def profile(args, labels) -> None:
    """Where a page's time goes at the largest size: SQL vs. the rest, each query, the costly stages."""
    size = args.sizes[-1]
    headers_of = {label: headers for label, _, headers in PAGES}
    path_of = {label: path for label, path, _ in PAGES}
    print()
    print(f"In-process profile at {size} sites (Django test Client, one process, no network, no gunicorn):")
    base = profile_in_process(TRIVIAL)
    print(f"  {TRIVIAL:<16} {base.total_ms:6.2f} ms/request")
    for label in labels:
        prof = profile_in_process(path_of[label], headers=headers_of[label], cprofile=True)
        q = count_queries(path_of[label], headers=headers_of[label])
        print(f"  {label:<16} {prof.total_ms:6.2f} ms/request ({prof.total_ms / base.total_ms:.1f}× /ping): "
              f"SQL {prof.sql_ms:.2f} ms, Python {prof.python_ms:.2f} ms. {q.count} queries:")
        for query in q.queries:
            sql = " ".join(query["sql"].split())
            print(f"      {query['ms']:7.2f} ms  {sql[:200]}{'…' if len(sql) > 200 else ''}")
        print("    share of the request's time (under cProfile):")
        for what, filename_part, function in STAGES.get(label, []):
            share = prof.share_of(filename_part, function)
            if share is not None:
                print(f"      {share:6.1%}  {what}")
        if args.profile:
            print("    most expensive functions (own time, under cProfile):")
            for line in prof.top(15).splitlines():
                if line.strip():
                    print("      " + line)


if __name__ == "__main__":
    sys.exit(main())
