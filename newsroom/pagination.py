import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from newsroom.pagecache.remembered import remembered_until_changed


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
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:
            return 0  # a filter no row can match, e.g. an id beyond the column's range
        key = "count:" + hashlib.sha256(sql.encode()).hexdigest()
        return remembered_until_changed(key, [self.object_list.model], self.object_list.count)
