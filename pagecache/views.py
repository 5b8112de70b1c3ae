from functools import wraps

from pagecache.tags import tag_page


class CachedPageMixin:
    """A page the page cache may keep for readers (see `pagecache.middleware`).

    `page_tags(context)` names everything the page shows; `page_expires_at()` gives the
    moment it may change without anyone saving anything, or None.
    """

    def page_tags(self, context):
        return []

    def page_expires_at(self):
        return None

    def render_to_response(self, context, **response_kwargs):
        tag_page(self.request, self.page_tags(context), self.page_expires_at)
        return super().render_to_response(context, **response_kwargs)


def cached_page(tags, expires_at=None):
    """`CachedPageMixin` for function views, whose page shows what `tags` name."""

    def decorator(view):
        @wraps(view)
        def tagged_view(request, *args, **kwargs):
            tag_page(request, tags, expires_at)
            return view(request, *args, **kwargs)

        return tagged_view

    return decorator
