from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKeyQuerySet(models.QuerySet):
    def keys_to_ids(self, model):
        """{key: primary key} of every imported or exported object of `model`, one query."""
        content_type = ContentType.objects.get_for_model(model)
        return dict(self.filter(content_type=content_type).values_list("key", "object_id"))

    def ids_to_keys(self, model):
        content_type = ContentType.objects.get_for_model(model)
        return dict(self.filter(content_type=content_type).values_list("object_id", "key"))


class SourceKey(models.Model):
    """The permanent key of an item in import and export files.

    Re-importing a file finds its items again by key, so it updates them in place instead
    of creating duplicates; and it stays after its object is deleted, so that an import
    never brings back what an editor deleted.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(_("key"), max_length=300)
    # What the last import wrote, to tell on the next one what changed where: a digest of
    # the item as the file gave it, and a fingerprint of the object as it was then written.
    imported_digest = models.CharField(_("digest of the imported item"), max_length=64, blank=True)
    written_fingerprint = models.CharField(
        _("fingerprint of the object as imported"), max_length=64, blank=True
    )

    objects = SourceKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("source key")
        verbose_name_plural = _("source keys")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "key"], name="source_key_unique"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="source_key_one_per_object"
            ),
        ]

    def __str__(self):
        return self.key
