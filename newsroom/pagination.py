import hashlib
import math
import time

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property

from newsroom.pagecache import marks
from newsroom.pagecache.tags import tag

REMEMBER_SECONDS = 3600


def remembered_until_changed(key, models, compute, expires_at=None):
    """`compute()`, kept in the cache under `key` until a row of one of `models` changes.

    The value is trusted while the page cache's change marks for the models
    (`newsroom.pagecache.tags`) are older than it, and never past `expires_at()` (a datetime
    or None, asked only when a new value is stored): for a value that follows the clock,
    such as what is live.
    """
    tags = [tag(model) for model in models]
    remembered = cache.get(key)
    if remembered is not None:
        value, computed_at, expiry = remembered
        # The expiry is checked here too: not every cache's clock is ours.
        if time.time() < expiry and marks.unchanged_since(computed_at, tags):
            return value
    computed_at = time.time_ns()
    value = compute()
    seconds = REMEMBER_SECONDS
    moment = expires_at and expires_at()
    if moment is not None:
        seconds = min(seconds, math.floor((moment - timezone.now()).total_seconds()))
    if seconds > 0:
        marks.keep(tags)
        cache.set(key, (value, computed_at, time.time() + seconds), seconds)
    return value


class DeferredRowPaginator(Paginator):
    """Finds a page's rows by id first, then loads only those rows, in one query.

    With plain OFFSET the database reads every skipped row in full; here it skips index
    entries, so page 500 costs about what page 1 does. `object_list` must be a QuerySet
    ordered on indexed columns.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


class RememberedCountPaginator(Paginator):
    """Counts a list once and remembers it until a row of that model changes.

    For the admin's long lists: a count of 100,000 rows on every page load is the slowest
    part of the page.
    """

    @cached_property
    def count(self):
        key = "count:" + hashlib.sha256(str(self.object_list.query).encode()).hexdigest()
        return remembered_until_changed(key, [self.object_list.model], self.object_list.count)
