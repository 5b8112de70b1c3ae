import time

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _


class CacheTagQuerySet(models.QuerySet):
    def touch(self, names):
        """Record that what `names` stand for changed now: pages showing it go stale."""
        now = time.time_ns()
        self.bulk_create(
            [CacheTag(name=name, changed_at=now) for name in set(names)],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["changed_at"],
        )

    def unchanged_since(self, moment, names):
        """Whether none of `names` changed at or after `moment` (nanoseconds since the epoch)."""
        last_change = self.filter(name__in=names).aggregate(last=Max("changed_at"))["last"]
        return last_change is None or last_change < moment


class CacheTag(models.Model):
    """When something a cached page shows last changed (see `pagecache.tags`).

    Kept in the database, not in the cache, so that every worker process sees a change at
    once even when each keeps its pages in its own local-memory cache.
    """

    name = models.CharField(_("name"), max_length=120, primary_key=True)
    changed_at = models.BigIntegerField(_("changed at (ns since the epoch)"))

    objects = CacheTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("cache tag")
        verbose_name_plural = _("cache tags")

    def __str__(self):
        return self.name
