from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.characters import SafeTextModel


class SiteNoticeQuerySet(models.QuerySet):
    def current(self):
        """Notices readers see now: switched on and not yet ended, newest first."""
        now = timezone.now()
        return (
            self.filter(is_active=True)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .order_by("-pk")
        )


class SiteNotice(SafeTextModel):
    """A short message shown at the top of every public page while it is switched on."""

    message = models.CharField(
        _("message"),
        max_length=280,
        help_text=_("One or two short sentences, e.g. a correction, an event or maintenance."),
    )
    is_active = models.BooleanField(
        _("shown"), default=False, help_text=_("Readers see the notice while this is on.")
    )
    ends_at = models.DateTimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("Optional: the notice disappears by itself at this time."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SiteNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")

    def __str__(self):
        return self.message

    def is_shown(self):
        return self.is_active and (self.ends_at is None or self.ends_at > timezone.now())
