"""What every kind of published content shares: articles, site pages, and any kind to come.

A kind is a model built on `Publishable` (its fields, the one visibility rule, per-language
readiness and slugs, sanitized bodies, the workflow's status) with `PublishableQuerySet` as
its manager, registered with modeltranslation (`PUBLISHABLE_TRANSLATED_FIELDS` and its own),
with reversion (`articles.revisions.register`), with a public view and an admin built on
`articles.admin.PublishableAdmin`. The services, roles, revisions, sitemaps and redirects
take any of them.
"""

import operator
from functools import reduce

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.sanitize import clean_html, clean_stored_html
from newsroom.addresses import slug_address
from newsroom.characters import SafeTextModel
from newsroom.slugs import unique_slug

# The translated fields of `Publishable`; each kind registers them with its own.
PUBLISHABLE_TRANSLATED_FIELDS = (
    "title",
    "slug",
    "body",
    "ready",
    "release_at",
    "text_modified_at",
)


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def active_language(language=None):
    """The language to serve: `language` if given, else the active one, else the default."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    code = code.split("-")[0]
    if code not in language_codes():
        raise ValueError(f"{code!r} is not one of the configured LANGUAGES")
    return code


def as_shown(field, language=None):
    """The translated `field` as readers see it in `language`: its own text there, else the
    default language's (modeltranslation's fallback). To sort a list in the order it reads:
    sorting on the language's own column would sort every untranslated name as empty."""
    code = active_language(language)
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if code == default:
        return F(f"{field}_{code}")
    return Coalesce(NullIf(F(f"{field}_{code}"), Value("")), F(f"{field}_{default}"))


def unique_slug_per_language(model_name):
    return [
        models.UniqueConstraint(fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}")
        for code in language_codes()
    ]


def translation_permissions():
    """One `translate_<code>` permission per language: a translator edits those fields only.

    Plain names, like Django's own permissions: translating here would run before the
    translation machinery is ready.
    """
    return [
        (f"translate_{code}", f"Can edit the {code.upper()} translation")
        for code in language_codes()
    ]


# Translated fields that say whether and where each language version is public: a page in
# one language still reads them for every language (its language switcher).
VISIBILITY_FIELDS = ("slug", "ready", "release_at")


