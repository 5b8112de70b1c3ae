"""Old addresses that answer a permanent redirect to the page that replaced them."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def normalize_path(url):
    """The local part of `url` ("https://old.example/a/?p=1" -> "/a/?p=1"): never a host."""
    parts = urlsplit(url.strip())
    path = "/" + parts.path.lstrip("/")
    return f"{path}?{parts.query}" if parts.query else path


class RedirectQuerySet(models.QuerySet):
    def point(self, target, language, *old_urls):
        """Make each of `old_urls` lead to `target` in `language`, whatever it led to before."""
        content_type = ContentType.objects.get_for_model(target)
        paths = dict.fromkeys(normalize_path(url) for url in old_urls)
        self.bulk_create(
            [
                Redirect(
                    old_path=path,
                    content_type=content_type,
                    object_id=target.pk,
                    language=language,
                )
                for path in paths
            ],
            update_conflicts=True,
            unique_fields=["old_path"],
            update_fields=["content_type", "object_id", "language"],
        )

    def remember_slug_changes(self, target, old_slugs):
        """Leave a redirect from each language's previous address after a slug change.

        `old_slugs` maps a language to the slug `target` had before it was saved.
        """
        for code, old_slug in old_slugs.items():
            new_slug = getattr(target, f"slug_{code}")
            if old_slug and new_slug and old_slug != new_slug:
                with translation.override(code):
                    old_url = type(target)(**{f"slug_{code}": old_slug}).get_absolute_url()
                self.point(target, code, old_url)

    def for_target(self, target):
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )


class Redirect(models.Model):
    """`old_path` answers 301 to the current address of an article, author, section or topic.

    The target is the object, not a URL: a later slug change or a second move still lands
    on the right page, and a redirect can never lead to another site.
    """

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_("Path and query only, e.g. /2022/01/03/slug/ or /?p=123."),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        indexes = [models.Index(fields=["content_type", "object_id"], name="redirect_target")]

    def __str__(self):
        return self.old_path

    def destination(self):
        """The target's current address in the redirect's language, or None if a reader
        may not see it there (a redirect must not reveal an unpublished article)."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        objects = model.objects
        if hasattr(objects, "live"):
            objects = objects.live(self.language)
        target = objects.filter(pk=self.object_id).first()
        if target is None:
            return None
        with translation.override(self.language):
            return target.get_absolute_url()
