"""Shared helpers for the benchmarks in bench/ (scripts, not tests; pytest never collects them).

A benchmark script typically does:

    from common import BenchDatabase, Server, count_queries, grow_designations, measure, print_table

    with BenchDatabase() as db:                    # throwaway DB, Django set up against it, migrated
        grow_designations(10_000)                  # bulk-loaded demo world
        queries = count_queries("/sites/")         # in-process, Django test Client
        with Server(database_url=db.url, workers=2) as server:   # gunicorn on a free 127.0.0.1 port
            result = measure(server.url("/sites/"), requests=2000, seconds=5)
            print(result.rps)

Everything stays on 127.0.0.1; every measurement is bounded by a number of requests and a
number of seconds, whichever comes first. The load generator is pure Python (processes ×
threads, `http.client`), so it runs anywhere the virtualenv does; `wrk` is not needed.

Environment:
- `BENCH_DATABASE_URL` (optional): a PostgreSQL server URL, e.g. `postgres://postgres@127.0.0.1:5432/postgres`.
  A fresh database `qujing_bench_<pid>` is created on that server and dropped at the end; the
  database named in the URL is only used to connect. Without it, a SQLite file in a temp dir.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import itertools
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "bench"
SETTINGS_MODULE = "qujing_disclosure.settings"
LOCAL_HOSTS = "127.0.0.1,localhost"


def venv_executable(name: str) -> str:
    """`.venv/bin/<name>` when the project's virtualenv has it, else the one next to this Python, else PATH."""
    for candidate in (REPO / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found (looked in .venv/bin, next to {sys.executable}, and PATH)")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the database --------------------------------------------------------------------------
class BenchDatabase:
    """A throwaway database for one benchmark run, with Django set up against it in this process.

    SQLite (default): a file in a fresh temp dir, removed at exit.
    PostgreSQL (`BENCH_DATABASE_URL` set): a fresh database created on that server, dropped at exit.

    Django can be set up only once per process, so use one BenchDatabase per process.
    `keep=True` leaves the database in place (its URL is printed) for poking at afterwards.
    """

    def __init__(self, *, keep: bool = False, verbose: bool = True):
        self.keep = keep
        self.verbose = verbose
        self.server_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
        self.tmpdir = Path(tempfile.mkdtemp(prefix="qujing-bench-"))
        self.pg_name = None
        if self.server_url:
            self.pg_name = f"qujing_bench_{os.getpid()}"
            parts = urllib.parse.urlsplit(self.server_url)
            self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.pg_name))
        else:
            self.url = f"sqlite:///{self.tmpdir / 'bench.sqlite3'}"

    @property
    def vendor(self) -> str:
        return "postgresql" if self.pg_name else "sqlite"

    def _pg_admin(self, sql: str) -> None:
        import psycopg2

        parts = urllib.parse.urlsplit(self.server_url)
        conn = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=urllib.parse.unquote(parts.username or "postgres"),
            password=urllib.parse.unquote(parts.password) if parts.password else None,
            dbname=(parts.path or "/postgres").lstrip("/") or "postgres",
        )
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def __enter__(self) -> BenchDatabase:
        if self.pg_name:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            self._pg_admin(f'CREATE DATABASE "{self.pg_name}"')
        setup_django(self.url, media_root=self.tmpdir / "media")
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if self.verbose:
            print(f"[bench] {self.vendor} database ready in {time.perf_counter() - started:.1f}s: {self.url}", flush=True)
        return self

    def __exit__(self, *exc) -> None:
        from django.db import connections

        connections.close_all()
        if self.keep:
            print(f"[bench] kept the database: {self.url}", flush=True)
            return
        if self.pg_name:
            with contextlib.suppress(Exception):
                self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def bench_environment(database_url: str, **extra: str) -> dict:
    """Environment for a production-like process (DEBUG off) against the bench database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DJANGO_DEBUG="false",
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS=LOCAL_HOSTS,
        # Request logs would cost the server time we want to measure; warnings still show.
        LOG_LEVEL="WARNING",
        # Tasks must never run in the web process during a benchmark.
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    env.update(extra)
    return env


def setup_django(database_url: str, *, media_root: Path | None = None) -> None:
    """Point this process's Django at the bench database (DEBUG off) and set it up."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    env = bench_environment(database_url)
    # The in-process test Client sends Host: testserver.
    env["DJANGO_ALLOWED_HOSTS"] = LOCAL_HOSTS + ",testserver"
    if media_root is not None:
        env["MEDIA_ROOT"] = str(media_root)
    for key in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "LOG_LEVEL",
                "CELERY_TASK_ALWAYS_EAGER", "MEDIA_ROOT"):
        if key in env:
            os.environ[key] = env[key]
    import django

    django.setup()