def publishable_kinds():
    """Every kind of content (the models built on `Publishable`), articles first."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.proxy
    ]


def next_visibility_change():
    """The earliest future moment at which an item of any kind, or one of its languages,
    becomes visible, in one query; None when nothing is scheduled."""
    first, *others = publishable_kinds()
    return first.objects.next_visibility_change(*[kind.objects for kind in others])


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


def live_condition(code, now):
    """The condition for an item to be live in `code` at `now` (see `live()`)."""
    released = Q(**{f"release_at_{code}__isnull": True}) | Q(**{f"release_at_{code}__lte": now})
    return released & Q(status=Status.PUBLISHED, published_at__lte=now, **{f"ready_{code}": True})


class PublishableQuerySet(models.QuerySet):
    def live(self, language=None):
        """Items a reader may see now in `language` (the active language by default).

        Published, publication time passed, that language's translation ready and its own
        release time (if any) passed.
        Every public page, feed, sitemap, search and related list starts here.
        """
        return self.filter(live_condition(active_language(language), timezone.now()))

    def live_in_any_language(self):
        """Items live in at least one language: what sitemaps list."""
        now = timezone.now()
        return self.filter(
            reduce(operator.or_, (live_condition(code, now) for code in language_codes()))
        )

    def in_desk_status(self, status):
        """Items in one of the desk's statuses: "draft", "review", "scheduled" (published,
        time still ahead) or "published" (time passed); unknown values select nothing."""
        now = timezone.now()
        conditions = {
            "draft": Q(status=Status.DRAFT),
            "review": Q(status=Status.REVIEW),
            "scheduled": Q(status=Status.PUBLISHED, published_at__gt=now),
            "published": Q(status=Status.PUBLISHED, published_at__lte=now),
        }
        return self.filter(conditions[status]) if status in conditions else self.none()

    def visible_to(self, user):
        """Items `user` may see on the desk, live or not: every admin view of them starts
        here (the rule is in `articles.roles.desk_visibility`)."""
        from articles.roles import desk_visibility

        return self.filter(desk_visibility(user, self.model))

    def visibility_changes(self):
        """{name: scalar subquery} of the earliest future moment at which an item of this
        kind, or one of its languages, becomes visible."""
        now = timezone.now()
        published = self.model.objects.filter(status=Status.PUBLISHED)

        def earliest(field, **conditions):
            # Read in index order: the first future value is the earliest.
            later = published.filter(**{f"{field}__gt": now}, **conditions)
            return Subquery(later.order_by(field).values(field)[:1])

        prefix = self.model._meta.model_name
        return {f"{prefix}_publication": earliest("published_at")} | {
            f"{prefix}_{code}": earliest(f"release_at_{code}", **{f"ready_{code}": True})
            for code in language_codes()
        }

    def next_visibility_change(self, *other_kinds):
        """The earliest future moment at which some item (of this kind, or of one of the
        querysets `other_kinds`) or language becomes visible.

        None when nothing is scheduled. Caches must not outlive it: visibility follows the
        clock, not a cron.
        """
        candidates = self.visibility_changes()
        for kind in other_kinds:
            candidates |= kind.visibility_changes()
        # One statement: each candidate is a scalar subquery, selected from any one row.
        moments = self.annotate(**candidates).values(*candidates).order_by()[:1]
        rows = list(moments)
        if not rows and other_kinds:
            # No row of this kind to select from: ask the others.
            return other_kinds[0].next_visibility_change(*other_kinds[1:])
        found = [moment for row in rows for moment in row.values() if moment is not None]
        return min(found, default=None)

    def for_reading(self, language=None):
        """The `language` version of these items: the other languages' texts (the bulk of
        each row) stay in the database."""
        # The registration reads the models' modules: imported when first used.
        from modeltranslation.translator import translator

        code = active_language(language)
        translated = translator.get_options_for_model(self.model).fields
        other_texts = [
            f"{field}_{other}"
            for field in translated
            if field not in VISIBILITY_FIELDS
            for other in language_codes()
            if other != code
        ]
        return self.defer(*other_texts)

    def released_under_any_slug(self, slug):
        """The item whose address in some language is `slug`, if it is live in at least
        one language; None otherwise, so that unreleased items stay unknown."""
        any_slug = Q()
        for code in language_codes():
            any_slug |= Q(**{f"slug_{code}": slug})
        return next((item for item in self.filter(any_slug) if item.released_languages()), None)


class Publishable(SafeTextModel):
    """A kind of content readers see once published, language by language.

    Each language version has its own title, slug (address) and sanitized body, and is
    released when ready; the whole item follows the desk's workflow (`articles.services`).
    A kind names its public view in `url_name` (a URL taking the slug).
    """

    Status = Status

    url_name = None
    # What a reader reads of a language version: a change to one of these is an update of
    # that version (`text_modified_at`); a change to its address or release is not.
    reader_text_fields = ("title", "body")

    title = models.CharField(_("title"), max_length=200, blank=True)
    slug = models.SlugField(  # noqa: DJ001 (NULL where untranslated, for the unique constraints)
        _("slug"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("The address in this language; filled in from the title."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Paragraphs with subheadings (h2, h3), lists, quotes and links."),
    )
    ready = models.BooleanField(
        _("translation ready"),
        default=False,
        help_text=_("Release this language to readers once published. Needs a title and a body."),
    )
    release_at = models.DateTimeField(
        _("release time"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: release this language later than the publication time. "
            "Empty means together with the rest."
        ),
    )
    text_modified_at = models.DateTimeField(
        _("text last changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When this language's text for readers last changed."),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "A time in the future schedules the publication. Empty means now, on publish."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Any save, also one that changes no text: readers are told `modified_at()` instead.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title_in(self.original_language) or self.title or f"#{self.pk}"

    def save(self, *args, stamp_text_changes=True, **kwargs):
        """Cleans bodies, fills slugs, unreadies languages without a title and a body.

        Each language whose reader text changed gets its `text_modified_at`, unless
        `stamp_text_changes` is False (an import: the text is not new, only its copy here).
        Partial saves (`update_fields`) leave the tracking alone. Other keyword arguments
        go to `write()`, the kind's own part of the save.
        """
        partial = kwargs.get("update_fields") is not None
        self.derive_before_write(
            timezone.now(), stamp_text_changes=stamp_text_changes and not partial
        )
        self.write(*args, partial=partial, **kwargs)

    def derive_before_write(self, now, *, stamp_text_changes):
        """What `save()` does before writing the row, also for a bulk insert (see
        `ArticleQuerySet.insert_new()`)."""
        # Before anything derived from the text (slugs, versions).
        self.remove_unsafe_characters()
        self.clean_bodies()
        self.prepare_to_save(now)
        for code in language_codes():
            title = getattr(self, f"title_{code}")
            if not (title and getattr(self, f"body_{code}")):
                setattr(self, f"ready_{code}", False)
            if title and not getattr(self, f"slug_{code}"):
                others = type(self).objects.exclude(pk=self.pk)
                setattr(self, f"slug_{code}", unique_slug(others, f"slug_{code}", title))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = now
        if stamp_text_changes:
            self.stamp_text_changes(now)

    def needs_slug_from_title(self):
        """Whether a save fills a slug from a title (free of the database's slugs only)."""
        return any(
            getattr(self, f"title_{code}") and not getattr(self, f"slug_{code}")
            for code in language_codes()
        )

    @classmethod
    def changed_without_save(cls, ids):
        """What a save of these items would cause, for a change made without one (the
        clock's: a scheduled item going live)."""
        raise NotImplementedError

    def prepare_to_save(self, now):
        """The kind's own values derived before a save (its bodies are clean already)."""

    def write(self, *args, partial, **kwargs):
        """Writes the row; a kind that keeps more (versions of its text) extends it."""
        super().save(*args, **kwargs)
        if not partial:
            self.remember_stored_texts()

    def get_absolute_url(self, language=None):
        code = active_language(language)
        return slug_address(self.url_name, getattr(self, f"slug_{code}"), code)

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        item.remember_stored_texts()
        return item

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.remember_stored_texts()

    def reader_text_columns(self, language):
        return [f"{field}_{language}" for field in self.reader_text_fields]

    def remember_stored_texts(self):
        """The reader texts as stored, and which languages readers could see, to tell on
        save which live versions changed."""
        deferred = self.get_deferred_fields()
        self._stored_texts = {
            column: getattr(self, column)
            for code in language_codes()
            for column in self.reader_text_columns(code)
            if column not in deferred
        }
        visibility = {"status", "published_at"} | {
            f"{field}_{code}" for field in ("ready", "release_at") for code in language_codes()
        }
        self._live_when_stored = set() if deferred & visibility else set(self.released_languages())

    def stamp_text_changes(self, now):
        """Set `text_modified_at` of each language that readers could see and whose reader
        text changed since it was loaded. Writing a version before its release is no
        update of it: a new item, a new translation, an embargoed text."""
        stored = getattr(self, "_stored_texts", {})
        for code in getattr(self, "_live_when_stored", ()):
            if any(
                column in stored and getattr(self, column) != stored[column]
                for column in self.reader_text_columns(code)
            ):
                setattr(self, f"text_modified_at_{code}", now)

    def clean_bodies(self):
        """Sanitize every language's body and store its links to articles by id; a body
        the sanitizer refuses is emptied and named in the `ValidationError` raised."""
        # Links to articles live in articles/links.py, which needs the articles' models.
        from articles.embeds import with_embed_details
        from articles.links import store_article_links

        refused = {}
        for code in language_codes():
            try:
                body = clean_html(getattr(self, f"body_{code}"))
            except ValidationError as error:
                # Never keep uncleaned HTML on the object, even unsaved (the preview shows it).
                body = ""
                refused[f"body_{code}"] = error
            setattr(self, f"body_{code}", with_embed_details(store_article_links(body)))
        if refused:
            raise ValidationError(refused)

    def clean(self):
        self.clean_bodies()
        errors = {}
        for code in language_codes():
            missing = not (getattr(self, f"title_{code}") and getattr(self, f"body_{code}"))
            if getattr(self, f"ready_{code}") and missing:
                errors[f"ready_{code}"] = _("A translation needs a title and a body to be ready.")
        original = self.original_language
        if self.status == self.Status.PUBLISHED and not getattr(self, f"ready_{original}", False):
            errors[f"ready_{original}"] = _(
                "The original language must be ready before the article is published."
            )
        # Figures live in articles/figures.py, which needs the articles' models.
        from articles.figures import figures_without_alt

        for code in language_codes():
            without_alt = figures_without_alt(getattr(self, f"body_{code}"))
            if without_alt:
                errors[f"body_{code}"] = ngettext(
                    "A figure has no alt text: say in a few words what its image shows.",
                    "%(count)d figures have no alt text: say in a few words what each image "
                    "shows.",
                    without_alt,
                ) % {"count": without_alt}
        errors.update(self.errors_of_own_fields())
        if errors:
            raise ValidationError(errors)

    def errors_of_own_fields(self):
        """{field name: error} for the fields a kind adds to the shared ones."""
        return {}

    def is_live(self, language=None):
        """The single-object twin of `objects.live()`."""
        since = self.visible_from(language)
        return since is not None and since <= timezone.now()

    def visible_from(self, language=None):
        """When readers may see this language version, a past or a future moment; None
        while unpublished or the translation not ready."""
        code = active_language(language)
        if self.status != self.Status.PUBLISHED or not getattr(self, f"ready_{code}"):
            return None
        return self.public_since(code)

    def public_since(self, language=None):
        """When this language version became (or becomes) visible to readers: the
        publication time, or the language's own later release time."""
        release_at = getattr(self, f"release_at_{active_language(language)}")
        if self.published_at is None or release_at is None:
            return self.published_at
        return max(self.published_at, release_at)

    def modified_at(self, language=None):
        """When readers' text of this language version last changed: its release, or a
        later edit of its reader texts. An edit of another language, of the status, or an
        import is no change of it."""
        code = active_language(language)
        released = self.public_since(code)
        edited = getattr(self, f"text_modified_at_{code}")
        if released is None or edited is None:
            return released
        return max(released, edited)

    def updated_after_release(self, language=None):
        """The time of a correction or edit made after this version was released, or None."""
        code = active_language(language)
        modified = self.modified_at(code)
        return modified if modified and modified > self.public_since(code) else None

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def status_label(self):
        """The status as the desk names it: "Scheduled" for a publication still to come."""
        return _("Scheduled") if self.is_scheduled else self.get_status_display()

    def released_languages(self):
        return [code for code in language_codes() if self.is_live(code)]

    def title_in(self, language):
        return getattr(self, f"title_{language}")

    def body_for_reader(self, language=None, base_url="", feed=False):
        """The body as a reader of `language` gets it (`rich_text_for_reader()`)."""
        code = active_language(language)
        body = getattr(self, f"body_{code}") or ""
        return rich_text_for_reader(body, code, self.body_images(code), base_url, feed)

    def body_images(self, language=None):
        """{id: library image} of the figures of the body in `language`: one query for
        them all, once per object (the page and its metadata share it)."""
        from articles.figures import images_for

        code = active_language(language)
        found = self.__dict__.setdefault("_body_images", {})
        if code not in found:
            found[code] = images_for(getattr(self, f"body_{code}"))
        return found[code]

    def has_embeds(self, language=None):
        """Whether the body holds an embed: its page needs the script that loads one."""
        return holds_embeds(getattr(self, f"body_{active_language(language)}"))


def rich_text_for_reader(html, language, images, base_url="", feed=False):
    """A stored rich text (a body, a bio) as readers get it: links to articles resolved
    (see articles/links.py; `base_url` makes their addresses absolute), notes numbered and
    listed at the end, tables in boxes that scroll, figures drawn with `images` (their
    library rows by id, articles/figures.py), embeds as facades. `feed`: for a feed reader,
    the stored text sanitized again on the way out, embeds as links."""
    from articles.embeds import embed_facades
    from articles.figures import show_figures
    from articles.links import link_articles
    from articles.notes import numbered_notes
    from articles.tables import scrollable_tables

    if feed:
        html = clean_stored_html(html)
    html = numbered_notes(link_articles(html, language, base_url))
    if not feed:
        html = scrollable_tables(html)
    html = show_figures(html, images, feed=feed, base_url=base_url)
    return mark_safe(embed_facades(html, feed=feed))


def holds_embeds(html):
    """Whether a stored rich text holds an embed: its page needs the script that loads one."""
    return "<div data-embed=" in (html or "")


class ContentEvent(models.Model):
    """One workflow step or edit of an item: who did what, and when. Each kind has its
    own table, with a foreign key to the item named `events` on its side."""

    class Action(models.TextChoices):
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Restored an earlier revision")
        WENT_LIVE = "went_live", _("Went live")

    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("The language version concerned; empty for the whole article."),
    )

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
        get_latest_by = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
