from django.core.paginator import Paginator


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
