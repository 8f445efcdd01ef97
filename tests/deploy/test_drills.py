"""Drills with real servers (marked `drill`, run by .ci/run): two app servers with the production
settings on one private PostgreSQL, Redis and S3 server; then the fault drill under load.

They start everything themselves on free ports (tests/deploy/cluster.py) and need the PostgreSQL
server binaries, redis-server and moto_server; without them they skip locally and fail in CI.
"""
import os
import threading
import time

import pytest
import requests

from .cluster import Client, Cluster, missing_tools, wait_until

pytestmark = pytest.mark.drill

SETUP = """
from rest_framework.authtoken.models import Token
from tests import factories as f
from sites.enums import RoundStatus
county = f.JurisdictionFactory(name="麒麟区", code="qilin")
office = f.county_user(county, username="qilin_office")
office.set_password("drill-pass-123"); office.save()
f.municipal_user(username="office")
round_ = f.RoundFactory(organizer=f.JurisdictionFactory(name="曲靖市", code="city", kind="city"), name="演练轮次")
f.QuotaFactory(round=round_, jurisdiction=county, slots=2)
org = f.OrganizationFactory(name="麒麟区演练党支部", jurisdiction=county)
application = f.ApplicationFactory(round=round_, organization=org, created_by=office)
site = f.DesignationFactory(organization__name="会泽县演练社区党委")
print(Token.objects.create(user=office).key, application.pk, org.pk, site.pk)
"""


@pytest.fixture(scope="module")
def cluster():
    missing = missing_tools()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must run the drills; missing " + ", ".join(missing))
        pytest.skip("drill needs " + ", ".join(missing))
    cluster = Cluster()
    try:
        cluster.manage("migrate", "--noinput", "-v", "0")
        token, application_id, org_id, site_id = cluster.shell(SETUP).split()
        cluster.ids = {"token": token, "application": int(application_id), "org": int(org_id), "site": int(site_id)}
        cluster.a = cluster.web("web-a")
        cluster.b = cluster.web("web-b")
        yield cluster
    finally:
        cluster.close()


def test_two_app_servers_share_uploads_limits_lockouts_cache_and_one_beat(cluster):
    a, b = cluster.a.url, cluster.b.url

    # Upload through A (API, token), download through B (portal session): the file is in the bucket.
    upload = requests.post(f"{a}/api/v1/applications/{cluster.ids['application']}/materials/",
                           headers={"Authorization": f"Token {cluster.ids['token']}", "X-Forwarded-Proto": "https"},
                           data={"title": "演练材料"}, files={"file": ("drill.pdf", b"%PDF-1.4 drill bytes", "application/pdf")},
                           timeout=20)
    assert upload.status_code == 201, upload.text
    path = "/media/" + upload.json()["file"].split("/media/", 1)[1]
    reader = Client()
    assert reader.login(b, "qilin_office", "drill-pass-123").status_code == 302
    download = reader.get(b + path)
    assert download.status_code == 302 and download.headers["Location"].startswith(cluster.s3.url)
    assert requests.get(download.headers["Location"], timeout=10).content == b"%PDF-1.4 drill bytes"
    assert Client().get(b + path).status_code == 404  # anonymous: the access check, no signed URL

    # One rate limit (5/h per address) counted across both servers.
    visitor = Client(address="203.0.113.50")
    token = visitor.csrf(f"{a}/disclosure/{cluster.ids['org']}/")
    statuses = [visitor.post(f"{server}/disclosure/{cluster.ids['org']}/feedback/",
                             data={"csrfmiddlewaretoken": token, "content": ""}).status_code
                for server in (a, b, a, b, a, b)]
    assert statuses == [400] * 5 + [429]

    # One lockout (5 failures per username and address) counted across both servers.
    intruder = Client(address="203.0.113.66")
    failures = [intruder.login(server, "qilin_office", "wrong").status_code for server in (a, b, a, b, a)]
    assert 429 not in failures[:4]
    assert intruder.login(b, "qilin_office", "drill-pass-123").status_code == 429  # locked on B too

    # A save shows on the other server at once (shared cache versions in Redis).
    anonymous = Client(address="203.0.113.80")
    assert "会泽县演练社区党委" in anonymous.get(b + "/sites/").text
    assert "会泽县演练社区党委" in anonymous.get(a + "/sites/").text  # both caches warm
    cluster.shell(f"""
from sites import services
from qujing_disclosure.core.models import User
services.designation_revoke(actor=User.objects.get(username="office"), designation_id={cluster.ids['site']}, reason="演练复评不合格")
""")
    assert "演练复评不合格" in anonymous.get(b + "/sites/").text
    assert "演练复评不合格" in anonymous.get(a + "/sites/").text

    # Two beats started, one sends; when it dies the other takes over.
    first = cluster.start("beat", "beat-1")
    second = cluster.start("beat", "beat-2")
    lease = cluster.redis.client(1)
    wait_until(lambda: lease.get("qujing:beat:leader"), 60, what="a beat lease")
    wait_until(lambda: "standing by" in first.text() + second.text(), 60, what="a standby beat")
    time.sleep(4)
    # Each beat's latest word on the lease (a beat stalled past the lease hands over and says so).
    leaders = [beat for beat in (first, second) if beat_state(beat) == "leading"]
    assert len(leaders) == 1, first.text() + second.text()
    standby = second if leaders[0] is first else first
    assert beat_state(standby) == "standby"
    holder = lease.get("qujing:beat:leader").decode()
    assert holder.split(":")[1] == str(leaders[0].process.pid)
    leaders[0].kill()
    wait_until(lambda: beat_state(standby) == "leading", 40, what="the standby beat taking over")
    standby.stop()


