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
