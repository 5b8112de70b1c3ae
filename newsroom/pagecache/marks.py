"""Change marks: when what a tag names last changed (see `newsroom.pagecache.tags`).

Every process must see a mark at once. With a shared cache (Redis, `REDIS_URL`) the marks
live in it beside the pages, so a cached page is checked with one more cache read and
without the database, which may then even be down. With a cache local to each process the
marks live in the database (`CacheTag`), read with one small indexed query.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from newsroom.pagecache.models import CacheTag

KEY_PREFIX = "mark:"


def in_cache():
    return settings.NEWSROOM_CHANGE_MARKS_IN_CACHE


def touch(names):
    """Record that what `names` stand for changed now: pages showing it go stale."""
    now = time.time_ns()
    names = set(names)
    if in_cache():
        # No expiry: a mark must outlive every page that names it.
        cache.set_many({KEY_PREFIX + name: now for name in names}, timeout=None)
    else:
        CacheTag.objects.touch(names, now)


def unchanged_since(moment, names):
    """Whether none of `names` changed at or after `moment` (nanoseconds since the epoch)."""
    if not names:
        return True
    if in_cache():
        return _unchanged_in_cache(moment, names)
    return _unchanged_in_database(moment, names)


def keep(names):
    """Give each of `names` a mark, "no change known", where it has none: called when a
    page is stored, so that a mark missing later means the cache lost it."""
    if not in_cache():
        return
    keys = [KEY_PREFIX + name for name in names]
    present = cache.get_many(keys)
    for key in keys:
        if key not in present:
            # Only where still missing: a change may have been marked meanwhile.
            cache.add(key, 0, timeout=None)


def _unchanged_in_cache(moment, names):
    keys = [KEY_PREFIX + name for name in names]
    marks = cache.get_many(keys)
    # A mark the cache lost (evicted, or the cache restarted) may hide a change.
    return len(marks) == len(keys) and max(marks.values()) < moment


def _unchanged_in_database(moment, names):
    # Raw SQL: this runs on every cached page served, and the ORM's query building
    # would cost more than the query itself.
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(changed_at) FROM {CacheTag._meta.db_table} "
            f"WHERE name IN ({placeholders})",
            list(names),
        )
        (last_change,) = cursor.fetchone()
    return last_change is None or last_change < moment