# --- demo world, bulk-loaded ------------------------------------------------------------------
COUNTIES = ["麒麟区", "沾益区", "马龙区", "宣威市", "富源县", "罗平县", "师宗县", "陆良县", "会泽县"]
COMMITTEES = ["市直机关纪工委", "曲靖经开区纪工委", "市国资委纪工委"]
SECTORS = ["机关", "学校", "医院", "企业", "村（社区）"]
AWARD_YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


def ensure_world() -> dict:
    """The city, 9 counties, 3 dispatched committees, and one finished round per level (idempotent).

    Returns {"city": Jurisdiction, "places": [Jurisdiction...], "rounds": {"city": Round, "county": Round}}.
    """
    import datetime

    from sites.enums import JurisdictionKind, Level, RoundStatus
    from sites.models import Jurisdiction, Round

    city, _ = Jurisdiction.objects.get_or_create(
        code="city", defaults={"name": "曲靖市", "kind": JurisdictionKind.CITY, "sort_order": 0}
    )
    places = []
    for i, name in enumerate(COUNTIES + COMMITTEES, start=1):
        kind = JurisdictionKind.COUNTY if name in COUNTIES else JurisdictionKind.COMMITTEE
        place, _ = Jurisdiction.objects.get_or_create(
            code=f"bench-{i}", defaults={"name": name, "kind": kind, "parent": city, "sort_order": i}
        )
        places.append(place)
    rounds = {}
    for level, label in ((Level.CITY, "市级"), (Level.COUNTY, "县级")):
        rounds[level.value], _ = Round.objects.get_or_create(
            name=f"2019—2024年{label}党务公开工作示范点创建（基准测试）",
            defaults={
                "year": 2019, "level": level, "organizer": city, "ratio": 2, "status": RoundStatus.FINISHED,
                "applications_open_on": datetime.date(2019, 3, 1),
                "applications_close_on": datetime.date(2019, 4, 30),
                "screening_close_on": datetime.date(2019, 5, 31),
            },
        )
    return {"city": city, "places": places, "rounds": rounds}


def grow_designations(target: int, *, batch_size: int = 1000, revoked_every: int = 20, city_every: int = 10) -> int:
    """Bulk-load designations (each with its own organisation) until there are `target` in total.

    Every `city_every`-th site is city-level (the rest county-level), every `revoked_every`-th is
    revoked with a date and reason (R10), awards spread over 2019–2024 and over every
    jurisdiction. Returns how many were added. Bypasses services on purpose: this is bench
    data, written in a few seconds, not a workflow.
    """
    import datetime
    from decimal import Decimal

    from sites.enums import DesignationStatus, Level
    from sites.models import Designation, Organization

    world = ensure_world()
    have = Designation.objects.count()
    need = target - have
    if need <= 0:
        return 0
    places, rounds = world["places"], world["rounds"]
    added = 0
    started = time.perf_counter()
    for chunk_start in range(have, target, batch_size):
        numbers = range(chunk_start, min(chunk_start + batch_size, target))
        orgs = [
            Organization(
                name=f"{places[i % len(places)].name}第{i + 1:05d}号{SECTORS[i % len(SECTORS)]}党支部",
                jurisdiction=places[i % len(places)],
                sector=SECTORS[i % len(SECTORS)],
            )
            for i in numbers
        ]
        orgs = Organization.objects.bulk_create(orgs, batch_size=batch_size)
        if any(o.pk is None for o in orgs):  # a backend that does not return ids
            names = [o.name for o in orgs]
            orgs = list(Organization.objects.filter(name__in=names).order_by("id"))
        designations = []
        for i, org in zip(numbers, orgs):
            level = Level.CITY if i % city_every == 0 else Level.COUNTY
            year = AWARD_YEARS[i % len(AWARD_YEARS)]
            awarded = datetime.date(year, 6, 1) + datetime.timedelta(days=i % 180)
            revoked = i % revoked_every == revoked_every - 1
            designations.append(
                Designation(
                    organization=org, jurisdiction=org.jurisdiction, round=rounds[level.value], level=level,
                    plaque_number=f"QJ-BENCH-{level.value.upper()}-{i + 1:06d}",
                    subsidy_amount=Decimal(3000) if level == Level.CITY else Decimal(0),
                    awarded_on=awarded,
                    status=DesignationStatus.REVOKED if revoked else DesignationStatus.ACTIVE,
                    revoked_on=awarded + datetime.timedelta(days=365) if revoked else None,
                    revoke_reason="复查不合格，未按要求整改（基准测试数据）" if revoked else "",
                )
            )
        Designation.objects.bulk_create(designations, batch_size=batch_size)
        added += len(designations)
    print(f"[bench] loaded {added} designations (now {target}) in {time.perf_counter() - started:.1f}s", flush=True)
    return added


