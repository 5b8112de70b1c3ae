"""Purges of the frontend caches, by the page cache's tags, once a change is committed.

Every change the page cache is told of (`newsroom.pagecache.tags.mark_changed`: every write
path, `publish_scheduled`) is written as a `PendingPurge` in the change's own transaction,
so that it commits, or rolls back, with the change. Once the transaction commits, every
pending purge is sent to every frontend cache and deleted. A frontend cache that fails or
does not answer within `backends.TIMEOUT` leaves the purges pending, is left alone for
`RETRY_SECONDS` so that saves do not wait on it, and gets them on the next delivery: after
the next change, or from `manage.py deliver_purges` (run every minute, and by
`publish_scheduled`).
"""

import logging
import math
import time

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils.cache import patch_cache_control

from newsroom.frontcache.backends import MAX_TAGS_BYTES, PurgeFailed
from newsroom.frontcache.models import PendingPurge

logger = logging.getLogger(__name__)

# Seconds a frontend cache that failed is left alone by saves; deliver_purges still tries.
RETRY_SECONDS = 10
# Pending purges sent in one delivery.
BATCH = 500

_failed_until = {}


def enabled():
    return bool(settings.NEWSROOM_FRONTEND_CACHES)


def purge_after_commit(tags):
    """Purge `tags` from every frontend cache once the current transaction commits (at
    once outside a transaction), and keep them until every frontend cache has them."""
    if not enabled() or not tags:
        return
    PendingPurge.objects.create(tags=" ".join(sorted(set(tags))))
    if not connection.in_atomic_block:
        deliver_pending(waiting_on_failed=False)
        return
    # One delivery per transaction, however many changes it marks (an import).
    if not any(hook[1] is deliver_after_commit for hook in connection.run_on_commit):
        transaction.on_commit(deliver_after_commit)


def deliver_after_commit():
    deliver_pending(waiting_on_failed=False)


def deliver_pending(waiting_on_failed=True):
    """Send the pending purges to every frontend cache; True when none is left.

    With `waiting_on_failed` False (a save), a frontend cache that failed in the last
    RETRY_SECONDS is not tried: the purges stay pending for the next delivery."""
    caches = settings.NEWSROOM_FRONTEND_CACHES
    if not caches:
        return True
    try:
        return _deliver(caches, waiting_on_failed)
    except DatabaseError:
        # The change is committed and its purges kept: a later delivery sends them.
        logger.exception("Pending frontend purges could not be read")
        return False


def _deliver(caches, waiting_on_failed):
    while pending := list(PendingPurge.objects.order_by("pk")[:BATCH]):
        tags = set()
        for purge in pending:
            tags.update(purge.tags.split())
        delivered = True
        for frontend in caches:
            key = str(frontend)
            if not waiting_on_failed and time.monotonic() < _failed_until.get(key, 0):
                delivered = False
                continue
            try:
                frontend.purge(tags)
                _failed_until.pop(key, None)
            except PurgeFailed as error:
                if key not in _failed_until:
                    logger.warning("Frontend purge failed, kept to retry: %s", error)
                _failed_until[key] = time.monotonic() + RETRY_SECONDS
                delivered = False
        ids = [purge.pk for purge in pending]
        if not delivered:
            PendingPurge.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
            return False
        PendingPurge.objects.filter(pk__in=ids).delete()
    return True


def tags_header(tags):
    """The `xkey` header naming `tags`, or None when too long for a frontend cache to
    keep (such a page is then kept by the page cache only)."""
    value = " ".join(sorted(tags))
    return value if len(value) <= MAX_TAGS_BYTES else None


def share(response, tags, seconds):
    """Let the frontend caches keep `response` for `seconds`, purged by `tags`."""
    if not enabled() or seconds <= 0:
        return
    header = tags_header(tags)
    if header is None:
        return
    response["xkey"] = header
    patch_cache_control(response, s_maxage=seconds)


def shared_lifetime_left(response, expires_at):
    """A page served from the page cache keeps what is left of its lifetime, not more."""
    if enabled() and response.has_header("xkey"):
        patch_cache_control(response, s_maxage=max(0, math.floor(expires_at - time.time())))
