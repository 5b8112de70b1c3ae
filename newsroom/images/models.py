"""The image library: each image is a row of its own, uploaded once and shown by any number
of articles (as their lead image or in their bodies) and authors (as their photo)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsroom.images.fields import (
    GeneratedName,
    ResponsiveImageField,
    focus_field,
    renditions_field,
)
from newsroom.images.uploads import check_min_size


class Image(models.Model):
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For finding the image in the library.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made the image; shown where the image is used unless replaced there."),
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("The caption offered where the image is used; each use may write its own."),
    )
    file = ResponsiveImageField(
        _("image"),
        spec="library",
        upload_to=GeneratedName("images/%Y/%m"),
        width_field="file_width",
        height_field="file_height",
    )
    file_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    file_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    file_focus_x = focus_field(_("focal point, left to right (percent)"))
    file_focus_y = focus_field(_("focal point, top to bottom (percent)"))
    file_renditions = renditions_field()
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    @property
    def picture(self):
        return self.file.picture

    @property
    def crops(self):
        return self.file.crops

    def check_min_size(self, setting_name):
        """A `ValidationError` if this image is smaller than the setting's size."""
        width, height = self.file.original_size
        if width is not None:
            check_min_size((width, height), getattr(settings, setting_name))

    def articles_using(self):
        """Articles showing this image: as their lead image or in a body's figure."""
        from articles.figures import referencing
        from articles.models import Article

        return Article.objects.filter(Q(lead_image=self) | referencing(self.pk))

    def live_articles_using(self):
        """Of `articles_using()`, those a reader can see in at least one language: the
        image cannot be deleted while there are any."""
        return self.articles_using().live_in_any_language()
