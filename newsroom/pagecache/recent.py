"""The pages this worker process served last, kept as they were read from the cache.

With Redis, reading a cached page costs a round trip and the transfer of the whole page,
for every reader. A popular page is kept here too, so that serving it again reads only its
change marks: it is checked exactly as a page from Redis is (`CachedPage.is_current()`),
and served only while current. A page is trusted here for at most
`NEWSROOM_RECENT_PAGES_SECONDS`: marks Redis lost and gave again ("no change known") after a
change saved while Redis was unreachable cannot keep an old copy alive longer than that.
Without Redis the cache is already in this process, and this is off.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings


class RecentPages:
    """Least recently served pages are dropped first, to stay within a size in bytes."""

    def __init__(self):
        self._pages = OrderedDict()  # key -> (page, trusted until)
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def enabled():
        return settings.NEWSROOM_CHANGE_MARKS_IN_CACHE and settings.NEWSROOM_RECENT_PAGES_BYTES

    def get(self, key):
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            page, trusted_until = entry
            if time.monotonic() >= trusted_until:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key, page):
        limit = settings.NEWSROOM_RECENT_PAGES_BYTES
        with self._lock:
            self._drop(key)
            if len(page.content) > limit:
                return
            trusted_until = time.monotonic() + settings.NEWSROOM_RECENT_PAGES_SECONDS
            self._pages[key] = (page, trusted_until)
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
        entry = self._pages.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0].content)


recent_pages = RecentPages()