# --- queries per request, in process ---------------------------------------------------------
@dataclass
class QueryCount:
    path: str
    status: int
    count: int
    queries: list = field(default_factory=list)  # [{"sql": ..., "ms": 0.123}], in the order run
    error: str = ""  # the exception, when the request could not even produce a response

    @property
    def sql_ms(self) -> float:
        return sum(q["ms"] for q in self.queries)


class _QueryTimer:
    """`connection.execute_wrapper` that times each statement precisely (Django's own log rounds to 1 ms)."""

    def __init__(self):
        self.ms = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms.append((time.perf_counter() - started) * 1000)


@contextlib.contextmanager
def _quiet_request_log():
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def count_queries(path: str, *, headers: dict | None = None, warm: int = 1) -> QueryCount:
    """Queries one GET of `path` costs, run in-process with Django's test Client.

    The first `warm` requests are not counted (content-type and other per-process caches fill then,
    as they would in a long-running server worker). The public page cache is switched off here,
    so the count is what a cache miss costs (a cached hit costs none).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # A broken view answers 500 here instead of aborting the benchmark (the caller reports the status;
    # the server's log has the traceback). A broken URLconf raises even so: that is a 500 too.
    client = Client(headers=headers or {}, raise_request_exception=False)
    timer = _QueryTimer()
    with _quiet_request_log():
        try:
            with override_settings(PUBLIC_CACHE_SECONDS=0):
                for _ in range(warm):
                    client.get(path)
                with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
                    response = client.get(path)
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            return QueryCount(path=path, status=500, count=-1, error=f"{exc.__class__.__name__}: {exc}")
    queries = [{"sql": q["sql"], "ms": ms} for q, ms in zip(ctx.captured_queries, timer.ms)]
    return QueryCount(path=path, status=response.status_code, count=len(ctx.captured_queries), queries=queries)


@dataclass
class InProcessProfile:
    path: str
    iterations: int
    total_ms: float  # per request, whole Django stack (middleware, view, queries, rendering)
    sql_ms: float  # per request, time inside the database driver
    stats: object = None  # pstats.Stats of `iterations` more requests under cProfile, when asked for

    @property
    def python_ms(self) -> float:
        return self.total_ms - self.sql_ms

    def share_of(self, filename_part: str, function: str) -> float | None:
        """Share of the profiled time spent inside `function` defined in a file whose path contains
        `filename_part` (cumulative, outermost calls only), e.g. ("template/backends/django.py", "render")."""
        if self.stats is None:
            return None
        total = self.stats.total_tt or 0
        cumulative = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, ct, callers) in self.stats.stats.items():
            if name == function and filename_part in filename:
                cumulative = max(cumulative, ct)
        return cumulative / total if total else None

    def top(self, n: int = 15, sort: str = "tottime") -> str:
        """The `n` most expensive functions, paths shortened to site-packages/... or the repo."""
        if self.stats is None:
            return ""
        out = io.StringIO()
        self.stats.stream = out
        self.stats.sort_stats(sort).print_stats(n)
        paths = sysconfig.get_paths()
        prefixes = [(paths["purelib"] + "/", ""), (paths["stdlib"] + "/", "stdlib/"), (str(REPO) + "/", "")]
        lines = []
        for line in out.getvalue().splitlines():
            for prefix, replacement in prefixes:
                line = line.replace(prefix, replacement)
            lines.append(line)
        return "\n".join(lines)


def profile_in_process(path: str, *, headers: dict | None = None, iterations: int = 30,
                       cprofile: bool = False) -> InProcessProfile:
    """Where one request's time goes, in process: SQL vs. the rest (view, template/serializer, middleware).

    With `cprofile=True` it runs `iterations` more requests under cProfile and keeps the stats
    (times under cProfile are inflated; compare shares, not milliseconds).
    """
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    client = Client(headers=headers or {}, raise_request_exception=False)
    client.get(path)
    timer = _QueryTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        for _ in range(iterations):
            client.get(path)
        elapsed = time.perf_counter() - started
    sql = sum(timer.ms) / 1000
    stats = None
    if cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(iterations):
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
    return InProcessProfile(path=path, iterations=iterations, total_ms=elapsed / iterations * 1000,
                            sql_ms=sql / iterations * 1000, stats=stats)


# --- the server ------------------------------------------------------------------------------
class Server:
    """gunicorn serving the project on a free 127.0.0.1 port with N sync workers.

    Use as a context manager; `stop()` ends only the gunicorn master this object started (by its pid),
    which stops its own workers.
    """

    def __init__(self, *, database_url: str, workers: int = 2, port: int | None = None,
                 extra_env: dict | None = None, extra_args: list | None = None, log_dir: Path | None = None,
                 keep_log: bool = False):
        self.database_url = database_url
        self.workers = workers
        self.port = port or free_port()
        self.extra_env = extra_env or {}
        self.extra_args = extra_args or []
        self.log_path = Path(log_dir or tempfile.gettempdir()) / f"qujing-bench-gunicorn-{os.getpid()}-{self.port}.log"
        self.keep_log = keep_log  # else the log is deleted when the server stops (read it with log_tail() before)
        self.proc: subprocess.Popen | None = None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, *, ready_timeout: float = 60) -> Server:
        cmd = [
            venv_executable("gunicorn"), "qujing_disclosure.wsgi",
            "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
            "--chdir", str(REPO), "--graceful-timeout", "5", "--log-level", "warning",
            *self.extra_args,
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=bench_environment(self.database_url, **self.extra_env),
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        self.wait_ready(timeout=ready_timeout)
        return self

    def wait_ready(self, *, timeout: float = 60) -> None:
        """Poll /ping until the server answers (any HTTP status: a broken app is reported by the caller)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            status, _ = http_get(self.url("/ping"), timeout=2)
            if status:
                # The master answers through whichever worker booted first; give the others a moment.
                for _ in range(self.workers * 4):
                    http_get(self.url("/ping"), timeout=2)
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /ping within {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of master and its workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()
        self.proc = None
        if not self.keep_log:
            with contextlib.suppress(OSError):
                self.log_path.unlink()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def http_get(url: str, *, headers: dict | None = None, timeout: float = 10) -> tuple[int, bytes]:
    """One GET; (status, body), or (0, b"") when nothing answered."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", _path_of(parts), headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


def _path_of(parts) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# --- the load generator ------------------------------------------------------------------------
@dataclass
class LoadResult:
    url: str
    ok: int  # responses with the expected status
    errors: int  # other statuses and connection errors
    elapsed: float  # seconds from the first request sent to the last response read
    latencies_ms: list = field(default_factory=list, repr=False)
    statuses: dict = field(default_factory=dict)
    bytes_read: int = 0
    client_cpu_s: float = 0.0  # CPU the load generator itself burnt (it shares the machine)

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def client_cpu_share(self) -> float:
        """Load generator CPU as a fraction of one core over the measurement."""
        return self.client_cpu_s / self.elapsed if self.elapsed > 0 else 0.0


def _load_process(host, port, path, headers, budget, seconds, threads, expect):
    """One load-generator process: `threads` keep-alive connections sharing `budget` requests."""
    tickets = itertools.count()
    lock = threading.Lock()
    latencies, statuses = [], {}
    totals = {"errors": 0, "bytes": 0}
    first_sent, last_read = [], []
    deadline = time.monotonic() + seconds
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)

    def run():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local_lat, local_status, errors, nbytes = [], {}, 0, 0
        start = None
        end = None
        while next(tickets) < budget and time.monotonic() < deadline:
            t0 = time.perf_counter()
            if start is None:
                start = time.time()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()  # http.client reconnects by itself after "Connection: close"
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                continue
            end = time.time()
            local_lat.append((time.perf_counter() - t0) * 1000)
            local_status[response.status] = local_status.get(response.status, 0) + 1
            nbytes += len(body)
            if response.status != expect:
                errors += 1
        conn.close()
        with lock:
            latencies.extend(local_lat)
            for k, v in local_status.items():
                statuses[k] = statuses.get(k, 0) + v
            totals["errors"] += errors
            totals["bytes"] += nbytes
            if start is not None:
                first_sent.append(start)
            if end is not None:
                last_read.append(end)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {
        "latencies": latencies, "statuses": statuses, "errors": totals["errors"], "bytes": totals["bytes"],
        "first": min(first_sent) if first_sent else None, "last": max(last_read) if last_read else None,
        "cpu": cpu,
    }


def measure(url: str, *, requests: int = 2000, seconds: float = 5.0, concurrency: int = 8,
            processes: int | None = None, headers: dict | None = None, warmup: int = 50,
            expect: int = 200) -> LoadResult:
    """Requests per second for GET `url`: at most `requests` requests or `seconds` seconds, whichever first.

    `concurrency` connections in total, spread over `processes` load-generator processes (default: as
    many as CPUs, at most 2 — more would only steal CPU from the server on a small machine). Each
    connection sends its next request as soon as the previous response is read (closed loop).
    `warmup` requests go first and are not counted.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("benchmarks only ever load 127.0.0.1")
    path = _path_of(parts)
    headers = dict(headers or {})
    processes = max(1, min(processes or min(2, os.cpu_count() or 1), concurrency))
    if warmup:
        _load_process(parts.hostname, parts.port, path, headers, warmup, seconds, min(concurrency, 4), expect)
    per_process = [requests // processes + (1 if i < requests % processes else 0) for i in range(processes)]
    threads = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    args = [(parts.hostname, parts.port, path, headers, per_process[i], seconds, threads[i], expect)
            for i in range(processes)]
    if processes == 1:
        outcomes = [_load_process(*args[0])]
    else:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(processes) as pool:
            outcomes = pool.starmap(_load_process, args)
    firsts = [o["first"] for o in outcomes if o["first"] is not None]
    lasts = [o["last"] for o in outcomes if o["last"] is not None]
    result = LoadResult(url=url, ok=0, errors=sum(o["errors"] for o in outcomes),
                        elapsed=(max(lasts) - min(firsts)) if firsts and lasts else 0.0)
    for o in outcomes:
        result.latencies_ms.extend(o["latencies"])
        for k, v in o["statuses"].items():
            result.statuses[k] = result.statuses.get(k, 0) + v
        result.bytes_read += o["bytes"]
        result.client_cpu_s += o["cpu"]
    result.ok = result.statuses.get(expect, 0)
    return result


# --- reporting --------------------------------------------------------------------------------
def print_table(headers: list, rows: list, *, title: str | None = None, out=None) -> None:
    """A plain fixed-width table (right-aligned numbers, left-aligned text)."""
    out = out or sys.stdout
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(row, raw):
        parts = []
        for i, cell in enumerate(row):
            numeric = raw is not None and isinstance(raw[i], (int, float))
            parts.append(cell.rjust(widths[i]) if numeric else cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    if title:
        print(title, file=out)
    print(fmt(cells[0], None), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for text, raw in zip(cells[1:], rows):
        print(fmt(text, raw), file=out)
    out.flush()


def machine_summary() -> str:
    """One line about where the numbers came from (they only compare within one run)."""
    import platform

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return (f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()} · "
            f"load average {load[0]:.2f}" if isinstance(load[0], float) else f"{os.cpu_count()} CPU")
