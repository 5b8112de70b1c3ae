"""Readers' pages read from a streaming replica; everything else from the primary.

With `DATABASE_REPLICA_URL` set, the database alias `replica` exists and `ReplicaRouter`
sends a read there only while `ReplicaMiddleware` serves a reader's request: a GET or HEAD
without a session cookie, outside the admin. Everything else reads and writes the primary:
the admin, previews and every staff request (they carry a session, so an editor reads their
own writes at once), every write, every read inside a transaction (services, imports), and
all code outside a reader's request (commands, `publish_scheduled`, the shell).

A replica that lags is not read from until it has replayed the last change the page cache
was told of: after each such commit the primary's WAL position is noted in the cache, and a
reader's page reads the replica only once the replica has replayed up to it. So a page
rendered after a change (its marks moved, its purge sent) never shows the data before it.

A replica that cannot be reached is not tried again for `NEWSROOM_REPLICA_RETRY_SECONDS`:
readers' pages read from the primary meanwhile. A replica that fails in the middle of a
page makes the page render again from the primary, so readers never see the failure.
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.urls import reverse

from newsroom.errors import DATABASE_UNAVAILABLE
from newsroom.pagecache.middleware import is_reader_request

logger = logging.getLogger(__name__)

REPLICA = "replica"

REQUIRED_POSITION_KEY = "replica:required-wal-position"

serving_a_reader = ContextVar("serving_a_reader", default=False)
# Whether this reader's request reads the replica, decided at its first read.
_reads_replica = ContextVar("reads_replica", default=None)


class Breaker:
    """Open for `NEWSROOM_REPLICA_RETRY_SECONDS` after the replica failed: no reader waits
    for a connection that will be refused or time out again. Per process."""

    def __init__(self):
        self.open_until = 0.0

    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self, error):
        seconds = settings.NEWSROOM_REPLICA_RETRY_SECONDS
        if not self.is_open():
            logger.warning(
                "Replica unavailable, reading from the primary for %ss: %s", seconds, error
            )
        self.open_until = time.monotonic() + seconds

    def close(self):
        self.open_until = 0.0


breaker = Breaker()


def replica_answers():
    """Whether the replica can serve a query now. Checked once a request (Django's
    connection health check), so a replica that went away is noticed before a page reads."""
    if breaker.is_open():
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DATABASE_UNAVAILABLE as error:
        breaker.trip(error)
        return False
    return True


def replica_has_replayed_the_last_change():
    required = cache.get(REQUIRED_POSITION_KEY)
    if required is None or connections[REPLICA].vendor != "postgresql":
        return True
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [required])
            (replayed,) = cursor.fetchone()
    except DATABASE_UNAVAILABLE as error:
        breaker.trip(error)
        return False
    # NULL: not a standby (a promoted replica, or the primary itself in tests).
    return replayed is not False


def note_change_after_commit():
    """Readers' pages read the replica again only once it has replayed this transaction."""
    if not replica_in_use() or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return
    if connection.in_atomic_block:
        if not any(hook[1] is note_primary_position for hook in connection.run_on_commit):
            transaction.on_commit(note_primary_position)
    else:
        note_primary_position()


def note_primary_position():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (position,) = cursor.fetchone()
    cache.set(REQUIRED_POSITION_KEY, position, timeout=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            serving_a_reader.get()
            # A read inside a write sees the write: the transaction is on the primary.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and self.request_reads_replica()
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def request_reads_replica(self):
        decided = _reads_replica.get()
        if decided is None:
            decided = replica_answers() and replica_has_replayed_the_last_change()
            _reads_replica.set(decided)
        return decided

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints):
        # One database: the replica is a copy of the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's migrations through replication.
        return db != REPLICA


def replica_in_use():
    return any(isinstance(each, ReplicaRouter) for each in router.routers)


def reads_from_replica(request):
    return (
        replica_in_use()
        and is_reader_request(request)
        and not request.path_info.startswith(reverse("admin:index"))
    )


class ReplicaMiddleware:
    """Marks a reader's request as one whose reads may go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not reads_from_replica(request):
            return self.get_response(request)
        token = serving_a_reader.set(True)
        decision = _reads_replica.set(None)
        try:
            response = self.get_response(request)
        finally:
            _reads_replica.reset(decision)
            serving_a_reader.reset(token)
        if response.status_code == 503 and not self.replica_still_answers():
            # The replica failed while the page was read (the 503 of newsroom.errors):
            # the breaker is open now, render the page again from the primary.
            response = self.get_response(request)
        return response

    def replica_still_answers(self):
        replica = connections[REPLICA]
        try:
            with replica.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DATABASE_UNAVAILABLE as error:
            replica.close()
            breaker.trip(error)
            return False
        return True
