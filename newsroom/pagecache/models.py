from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheTagQuerySet(models.QuerySet):
    def touch(self, names, moment):
        self.bulk_create(
            [CacheTag(name=name, changed_at=moment) for name in names],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["changed_at"],
        )


class CacheTag(models.Model):
    """When something a cached page shows last changed, where the cache is local to each
    process (see `newsroom.pagecache.marks`)."""

    name = models.CharField(_("name"), max_length=120, primary_key=True)
    changed_at = models.BigIntegerField(_("changed at (ns since the epoch)"))

    objects = CacheTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("cache tag")
        verbose_name_plural = _("cache tags")

    def __str__(self):
        return self.name


class UnsentMark(models.Model):
    """A change mark that could not be written to Redis (see `newsroom.pagecache.marks`):
    kept with the change that made it, and written to Redis before Redis is trusted again."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("unsent change mark")
        verbose_name_plural = _("unsent change marks")

    def __str__(self):
        return self.name


class RedisContents(models.Model):
    """Which run of a Redis server (its `run_id`, new on every restart) the site's pages and
    marks in it were last checked against: a restarted Redis may have reloaded an old dump
    of them, so it is emptied before it is trusted."""

    address = models.CharField(_("address"), max_length=300, primary_key=True)
    run_id = models.CharField(_("run id"), max_length=64)

    class Meta:
        verbose_name = _("Redis contents")
        verbose_name_plural = _("Redis contents")

    def __str__(self):
        return self.address
