"""The pages this worker process served last, kept as they were read from the cache.

With Redis, reading a cached page costs a round trip and the transfer of the whole page,
for every reader. A popular page is kept here too, so that serving it again reads only its
change marks: it is checked exactly as a page from Redis is (`CachedPage.is_current()`),
and served only while current. That check holds after any Redis outage: a mark Redis lost
is given again as newer than every copy kept before, and Redis is trusted again only once
it holds the marks it missed (`newsroom.pagecache.marks`). Without Redis the cache is
already in this process, and this is off.
"""

import threading
from collections import OrderedDict

from django.conf import settings


class RecentPages:
    """Least recently served pages are dropped first, to stay within a size in bytes."""

    def __init__(self):
        self._pages = OrderedDict()  # key -> page
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def enabled():
        return settings.NEWSROOM_CHANGE_MARKS_IN_CACHE and settings.NEWSROOM_RECENT_PAGES_BYTES

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page):
        limit = settings.NEWSROOM_RECENT_PAGES_BYTES
        with self._lock:
            self._drop(key)
            if len(page.content) > limit:
                return
            self._pages[key] = page
            self._bytes += len(page.content)
            while self._bytes > limit:
                self._drop(next(iter(self._pages)))

    def forget(self, key):
        with self._lock:
            self._drop(key)

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key):
        page = self._pages.pop(key, None)
        if page is not None:
            self._bytes -= len(page.content)


recent_pages = RecentPages()
