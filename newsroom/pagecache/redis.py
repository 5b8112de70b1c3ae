"""Redis as the site's cache, failing fast and trusted only once checked against the database.

A Redis that refuses connections, hangs (a frozen host, a network dropping packets) or
answers too slowly makes every cache call a miss at once: a call that fails, or times out
after `NEWSROOM_REDIS_TIMEOUT_SECONDS`, opens this process's breaker for that Redis, and
calls then fail without touching the network until `NEWSROOM_REDIS_RETRY_SECONDS` have
passed, when one call tries again. The log says so once when the breaker opens and once
when Redis answers again, not on every call.

Every connection reads the server's `run_id`, which changes when Redis restarts. A process
trusts what Redis holds (pages, remembered values, change marks) only after checking it
against the database (`newsroom.pagecache.marks.check_redis()`): when it first reaches a
Redis, when that Redis restarted, and after it found it unreachable.
"""

import logging
import threading
import time

from django.conf import settings
from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError, ResponseError, TimeoutError

logger = logging.getLogger(__name__)


class RedisGuard:
    """What this process knows of one Redis database: whether to call it at all (the
    breaker), and whether its contents were checked since it was last out of reach."""

    def __init__(self, address):
        self.address = address
        self.run_id = None  # the server's, as its last new connection read it
        self.checked_run_id = None  # the server's when its contents were last checked
        self.unreachable_since = None  # set while the breaker is open
        self.retry_at = 0.0
        self.missed = False  # unreachable since the last check: changes may not be marked
        self.failures = 0
        self.check_failing = False
        self._lock = threading.Lock()

    def allows_call(self):
        """False while the breaker is open; True for one call once it is time to retry."""
        with self._lock:
            if self.unreachable_since is None:
                return True
            now = time.monotonic()
            if now < self.retry_at:
                return False
            self.retry_at = now + settings.NEWSROOM_REDIS_RETRY_SECONDS
            return True

    def failed(self, error):
        with self._lock:
            self.failures += 1
            self.missed = True
            self.retry_at = time.monotonic() + settings.NEWSROOM_REDIS_RETRY_SECONDS
            if self.unreachable_since is not None:
                return
            self.unreachable_since = time.monotonic()
        logger.warning(
            "Redis at %s is unreachable (%s): serving without it, trying again every %s s",
            self.address,
            error,
            settings.NEWSROOM_REDIS_RETRY_SECONDS,
        )

    def connected(self, run_id):
        with self._lock:
            self.run_id = run_id
            if self.unreachable_since is None:
                return
            seconds = time.monotonic() - self.unreachable_since
            self.unreachable_since = None
        logger.warning("Redis at %s answers again after %.1f s", self.address, seconds)

    def missed_a_write(self):
        with self._lock:
            self.missed = True

    def needs_check(self):
        return self.missed or self.run_id is None or self.run_id != self.checked_run_id

    def checked(self, run_id):
        with self._lock:
            self.checked_run_id = run_id
            self.missed = False
            self.check_failing = False

    def check_failed(self, error):
        with self._lock:
            if self.check_failing:
                return
            self.check_failing = True
        logger.warning(
            "Redis at %s could not be checked against the database (%s): not trusted yet",
            self.address,
            error,
        )


class RedisSkipped(ConnectionError):
    """Not tried: the breaker is open."""


_guards = {}
_guards_lock = threading.Lock()


def guard_for(address):
    with _guards_lock:
        guard = _guards.get(address)
        if guard is None:
            guard = _guards[address] = RedisGuard(address)
        return guard


def forget_guard(address):
    """Know nothing of the Redis at `address` any more (a test's own Redis is gone)."""
    with _guards_lock:
        _guards.pop(address, None)


class GuardedConnectionMixin:
    """A redis-py connection that obeys its Redis's breaker and trips it on failure."""

    def connect_check_health(self, *args, **kwargs):
        if self._sock:
            return
        self.guard = guard = guard_for(f"{self._host_error()}/{self.db}")
        if not guard.allows_call():
            raise RedisSkipped(f"Redis at {guard.address} was unreachable a moment ago")
        self.failures_seen = guard.failures
        try:
            super().connect_check_health(*args, **kwargs)
            run_id = self.server_run_id()
        except (ConnectionError, TimeoutError) as error:
            self.disconnect()
            guard.failed(error)
            raise
        guard.connected(run_id)

    def server_run_id(self):
        """The id of this run of the server: a new one after every restart."""
        self.send_command("INFO", "server", check_health=False)
        try:
            info = self.read_response()
        except ResponseError:
            return ""  # INFO renamed away: a restart goes unseen
        if isinstance(info, bytes):
            info = info.decode()
        for line in info.splitlines():
            if line.startswith("run_id:"):
                return line.partition(":")[2].strip()
        return ""

    def send_packed_command(self, command, check_health=True):
        if self._sock and self.guard.failures != self.failures_seen:
            # A call on another connection found Redis unreachable since this one opened.
            self.disconnect()
        try:
            return super().send_packed_command(command, check_health)
        except (ConnectionError, TimeoutError) as error:
            if not isinstance(error, RedisSkipped):
                self.guard.failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            if not isinstance(error, RedisSkipped):
                self.guard.failed(error)
            raise


class GuardedConnection(GuardedConnectionMixin, Connection):
    pass


class GuardedSSLConnection(GuardedConnectionMixin, SSLConnection):
    pass


class GuardedUnixDomainSocketConnection(GuardedConnectionMixin, UnixDomainSocketConnection):
    pass


CONNECTION_CLASSES = {
    "redis": GuardedConnection,
    "rediss": GuardedSSLConnection,
    "unix": GuardedUnixDomainSocketConnection,
}
