"""Values computed from the database, kept until what they were computed from changes."""

import math
import time

from django.core.cache import cache
from django.utils import timezone

from newsroom.pagecache import marks
from newsroom.pagecache.tags import tag

REMEMBER_SECONDS = 3600


def remembered_until_changed(key, depends_on, compute, expires_at=None, shown_tags=None):
    """`compute()`, kept in the cache under `key` until what it was computed from changes.

    `depends_on` lists models (any row of one changing) and tags of the page cache
    (`newsroom.pagecache.tags`); `shown_tags(value)`, if given, adds the tags of what the
    value holds (the articles of a list, whose titles it shows). The value is trusted while
    the change marks of those tags are older than it, and never past `expires_at()` (a
    datetime or None, asked only when a new value is stored): for a value that follows the
    clock, such as what is live.
    """
    tags = [tag(name) if isinstance(name, type) else name for name in depends_on]
    remembered = cache.get(key)
    if remembered is not None:
        value, computed_at, expiry = remembered
        # The expiry is checked here too: not every cache's clock is ours.
        if time.time() < expiry and marks.unchanged_since(
            computed_at, [*tags, *(shown_tags(value) if shown_tags else ())]
        ):
            return value
    computed_at = time.time_ns()
    value = compute()
    seconds = REMEMBER_SECONDS
    moment = expires_at and expires_at()
    if moment is not None:
        seconds = min(seconds, math.floor((moment - timezone.now()).total_seconds()))
    if seconds > 0:
        marks.keep([*tags, *(shown_tags(value) if shown_tags else ())], computed_at)
        cache.set(key, (value, computed_at, time.time() + seconds), seconds)
    return value
