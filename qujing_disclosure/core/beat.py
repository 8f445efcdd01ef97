"""Exactly one beat, with its state in the database.

`SingleBeatScheduler` is django-celery-beat's DatabaseScheduler (schedule and last runs in the
database, so nothing is kept on a host's disk) that sends tasks only while it holds a lease:

- with REDIS_URL: a Redis key set with NX and an expiry of BEAT_LOCK_SECONDS, renewed by its
  holder on every tick (at most every 5 s). Another beat waits; when the holder dies or loses
  Redis, its lease expires and a waiting beat takes over within BEAT_LOCK_SECONDS. A beat that
  cannot reach Redis never sends (it could not send to a Redis broker anyway).
- without REDIS_URL (one machine, `make run`): an exclusive lock on a file in STATE_DIR,
  released by the kernel when the process ends.

So starting beat on every host (or twice by mistake) is safe: one sends, the others stand by.
A task sent twice around a takeover is harmless: every scheduled job is an idempotent sweep.
"""
import logging
import os
import socket
import uuid

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

log = logging.getLogger(__name__)

LEASE_KEY = "qujing:beat:leader"
STANDBY_SLEEP = 2.0

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class RedisLease:
    def __init__(self, url, seconds, key=LEASE_KEY):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.key = key
        self.ms = int(seconds * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def hold(self):
        """True while this process holds the lease (acquiring or renewing it now)."""
        try:
            if self.client.eval(_RENEW, 1, self.key, self.token, self.ms):
                return True
            return bool(self.client.set(self.key, self.token, nx=True, px=self.ms))
        except Exception as exc:  # noqa: BLE001 - no Redis, no lease: stand by
            log.warning("beat lease: Redis unavailable (%s); not sending", exc.__class__.__name__)
            return False

    def release(self):
        try:
            self.client.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
                             1, self.key, self.token)
        except Exception:  # noqa: BLE001 - it expires by itself
            pass

    def holder(self):
        value = self.client.get(self.key)
        return value.decode() if value else None


class FileLease:
    def __init__(self, path):
        self.path = path
        self.handle = None
        self.token = f"{socket.gethostname()}:{os.getpid()}"

    def hold(self):
        import fcntl

        if self.handle is not None:
            return True
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - kept open: the lock lives as long as the process
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(self.token)
        handle.flush()
        self.handle = handle
        return True

    def release(self):
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def make_lease():
    if settings.REDIS_URL:
        return RedisLease(settings.REDIS_URL, settings.BEAT_LOCK_SECONDS)
    return FileLease(str(settings.STATE_DIR / "beat.lock"))


class SingleBeatScheduler(DatabaseScheduler):
    def __init__(self, *args, **kwargs):
        self._lease = make_lease()
        self._leading = None  # unknown until the first tick, so either outcome is logged
        self._installed = False
        super().__init__(*args, **kwargs)
        # Renew well inside the lease, whatever the schedule's next due time.
        self.max_interval = min(self.max_interval, max(settings.BEAT_LOCK_SECONDS / 3, 1))

    def setup_schedule(self):
        # Writing the schedule to the database waits for the lease: two beats starting
        # together would otherwise write the same rows at once.
        if self._leading:
            super().setup_schedule()
            self._installed = True

    def tick(self, *args, **kwargs):
        leading = self._lease.hold()
        if leading != self._leading:
            self._leading = leading
            log.warning("beat %s: %s", self._lease.token, "holds the lease, sending tasks" if leading else "standing by (another beat holds the lease)")
        if not leading:
            return STANDBY_SLEEP
        if not self._installed:
            self.setup_schedule()
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            if self._leading:
                self._lease.release()
