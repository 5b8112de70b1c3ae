from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from articles.sanitize import clean_html
from newsroom.addresses import slug_address
from newsroom.characters import SafeTextModel
from newsroom.slugs import unique_slug


class AuthorQuerySet(models.QuerySet):
    def with_live_articles(self, language=None):
        """Authors who sign at least one article a reader may see now in `language`."""
        from articles.models import Article

        # EXISTS stops at each author's first live article; a join would read them all.
        signed = Article.objects.live(language).filter(bylines__author=OuterRef("pk"))
        return self.filter(Exists(signed))


class Author(SafeTextModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Used in the author's page address; filled in from the name if left empty."),
    )
    role = models.CharField(
        _("role"), max_length=160, blank=True, help_text=_("For example “Energy correspondent”.")
    )
    short_bio = models.TextField(
        _("short bio"), blank=True, help_text=_("One or two sentences shown under articles.")
    )
    long_bio = models.TextField(
        _("long bio"), blank=True, help_text=_("Shown on the author page.")
    )
    photo = models.ForeignKey(
        "images.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photo_of",
    )
    website = models.URLField(_("website"), blank=True)
    mastodon = models.URLField(_("Mastodon"), blank=True)
    bluesky = models.URLField(_("Bluesky"), blank=True)
    x = models.URLField(_("X (Twitter)"), blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Private: for the desk only, never shown to readers.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.remove_unsafe_characters()
        if not self.slug:
            self.slug = unique_slug(
                Author.objects.exclude(pk=self.pk),
                "slug",
                self.name_en or self.name,
                140,
                "author",
            )
        self.clean_bios()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("authors:detail", self.slug)

    def clean_bios(self):
        refused = {}
        for code, _name in settings.LANGUAGES:
            field = f"long_bio_{code}"
            try:
                setattr(self, field, clean_html(getattr(self, field)))
            except ValidationError as error:
                setattr(self, field, "")
                refused[field] = error
        if refused:
            raise ValidationError(refused)

    def clean(self):
        self.clean_bios()
        if self.photo:
            try:
                self.photo.check_min_size("NEWSROOM_AUTHOR_PHOTO_MIN_SIZE")
            except ValidationError as error:
                raise ValidationError({"photo": error}) from error

    def long_bio_for_reader(self):
        """The long bio in the active language as readers get it, with what a body may
        hold (notes, tables, figures, embeds) drawn as in a body."""
        from articles.figures import images_for
        from articles.publishable import active_language, rich_text_for_reader

        bio = self.long_bio or ""
        return rich_text_for_reader(bio, active_language(), images_for(bio))

    def long_bio_has_embeds(self):
        from articles.publishable import holds_embeds

        return holds_embeds(self.long_bio)

    @property
    def public_links(self):
        """(label, url) pairs for the reader; the email is deliberately absent."""
        labels = [
            ("website", _("Website")),
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
            ("x", "X"),
            ("linkedin", "LinkedIn"),
        ]
        return [(label, getattr(self, field)) for field, label in labels if getattr(self, field)]
