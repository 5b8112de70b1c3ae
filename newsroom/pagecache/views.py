from functools import wraps

from newsroom.pagecache.tags import tag_page


class CachedPageMixin:
    """A page the page cache may keep for readers (see `newsroom.pagecache.middleware`).

    `page_tags(context)` names everything the page shows; `page_expires_at()` gives the
    moment it may change without anyone saving anything, or None. `page_query_parameters`
    names what the page reads from its address's query string: the page cache drops any
    other parameter (`?utm_source=`, `?fbclid=`) before the view runs, so that every shared
    link to a page is served its one cached copy.
    """

    page_query_parameters = ()

    def page_tags(self, context):
        return []

    def page_expires_at(self):
        return None

    def render_to_response(self, context, **response_kwargs):
        tag_page(self.request, self.page_tags(context), self.page_expires_at)
        return super().render_to_response(context, **response_kwargs)


def cached_page(tags, expires_at=None, query_parameters=()):
    """`CachedPageMixin` for function views, whose page shows what `tags` name."""

    def decorator(view):
        @wraps(view)
        def tagged_view(request, *args, **kwargs):
            tag_page(request, tags, expires_at)
            return view(request, *args, **kwargs)

        tagged_view.page_query_parameters = tuple(query_parameters)
        return tagged_view

    return decorator
