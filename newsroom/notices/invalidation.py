"""Every public page shows the current notice: a change to any notice makes them all stale.

`NoticesConfig.ready()` connects `notice_changed` to every save and delete of a notice."""

from django.db import transaction

from newsroom.notices.models import SiteNotice
from newsroom.notices.shown import forget_shown_notice
from newsroom.pagecache.tags import mark_changed, tag


def notice_changed(sender, raw=False, **kwargs):
    if not raw:
        mark_changed(tag(SiteNotice))
        # Again at commit: a page view during the transaction may have kept the old notice.
        forget_shown_notice()
        transaction.on_commit(forget_shown_notice)
