"""Change marks: when what a tag names last changed (see `newsroom.pagecache.tags`).

Every process must see a mark at once. With a shared cache (Redis, `REDIS_URL`) the marks
live in it beside the pages, so a cached page is checked with one more cache read and
without the database, which may then even be down. With a cache local to each process the
marks live in the database (`CacheTag`), read with one small indexed query.

With Redis, the database stays the source of truth. A mark that cannot be written to Redis
(unreachable, hung, out of memory) is kept in the database as an `UnsentMark`, in the
transaction of the change when there is one; and Redis is trusted only once checked
(`check_redis()`): a restarted Redis is emptied, since it may have reloaded an old dump, and
the unsent marks are written to it first. Until then every page is a miss.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from newsroom.pagecache.models import CacheTag, RedisContents, UnsentMark
from newsroom.pagecache.redis import guard_for

logger = logging.getLogger(__name__)

KEY_PREFIX = "mark:"
UNSENT_BATCH = 1000


def in_cache():
    return settings.NEWSROOM_CHANGE_MARKS_IN_CACHE


def touch(names):
    """Record that what `names` stand for changed now: pages showing it go stale."""
    now = time.time_ns()
    names = set(names)
    if not in_cache():
        CacheTag.objects.touch(names, now)
        if (read := _read_while_rendering.get()) is not None:
            for name in names:
                read.pop(name, None)
        return
    try:
        # No expiry: a mark must outlive every page that names it.
        cache.client.set_many({KEY_PREFIX + name: now for name in names}, timeout=None)
    except ConnectionInterrupted:
        # Unreachable, or refusing writes (out of memory): not trusted until checked.
        redis_guard().missed_a_write()
        keep_unsent(names)


def keep_unsent(names):
    try:
        UnsentMark.objects.bulk_create([UnsentMark(name=name) for name in names])
    except DatabaseError:
        if connection.in_atomic_block:
            raise  # the change is rolled back with it
        logger.exception("A committed change could not be marked, in Redis nor the database")


def unchanged_since(moment, names):
    """Whether none of `names` changed at or after `moment` (nanoseconds since the epoch)."""
    if not names:
        return True
    if in_cache():
        return _unchanged_in_cache(moment, names)
    return _unchanged_in_database(moment, names)


def last_changes(names):
    """{name: mark} of `names` for values checked one by one (the teasers of a page) in one
    read: a name absent never changed, or (with Redis) its mark was lost, which makes what
    names it stale; None when no mark can be trusted now."""
    if not names:
        return {}
    if in_cache():
        marks = trusted_marks([KEY_PREFIX + name for name in names])
        if marks is None:
            return None
        return {key.removeprefix(KEY_PREFIX): mark for key, mark in marks.items()}
    return _marks_in_database(names)


def unchanged_in(changes, moment, names):
    """Whether none of `names` changed at or after `moment`, by the `last_changes()` read
    for them: with Redis a missing mark may hide a change, in the database it is none."""
    if in_cache():
        return all(changes.get(name, moment) < moment for name in names)
    return all(changes.get(name, 0) < moment for name in names)


_kept_while_rendering = ContextVar("kept_while_rendering", default=None)
_read_while_rendering = ContextVar("read_while_rendering", default=None)


@contextmanager
def rendering():
    """While a page renders: the values it stores meanwhile (remembered counts and parts,
    the notice) give their marks when it is done, with `keep_rendered()`, no later than
    the page's own. The page's moment is known only then: a notice read from the cache
    makes the page as old as that notice.

    Marks read from the database are read once per page: values checked against the same
    names (a list's count and its page of ids) share one query. A change marked after that
    read is still seen, by the page itself, which is older than the change."""
    kept = _kept_while_rendering.set(set())
    read = _read_while_rendering.set({})
    try:
        yield
    finally:
        _kept_while_rendering.reset(kept)
        _read_while_rendering.reset(read)


def keep_rendered(moment):
    """Give the marks of the values stored while the page read at `moment` rendered."""
    kept = _kept_while_rendering.get()
    _kept_while_rendering.set(None)
    keep(kept or (), moment)


def keep(names, moment):
    """Give each of `names` a mark where it has none, as if changed just before `moment`
    (when the page or value being stored was read): called when one is stored, so that a
    mark missing later means the cache lost it, and what was stored before it was lost
    (by any process) is stale."""
    if not in_cache() or not names:
        return
    kept_while_rendering = _kept_while_rendering.get()
    if kept_while_rendering is not None:
        kept_while_rendering.update(names)
        return
    keys = [KEY_PREFIX + name for name in names]
    present = trusted_marks(keys)
    if present is None:
        return
    for key in keys:
        if key not in present:
            # Only where still missing: a change may have been marked meanwhile.
            cache.add(key, moment - 1, timeout=None)


def _unchanged_in_cache(moment, names):
    keys = [KEY_PREFIX + name for name in names]
    marks = trusted_marks(keys)
    # A mark the cache lost (evicted, or the cache restarted) may hide a change.
    return marks is not None and len(marks) == len(keys) and max(marks.values()) < moment


def trusted_marks(keys):
    """{key: mark} of the marks Redis holds, or None when Redis cannot be trusted now."""
    marks = cache.get_many(keys)
    if redis_guard().needs_check():
        if not check_redis():
            return None
        marks = cache.get_many(keys)
    return marks


def redis_guard():
    kwargs = cache.client.get_client(write=True).connection_pool.connection_kwargs
    server = kwargs.get("path") or f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
    return guard_for(f"{server}/{kwargs.get('db', 0)}")


def check_redis():
    """Make Redis as trustworthy as the database: empty it if it is a new run of the
    server, then write the marks that could not be sent to it. False if that cannot be
    done now (Redis or the database unreachable)."""
    guard = redis_guard()
    run_id = guard.run_id
    if guard.unreachable_since is not None or run_id is None:
        return False
    try:
        with transaction.atomic():
            contents, created = RedisContents.objects.select_for_update().get_or_create(
                address=guard.address, defaults={"run_id": run_id}
            )
            if created or contents.run_id != run_id:
                cache.client.get_client(write=True).flushdb(asynchronous=True)
                contents.run_id = run_id
                contents.save()
                logger.warning("Redis at %s is a new run of the server: emptied", guard.address)
            sent = send_unsent_marks()
            if sent:
                logger.warning(
                    "Redis at %s now holds the %s change marks it missed", guard.address, sent
                )
    except (DatabaseError, ConnectionInterrupted, RedisError) as error:
        guard.check_failed(error)
        return False
    guard.checked(run_id)
    return True


def send_unsent_marks():
    sent = 0
    unsent = UnsentMark.objects.order_by("pk").values_list("pk", "name")
    while batch := list(unsent[:UNSENT_BATCH]):
        # Marked now, after the changes committed: pages rendered before any of them are stale.
        now = time.time_ns()
        cache.client.set_many({KEY_PREFIX + name: now for _, name in batch}, timeout=None)
        UnsentMark.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
        sent += len(batch)
    return sent


def _unchanged_in_database(moment, names):
    return all(mark < moment for mark in _marks_in_database(names).values())


def _marks_in_database(names):
    read = _read_while_rendering.get()
    if read is None:
        return _read_marks(names)
    if unread := [name for name in names if name not in read]:
        read.update(dict.fromkeys(unread))
        read.update(_read_marks(unread))
    return {name: read[name] for name in names if read[name] is not None}


def _read_marks(names):
    # Raw SQL: this runs on every cached page served, and the ORM's query building
    # would cost more than the query itself.
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, changed_at FROM {CacheTag._meta.db_table} "
            f"WHERE name IN ({placeholders})",
            list(names),
        )
        return dict(cursor.fetchall())