def beat_state(beat):
    text = beat.text()
    leading, standing = text.rfind("holds the lease, sending tasks"), text.rfind("standing by")
    return "leading" if leading > standing else "standby" if standing >= 0 else None


LOADED = ("/sites/", "/api/v1/sites/", "/")


class Load:
    """A bounded load on cached public pages of both servers, recording every status."""

    def __init__(self, servers, threads=3, pause=0.05, limit_seconds=240):
        self.servers, self.pause, self.limit = servers, pause, limit_seconds
        self.results = []
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def run(self, index):
        client = Client(address=f"198.51.100.{10 + index}")
        started = time.monotonic()
        n = 0
        while not self.stop_event.is_set() and time.monotonic() - started < self.limit:
            url = self.servers[n % len(self.servers)] + LOADED[n % len(LOADED)]
            n += 1
            try:
                response = client.get(url)
                self.results.append((url, response.status_code, response.text[:400]))
            except requests.RequestException as exc:
                self.results.append((url, exc.__class__.__name__, ""))
            time.sleep(self.pause)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(15)


ITEMS = 4000
MAKE_ITEMS = f"""
import datetime
from django.contrib.auth import get_user_model
from disclosure.enums import Cadence, ItemState, Scope, TimeType
from disclosure.models import CatalogueEntry, Category, Item
from qujing_disclosure.core import clock
from sites.models import Organization, Jurisdiction
today = clock.today()
county = Jurisdiction.objects.get(code="qilin")
org = Organization.objects.get(name="麒麟区演练党支部")
category = Category.objects.first()
entry = CatalogueEntry.objects.create(organization=org, jurisdiction=county, category=category, title="演练通报",
    scope=Scope.EXTERNAL, forms=["board"], time_type=TimeType.PROMPT, cadence=Cadence.MONTHLY)
author = get_user_model().objects.get(username="office")
Item.objects.bulk_create([Item(organization=org, jurisdiction=county, entry=entry, title=f"演练事项{{i}}", content="演练",
    scope=Scope.EXTERNAL, forms=["board"], time_type=TimeType.PROMPT, publish_on=today,
    display_until=today + datetime.timedelta(days=20), due_by=today, state=ItemState.APPROVED, created_by=author)
    for i in range({ITEMS})], batch_size=2000)
print(Item.objects.filter(title__startswith="演练事项").count())
"""

COUNT_PUBLISHED = """
from disclosure.models import Item
from qujing_disclosure.core.models import AuditEntry
ids = list(Item.objects.filter(title__startswith="演练事项").values_list("pk", flat=True))
published = Item.objects.filter(pk__in=ids, state="published").count()
audits = AuditEntry.objects.filter(action="disclosure.item.publish", object_id__in=[str(i) for i in ids]).count()
print(published, audits)
"""


def test_fault_drill_postgres_restart_redis_outage_worker_killed_mid_publish(cluster):
    a, b = cluster.a.url, cluster.b.url
    for server in (a, b):
        for path in LOADED:
            assert Client().get(server + path).status_code == 200  # warm the shared cache

    with Load([a, b]) as load:
        # 1. PostgreSQL restarts.
        time.sleep(2)
        cluster.pg.restart()
        time.sleep(3)
        # 2. Redis stopped for 20 s, then back (its append-only file keeps the queue).
        cluster.redis.stop()
        outage = time.monotonic()
        # /healthz stays under a second with Redis down. Under the load a sync web worker may be busy
        # with a page first, so the best of three round trips per server is what the probe costs.
        for server in (a, b):
            timings = []
            for _ in range(3):
                started = time.monotonic()
                healthz = requests.get(server + "/healthz", timeout=5)
                timings.append(time.monotonic() - started)
                assert healthz.status_code == 503
                checks = healthz.json()["checks"]
                assert checks["cache"]["ok"] is False and checks["broker"]["ok"] is False
                # The database is up; on a loaded 2-core machine its fresh probe connection may miss the budget.
                assert checks["database"]["ok"] is True or checks["database"]["error"] == "timeout", checks
            assert min(timings) < 1.0, timings
        time.sleep(max(0, 20 - (time.monotonic() - outage)))
        cluster.redis.start()
        time.sleep(6)  # CACHE_RETRY_SECONDS: processes try Redis again

        # 3. The worker is SIGKILLed while the publish job runs; its task comes back and runs once.
        assert cluster.shell(MAKE_ITEMS) == str(ITEMS)
        worker = cluster.start("worker", "worker-1")
        wait_until(lambda: "ready." in worker.text(), 90, what="the worker")
        cluster.shell('from qujing_disclosure.core.queue import enqueue_now; enqueue_now("disclosure.publish_due_items")')
        wait_until(lambda: "disclosure.publish_due_items" in worker.text() and "received" in worker.text(), 60,
                   interval=0.05, what="the publish task to start")
        worker.kill()
        assert cluster.shell(COUNT_PUBLISHED).split() in (["0", "0"], [str(ITEMS), str(ITEMS)])
        replacement = cluster.start("worker", "worker-2")
        wait_until(lambda: cluster.shell(COUNT_PUBLISHED).split() == [str(ITEMS), str(ITEMS)], 120, interval=2,
                   what="every item published once after redelivery")
        time.sleep(2)
    replacement.stop()

    # No lost or doubled work.
    assert cluster.shell(COUNT_PUBLISHED).split() == [str(ITEMS), str(ITEMS)]
    # No 500 on cached public pages: each answer is a page (200) or the clear 503.
    statuses = {}
    for url, status, body in load.results:
        statuses[status] = statuses.get(status, 0) + 1
        assert status in (200, 503), (url, status, body)
        if status == 503:
            assert "系统正在恢复" in body or "Service temporarily unavailable" in body, body
    assert statuses.get(200, 0) > 100, statuses
    print("fault drill statuses:", statuses, "requests:", len(load.results))
