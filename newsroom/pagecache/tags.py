"""Names for what a page shows, so that a change marks exactly the pages showing it stale.

A tag is a model (`tag(Section)`: any section, for pages listing them all), one object
(`tag(author)`: this author's name, bio and photo), or one object's list of something
(`tag(author, "articles")`: the articles this author signs).
"""

from django.db import connection, transaction

from newsroom.frontcache.purges import purge_after_commit
from newsroom.pagecache import marks
from newsroom.replica import note_change_after_commit


def tag(model_or_object, listing=""):
    name = model_or_object._meta.label_lower
    if not isinstance(model_or_object, type):
        name = f"{name}:{model_or_object.pk}"
    return f"{name}:{listing}" if listing else name


def tag_pk(model, pk, listing=""):
    """`tag()` for an object known only by its primary key."""
    name = f"{model._meta.label_lower}:{pk}"
    return f"{name}:{listing}" if listing else name


def tag_page(request, tags, expires_at=None):
    """Let the page cache keep this response for readers until one of `tags` changes.

    `expires_at` is a callable giving the moment the page may change on its own (a
    scheduled publication), or None; it is only called when the page is stored.
    """
    request.page_cache_tags = frozenset(tags)
    request.page_cache_expires_at = expires_at


def mark_changed(*tags):
    """Pages showing any of `tags` go stale, now and again once the transaction commits.

    The second mark covers pages rendered by other processes from the data as it was
    before the commit. The frontend caches purge them once it commits.
    """
    if not tags:
        return
    # First, so that at commit the replica's position is required before pages are
    # marked or purged: a page rendered after that does not read a lagging replica.
    note_change_after_commit()
    marks.touch(tags)
    if connection.in_atomic_block:
        touch_after_commit(tags)
    purge_after_commit(tags)


class TagsToTouch(set):
    """The tags a transaction marked, touched together when it commits."""

    def __call__(self):
        marks.touch(self)


def touch_after_commit(tags):
    """One touch at commit for every mark of the transaction: a bulk write (an import)
    marks thousands of times, and one commit per mark would cost a disk sync each."""
    pending = getattr(connection, "pagecache_tags_to_touch", None)
    # A hook registered in a savepoint that was rolled back is gone: register a new one.
    if pending is None or not any(hook[1] is pending for hook in connection.run_on_commit):
        pending = TagsToTouch()
        connection.pagecache_tags_to_touch = pending
        transaction.on_commit(pending)
    pending.update(tags)
