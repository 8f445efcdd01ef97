"""One beat sends; another started beside it stands by and takes over when the first dies."""
import time

import pytest

from qujing_disclosure.core.beat import FileLease, RedisLease


def test_two_redis_leases_one_holder_and_takeover_after_expiry(redis_server):
    first = RedisLease(redis_server + "/3", seconds=0.5, key="test:beat")
    second = RedisLease(redis_server + "/3", seconds=0.5, key="test:beat")
    assert first.hold() is True
    assert second.hold() is False
    assert first.hold() is True  # renewing
    assert first.holder() == first.token
    time.sleep(0.7)  # the holder stopped renewing (died)
    assert second.hold() is True
    assert first.hold() is False
    second.release()
    assert first.hold() is True


def test_a_lease_without_redis_is_not_held(monkeypatch):
    from tests.deploy.helpers import closed_port

    lease = RedisLease(f"redis://127.0.0.1:{closed_port()}/0", seconds=5, key="test:beat")
    assert lease.hold() is False


def test_file_lease_is_exclusive_and_freed_on_release(tmp_path):
    first, second = FileLease(str(tmp_path / "beat.lock")), FileLease(str(tmp_path / "beat.lock"))
    assert first.hold() is True
    assert second.hold() is False
    first.release()
    assert second.hold() is True


@pytest.mark.django_db(transaction=True)  # the scheduler closes connections between ticks, as in beat
def test_a_standby_scheduler_sends_nothing_and_writes_no_schedule(redis_server, settings):
    from django_celery_beat.models import PeriodicTask

    from qujing_disclosure.celery import app
    from qujing_disclosure.core.beat import STANDBY_SLEEP, SingleBeatScheduler

    app.finalize()  # what `celery beat` does first: the apps' BEAT_SCHEDULE is merged in
    settings.REDIS_URL = redis_server + "/4"
    holder = RedisLease(settings.REDIS_URL, seconds=30)
    holder.client.delete(holder.key)
    assert holder.hold() is True
    standby = SingleBeatScheduler(app=app, lazy=False)
    assert standby.tick() == STANDBY_SLEEP
    assert PeriodicTask.objects.count() == 0
    holder.release()
    standby.tick()  # now it leads: the schedule is written once
    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= {"disclosure.publish_due_items"}
    standby.close()
