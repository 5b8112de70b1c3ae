"""The notice readers see now, kept in the cache so that a page view costs no query for it.

Saving or deleting a notice forgets the kept one (notices.invalidation). With a shared cache
(Redis) every process sees the change at once; with per-process local-memory caches another
process may show the previous notice on freshly rendered pages for at most
`NOTICE_CACHE_SECONDS`, and never keeps such a page in the page cache (see
`newsroom.pagecache.middleware`: a page is as old as the notice it shows).
"""

import math
import time

from django.core.cache import cache
from django.utils import timezone

from newsroom.notices.models import SiteNotice

CACHE_KEY = "notices:shown"
NOTICE_CACHE_SECONDS = 60


def shown_notice():
    """The notice readers see now, or None, and when it was read (ns since the epoch)."""
    kept = cache.get(CACHE_KEY)
    if kept is not None:
        notice, read_at = kept
        if notice is None or notice.is_shown():
            return notice, read_at
    read_at = time.time_ns()
    notice = SiteNotice.objects.current().first()
    seconds = NOTICE_CACHE_SECONDS
    if notice is not None and notice.ends_at is not None:
        seconds = min(seconds, math.floor((notice.ends_at - timezone.now()).total_seconds()))
    if seconds > 0:
        cache.set(CACHE_KEY, (notice, read_at), seconds)
    return notice, read_at


def forget_shown_notice():
    cache.delete(CACHE_KEY)
