from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingPurge(models.Model):
    """Tags to purge from the frontend caches (`NEWSROOM_FRONTEND_CACHES`), written in the
    transaction of the change that marked them and deleted once every frontend cache
    confirmed the purge: a purge that could not be delivered is never lost."""

    tags = models.TextField(_("tags"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("pending purge")
        verbose_name_plural = _("pending purges")

    def __str__(self):
        return self.tags
