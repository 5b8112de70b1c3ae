"""The notice readers see now, kept in the cache so that a page view costs no query for it.

Saving or deleting a notice forgets the kept one (notices.invalidation). With a shared cache
(Redis) every process sees the change at once, and the kept notice is also checked against
the notices' change mark; with per-process local-memory caches another
process may show the previous notice on freshly rendered pages for at most
`NOTICE_CACHE_SECONDS`, and never keeps such a page in the page cache (see
`newsroom.pagecache.middleware`: a page is as old as the notice it shows).
"""

import math
import time

from django.core.cache import cache
from django.utils import timezone

from newsroom.notices.models import SiteNotice
from newsroom.pagecache import marks
from newsroom.pagecache.tags import tag

CACHE_KEY = "notices:shown"
NOTICE_CACHE_SECONDS = 60


def shown_notice():
    """The notice readers see now, or None, and when it was read (ns since the epoch)."""
    kept = cache.get(CACHE_KEY)
    if kept is not None:
        notice, read_at = kept
        if (notice is None or notice.is_shown()) and not changed_since(read_at):
            return notice, read_at
    read_at = time.time_ns()
    notice = SiteNotice.objects.current().first()
    seconds = NOTICE_CACHE_SECONDS
    if notice is not None and notice.ends_at is not None:
        seconds = min(seconds, math.floor((notice.ends_at - timezone.now()).total_seconds()))
    if seconds > 0:
        marks.keep([tag(SiteNotice)], read_at)
        cache.set(CACHE_KEY, (notice, read_at), seconds)
    return notice, read_at


def changed_since(read_at):
    """With Redis, whether a notice changed since `read_at`: a change saved while Redis
    was out of reach could not forget the kept notice, but its mark reaches Redis before
    Redis is trusted again (`newsroom.pagecache.marks`)."""
    return marks.in_cache() and not marks.unchanged_since(read_at, [tag(SiteNotice)])


def forget_shown_notice():
    cache.delete(CACHE_KEY)
