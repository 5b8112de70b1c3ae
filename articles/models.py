import math
import operator
from functools import cached_property, reduce

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.sanitize import clean_html
from newsroom.addresses import slug_address
from newsroom.characters import SafeTextModel
from newsroom.images.fields import (
    GeneratedName,
    ResponsiveImageField,
    focus_field,
    renditions_field,
)
from newsroom.pagecache.remembered import remembered_until_changed
from newsroom.pagecache.tags import tag, tag_pk
from newsroom.slugs import unique_slug

# A common estimate for reading news prose on screen.
WORDS_READ_PER_MINUTE = 230


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def active_language(language=None):
    """The language to serve: `language` if given, else the active one, else the default."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    code = code.split("-")[0]
    if code not in language_codes():
        raise ValueError(f"{code!r} is not one of the configured LANGUAGES")
    return code


def unique_slug_per_language(model_name):
    return [
        models.UniqueConstraint(fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}")
        for code in language_codes()
    ]


def live_listing_indexes():
    """Indexes holding every column `live()` tests, so that lists, counts and visibility
    checks are answered from an index alone.

    SQLite would otherwise read past every article's bodies to reach the columns stored
    after them. Live articles in listing order, overall and per section, and by id for
    lists that start from bylines or topics.
    """
    live = [name for code in language_codes() for name in (f"ready_{code}", f"release_at_{code}")]
    return [
        models.Index(fields=["status", "published_at", "id", *live], name="article_live"),
        # Only articles with a later release in a language: the next release is the first.
        *[
            models.Index(
                fields=[f"release_at_{code}"],
                condition=Q(**{f"release_at_{code}__isnull": False}),
                name=f"article_release_at_{code}",
            )
            for code in language_codes()
        ],
        models.Index(
            fields=["section", "status", "published_at", "id", *live], name="article_section_live"
        ),
        models.Index(
            fields=["id", "status", "published_at", "section", *live], name="article_visibility"
        ),
    ]


class TranslatedSlugMixin:
    """Fills each language's empty slug from that language's name (or the English one)."""

    def fill_slugs(self):
        for code in language_codes():
            if getattr(self, f"slug_{code}"):
                continue
            text = getattr(self, f"name_{code}") or getattr(
                self, f"name_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
            )
            if text:
                others = type(self).objects.exclude(pk=self.pk)
                setattr(self, f"slug_{code}", unique_slug(others, f"slug_{code}", text))

    def slug_in(self, language=None):
        return getattr(self, f"slug_{active_language(language)}")


class Taxonomy(TranslatedSlugMixin, SafeTextModel):
    """What sections and topics share: a translated name, slug and description."""

    name = models.CharField(_("name"), max_length=80)
    # NULL, not "", when a language has no slug: the unique constraints ignore NULLs.
    slug = models.SlugField(_("slug"), max_length=100, null=True, blank=True)  # noqa: DJ001
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.remove_unsafe_characters()
        self.fill_slugs()
        super().save(*args, **kwargs)


class SectionManager(models.Manager):
    def remembered(self):
        """Every section in navigation order, remembered across requests until one
        changes: every page lists them."""
        return remembered_until_changed("sections", [Section], lambda: list(self.all()))


class Section(Taxonomy):
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site's navigation, smallest first.")
    )

    objects = SectionManager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = unique_slug_per_language("section")

    def get_absolute_url(self):
        return slug_address("articles:section", self.slug_in())


class Topic(Taxonomy):
    """A region or a theme. Topics nest: Asia > Transcaucasia."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = unique_slug_per_language("topic")

    def get_absolute_url(self):
        return slug_address("articles:topic", self.slug_in())

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A topic cannot be nested inside itself.")})
            ancestor = ancestor.parent

    def descendant_ids(self, all_topics=None):
        """Ids of this topic and every topic below it, in one query, or none when every
        topic is given."""
        children = {}
        pairs = (
            [(topic.pk, topic.parent_id) for topic in all_topics]
            if all_topics is not None
            else Topic.objects.values_list("pk", "parent_id")
        )
        for pk, parent_id in pairs:
            children.setdefault(parent_id, []).append(pk)
        found, queue = [], [self.pk]
        while queue:
            pk = queue.pop()
            found.append(pk)
            queue.extend(children.get(pk, []))
        return found

    def tags_article(self, all_topics=None):
        """The condition for an article to be tagged with this topic or any topic below it.

        An EXISTS per article: a list read in date order stops at its page, where an IN
        over the topic's articles made SQLite sort all of them first.
        """
        return Exists(
            Article.topics.through.objects.filter(
                article_id=OuterRef("pk"), topic_id__in=self.descendant_ids(all_topics)
            )
        )


# The original-language fields a translation is made from; changing one makes it outdated.
TRANSLATED_TEXT_FIELDS = ("title", "standfirst", "body")

# What a reader reads of a language version: a change to one of these is an update of that
# version (`text_modified_at`); a change to its address, release or SEO texts is not.
READER_TEXT_FIELDS = (*TRANSLATED_TEXT_FIELDS, "correction")


def reader_text_columns(language):
    return [f"{field}_{language}" for field in READER_TEXT_FIELDS]


# Translated fields that say whether and where each language version is public: a page in
# one language still reads them for every language (its language switcher).
VISIBILITY_FIELDS = ("slug", "ready", "release_at")


class TranslationState(models.TextChoices):
    MISSING = "missing", _("missing")
    IN_PROGRESS = "in_progress", _("in progress")
    OUTDATED = "outdated", _("outdated")
    READY = "ready", _("ready")


def translation_state_conditions(code):
    """What puts a language version in each state, first match wins; anything else is in
    progress. The SQL twin of `Article.translation_state()`."""
    # `> ''` is false for both NULL and the empty string.
    has_text = Q()
    for field in TRANSLATED_TEXT_FIELDS:
        has_text |= Q(**{f"{field}_{code}__gt": ""})
    return [
        (TranslationState.MISSING, ~has_text),
        (
            TranslationState.OUTDATED,
            ~Q(original_language=code)
            & Q(**{f"translated_from_{code}__lt": F("original_version")}),
        ),
        (TranslationState.READY, Q(**{f"ready_{code}": True})),
    ]


def live_condition(code, now):
    """The condition for an article to be live in `code` at `now` (see `live()`)."""
    released = Q(**{f"release_at_{code}__isnull": True}) | Q(**{f"release_at_{code}__lte": now})
    return released & Q(
        status=Article.Status.PUBLISHED, published_at__lte=now, **{f"ready_{code}": True}
    )


def translation_state_filter(code, state):
    """The condition for the `code` version of an article to be in `state`."""
    earlier = Q()
    for candidate, condition in translation_state_conditions(code):
        if candidate == state:
            return condition & ~earlier
        earlier |= condition
    return ~earlier


def translation_permissions():
    """One `translate_<code>` permission per language: a translator edits those fields only.

    Plain names, like Django's own permissions: translating here would run before the
    translation machinery is ready.
    """
    return [
        (f"translate_{code}", f"Can edit the {code.upper()} translation")
        for code in language_codes()
    ]


def byline_prefetch():
    """An article's credits in byline order with their authors (see `Article.byline`)."""
    return Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))


class ArticleQuerySet(models.QuerySet):
    def live(self, language=None):
        """Articles a reader may see now in `language` (the active language by default).

        Published, publication time passed, that language's translation ready and its own
        release time (if any) passed.
        Every public page, feed, sitemap, search and related list starts here.
        """
        return self.filter(live_condition(active_language(language), timezone.now()))

    def in_desk_status(self, status):
        """Articles in one of the desk's statuses: "draft", "review", "scheduled" (published,
        time still ahead) or "published" (time passed); unknown values select nothing."""
        now = timezone.now()
        conditions = {
            "draft": Q(status=Article.Status.DRAFT),
            "review": Q(status=Article.Status.REVIEW),
            "scheduled": Q(status=Article.Status.PUBLISHED, published_at__gt=now),
            "published": Q(status=Article.Status.PUBLISHED, published_at__lte=now),
        }
        return self.filter(conditions[status]) if status in conditions else self.none()

    def visible_to(self, user):
        """Articles `user` may see on the desk, live or not: every admin view of articles
        starts here (the rule is in `articles.roles.desk_visibility`)."""
        from articles.roles import desk_visibility

        return self.filter(desk_visibility(user))

    def live_in_any_language(self):
        """Articles live in at least one language: what sitemaps list."""
        now = timezone.now()
        return self.filter(
            reduce(operator.or_, (live_condition(code, now) for code in language_codes()))
        )

    def next_visibility_change(self):
        """The earliest future moment at which some article or language becomes visible.

        None when nothing is scheduled. Caches must not outlive it: visibility follows the
        clock, not a cron.
        """
        now = timezone.now()
        published = self.filter(status=Article.Status.PUBLISHED)

        def earliest(field, **conditions):
            # Read in index order: the first future value is the earliest.
            later = published.filter(**{f"{field}__gt": now}, **conditions)
            return Subquery(later.order_by(field).values(field)[:1])

        candidates = {"publication": earliest("published_at")} | {
            code: earliest(f"release_at_{code}", **{f"ready_{code}": True})
            for code in language_codes()
        }
        # One statement: each candidate is a scalar subquery, selected from any one row.
        moments = self.annotate(**candidates).values(*candidates).order_by()[:1]
        found = [moment for row in moments for moment in row.values() if moment is not None]
        return min(found, default=None)

    def released_under_any_slug(self, slug):
        """The article whose address in some language is `slug`, if it is live in at least
        one language; None otherwise, so that unreleased articles stay unknown."""
        any_slug = Q()
        for code in language_codes():
            any_slug |= Q(**{f"slug_{code}": slug})
        return next(
            (article for article in self.filter(any_slug) if article.released_languages()), None
        )

    def latest_per_section(self, limit):
        """The `limit` latest of these articles in each section.

        Each section's latest are read backwards from its index, and their ids gathered with
        UNION ALL: with an OR of subqueries, or a window function, the database would test
        every live article of the archive instead.
        """
        latest = []
        params = []
        for pk in Section.objects.values_list("pk", flat=True):
            ids = self.filter(section_id=pk).order_by("-published_at", "-pk").values("pk")
            sql, ids_params = ids[:limit].query.sql_with_params()
            latest.append(f"SELECT * FROM ({sql}) AS section_{pk}")
            params.extend(ids_params)
        if not latest:
            return self.none()
        return self.filter(pk__in=RawSQL(" UNION ALL ".join(latest), params))

    def with_bylines(self):
        """Authors in byline order, in one extra query (see `Article.byline`)."""
        return self.prefetch_related(byline_prefetch())

    def with_translation_states(self):
        """Annotates `state_<code>` (a `TranslationState`) for every language."""
        return self.annotate(
            **{
                f"state_{code}": models.Case(
                    *[
                        models.When(condition, then=models.Value(state))
                        for state, condition in translation_state_conditions(code)
                    ],
                    default=models.Value(TranslationState.IN_PROGRESS),
                    output_field=models.CharField(),
                )
                for code in language_codes()
            }
        )

    def translation_totals(self):
        """{language: {state: count}} over this queryset, in one query."""
        counts = self.aggregate(
            **{
                f"{code}__{state}": models.Count(
                    "pk", filter=translation_state_filter(code, state)
                )
                for code in language_codes()
                for state in TranslationState
            }
        )
        return {
            code: {state: counts[f"{code}__{state}"] for state in TranslationState}
            for code in language_codes()
        }

    def with_outdated_translation(self, languages=None):
        """Articles with an outdated translation in one of `languages` (default: any)."""
        return self.filter(
            reduce(
                operator.or_,
                (
                    translation_state_filter(code, TranslationState.OUTDATED)
                    for code in languages or language_codes()
                ),
            )
        )

    def for_reading(self, language=None):
        """The `language` version of these articles: the other languages' texts (the
        bulk of each row) stay in the database."""
        # The registration reads this module: imported when first used.
        from modeltranslation.translator import translator

        code = active_language(language)
        translated = translator.get_options_for_model(Article).fields
        other_texts = [
            f"{field}_{other}"
            for field in translated
            if field not in VISIBILITY_FIELDS
            for other in language_codes()
            if other != code
        ]
        return self.defer(*other_texts)

    def for_teasers(self):
        """What a list of teasers in the active language reads of its articles: no bodies,
        with their section, newest first. Their bylines are read with the teasers not kept
        (`articles.teasers`)."""
        return (
            self.for_reading()
            .select_related("section")
            .defer(f"body_{active_language()}")
            .order_by("-published_at", "-pk")
        )

    def for_listing(self):
        """`for_teasers()` with the bylines, in a second query."""
        return self.for_teasers().with_bylines()


class Article(SafeTextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200, blank=True)
    slug = models.SlugField(  # noqa: DJ001 (NULL where untranslated, for the unique constraints)
        _("slug"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("The article's address in this language; filled in from the title."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("The one- or two-sentence summary under the title."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Paragraphs with subheadings (h2, h3), lists, quotes and links."),
    )
    seo_title = models.CharField(
        _("SEO title"), max_length=70, blank=True, help_text=_("Defaults to the title.")
    )
    seo_description = models.CharField(
        _("SEO description"),
        max_length=160,
        blank=True,
        help_text=_("Shown by search engines; defaults to the standfirst."),
    )
    image_alt = models.CharField(
        _("image alt text"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=150, blank=True)
    ready = models.BooleanField(
        _("translation ready"),
        default=False,
        help_text=_(
            "Release this language to readers once the article is published. "
            "Needs a title and a body."
        ),
    )
    release_at = models.DateTimeField(
        _("release time"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: release this language later than the article's publication time. "
            "Empty means together with the article."
        ),
    )
    translated_from = models.PositiveIntegerField(
        _("translated from version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The version of the original text this translation was last confirmed against."
        ),
    )

    correction = models.TextField(
        _("correction note"),
        blank=True,
        help_text=_(
            "Optional, public: what was corrected, shown on the article as "
            "“Updated on (date): (note)”."
        ),
    )
    corrected_at = models.DateTimeField(
        _("corrected on"),
        null=True,
        blank=True,
        help_text=_("The date shown with the correction note; filled in when left empty."),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    lead_image = ResponsiveImageField(
        _("lead image"),
        spec="lead_image",
        upload_to=GeneratedName("articles/%Y/%m"),
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_focus_x = focus_field(_("focal point, left to right (percent)"))
    lead_image_focus_y = focus_field(_("focal point, top to bottom (percent)"))
    lead_image_renditions = renditions_field()
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="articles"
    )
    authors = models.ManyToManyField(
        "authors.Author",
        verbose_name=_("authors"),
        through="ArticleAuthor",
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the article. Empty means now, on publish."),
    )
    original_version = models.PositiveIntegerField(
        _("original version"),
        default=1,
        editable=False,
        help_text=_("Goes up each time the original's title, standfirst or body changes."),
    )
    text_modified_at = models.DateTimeField(
        _("text last changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When this language's title, standfirst, body or correction last changed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Any save, also one that changes no text: readers are told `modified_at()` instead.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = unique_slug_per_language("article")
        indexes = live_listing_indexes()
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            *translation_permissions(),
        ]

    def __str__(self):
        return self.title_in(self.original_language) or self.title or f"#{self.pk}"

    def save(self, *args, translation_impact=True, stamp_text_changes=True, **kwargs):
        """Cleans bodies, fills slugs, and tracks the original text for translators.

        A change to the original's title, standfirst or body starts a new original
        version, which makes the existing translations outdated, unless the editor says the
        change has no `translation_impact` (a typo): then the current version's text is
        corrected in place. Each language whose reader text changed gets its
        `text_modified_at`, unless `stamp_text_changes` is False (an import: the text is
        not new, only its copy here). Partial saves (`update_fields`) leave the tracking
        alone.
        """
        now = timezone.now()
        # Before anything derived from the text (slugs, the original's version).
        self.remove_unsafe_characters()
        self.clean_bodies()
        if self.corrected_at is None and any(
            getattr(self, f"correction_{code}") for code in language_codes()
        ):
            self.corrected_at = now
        for code in language_codes():
            title = getattr(self, f"title_{code}")
            if not (title and getattr(self, f"body_{code}")):
                setattr(self, f"ready_{code}", False)
            if title and not getattr(self, f"slug_{code}"):
                others = Article.objects.exclude(pk=self.pk)
                setattr(self, f"slug_{code}", unique_slug(others, f"slug_{code}", title))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = now
        if kwargs.get("update_fields") is not None:
            super().save(*args, **kwargs)
            return
        if stamp_text_changes:
            self.stamp_text_changes(now)
        previous = self.original_texts.order_by("-version").first() if self.pk else None
        text = self.original_text()
        if previous and translation_impact and previous.text() != text:
            self.original_version = previous.version + 1
        for code in language_codes():
            if self.translated_from_version(code) is None and self.has_text(code):
                setattr(self, f"translated_from_{code}", self.original_version)
        super().save(*args, **kwargs)
        self.remember_stored_texts()
        if previous is None:
            # Its first: no version to update (looking for one cost a new article's save
            # two more queries).
            self.original_texts.create(version=self.original_version, **text)
        elif previous.text() != text:
            self.original_texts.update_or_create(version=self.original_version, defaults=text)

    def get_absolute_url(self, language=None):
        code = active_language(language)
        return slug_address("articles:detail", getattr(self, f"slug_{code}"), code)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article.remember_stored_texts()
        return article

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.remember_stored_texts()

    def remember_stored_texts(self):
        """The reader texts as stored, and which languages readers could see, to tell on
        save which live versions changed."""
        deferred = self.get_deferred_fields()
        self._stored_texts = {
            column: getattr(self, column)
            for code in language_codes()
            for column in reader_text_columns(code)
            if column not in deferred
        }
        visibility = {"status", "published_at"} | {
            f"{field}_{code}" for field in ("ready", "release_at") for code in language_codes()
        }
        self._live_when_stored = set() if deferred & visibility else set(self.released_languages())

    def stamp_text_changes(self, now):
        """Set `text_modified_at` of each language that readers could see and whose reader
        text changed since it was loaded. Writing a version before its release is no
        update of it: a new article, a new translation, an embargoed text."""
        stored = getattr(self, "_stored_texts", {})
        for code in getattr(self, "_live_when_stored", ()):
            if any(
                column in stored and getattr(self, column) != stored[column]
                for column in reader_text_columns(code)
            ):
                setattr(self, f"text_modified_at_{code}", now)

    def original_text(self):
        """The original language's title, standfirst and body, as a dict."""
        return {
            field: getattr(self, f"{field}_{self.original_language}") or ""
            for field in TRANSLATED_TEXT_FIELDS
        }

    def has_text(self, language):
        return any(getattr(self, f"{field}_{language}") for field in TRANSLATED_TEXT_FIELDS)

    def translated_from_version(self, language):
        return getattr(self, f"translated_from_{language}")

    def translation_state(self, language):
        """The `TranslationState` of one language version (twin of the SQL conditions)."""
        if not self.has_text(language):
            return TranslationState.MISSING
        translated_from = self.translated_from_version(language)
        if (
            language != self.original_language
            and translated_from is not None
            and translated_from < self.original_version
        ):
            return TranslationState.OUTDATED
        if getattr(self, f"ready_{language}"):
            return TranslationState.READY
        return TranslationState.IN_PROGRESS

    def confirm_translation(self, language):
        """The translator's word that `language` is up to date with the current original."""
        setattr(self, f"translated_from_{language}", self.original_version)
        self.save(update_fields=[f"translated_from_{language}"])

    def body_for_reader(self, language=None, base_url=""):
        """The body with its links to other articles resolved for a reader of `language`
        (see articles/links.py); `base_url` makes those addresses absolute."""
        from articles.links import link_articles

        code = active_language(language)
        return mark_safe(link_articles(getattr(self, f"body_{code}") or "", code, base_url))

    def word_count(self, language):
        return len(strip_tags(getattr(self, f"body_{language}") or "").split())

    def reading_minutes(self, language):
        """Minutes a reader needs for the body, rounded up; 0 for an empty body."""
        return math.ceil(self.word_count(language) / WORDS_READ_PER_MINUTE)

    def length_display(self, language):
        """ "812 words · 4 min read", for editors."""
        words = self.word_count(language)
        minutes = self.reading_minutes(language)
        words_text = ngettext("%(count)d word", "%(count)d words", words) % {"count": words}
        minutes_text = ngettext("%(count)d min read", "%(count)d min read", minutes) % {
            "count": minutes
        }
        return f"{words_text} · {minutes_text}"

    def title_in(self, language):
        return getattr(self, f"title_{language}")

    def clean_bodies(self):
        """Sanitize every language's body and store its links to other articles by id; a
        body the sanitizer refuses is emptied and named in the `ValidationError` raised."""
        # Links between articles live in articles/links.py, which needs this module.
        from articles.links import store_article_links

        refused = {}
        for code in language_codes():
            try:
                body = clean_html(getattr(self, f"body_{code}"))
            except ValidationError as error:
                # Never keep uncleaned HTML on the object, even unsaved (the preview shows it).
                body = ""
                refused[f"body_{code}"] = error
            setattr(self, f"body_{code}", store_article_links(body))
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
        if errors:
            raise ValidationError(errors)

    def is_live(self, language=None):
        """The single-object twin of `Article.objects.live()`."""
        since = self.visible_from(language)
        return since is not None and since <= timezone.now()

    def visible_from(self, language=None):
        """When readers may see this language version, a past or a future moment; None
        while the article is unpublished or the translation not ready."""
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
        later edit of its title, standfirst, body or correction. An edit of another
        language, of the article's section or status, or an import is no change of it."""
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

    @cached_property
    def byline(self):
        """Authors in byline order (uses the `bylines` prefetch of `for_listing()`), read
        once per object: a page asks for them several times."""
        return [credit.author for credit in self.bylines.all()]

    def load_page_parts(self, language=None, expires_at=None):
        """What the article's page shows besides its own row: its byline and topics (set
        on `byline` and `shown_topics`), and the (previous, next, "More on this topic")
        returned. Remembered across requests until one of them may change (see
        `page_parts_tags()`), or the next scheduled publication (`expires_at()`, if the
        caller knows it already).

        Found through the ORM they cost more than the rest of the page, and change far
        less often than the page is read.
        """
        code = active_language(language)

        def find():
            byline = [credit.author for credit in self.bylines.select_related("author")]
            previous, following = self.section_neighbours(code)
            links = (previous, following, self.more_on_this_topic(code))
            return byline, self.shown_topics, links

        byline, topics, links = remembered_until_changed(
            f"page-parts:{self.pk}:{code}",
            [],
            find,
            expires_at or Article.objects.next_visibility_change,
            self.page_parts_tags,
        )
        self.__dict__.update(byline=byline, shown_topics=topics)
        return links

    def page_parts_tags(self, parts):
        """The tags of what decides the `parts` of `load_page_parts()`: this article's
        bylines, curated links and topics (its page tag), the authors and topics shown,
        which live articles its section and topics hold in which order, the articles shown
        (their titles, addresses, sections), and the names of sections and topics."""
        byline, topics, (previous, following, more) = parts
        return [
            tag(self, "page"),
            tag_pk(Section, self.section_id, "order"),
            tag(Section),
            tag(Topic),
            *[tag(author) for author in byline],
            *[tag(topic, "order") for topic in topics],
            *[tag(shown) for shown in (previous, following, *more) if shown is not None],
        ]

    @cached_property
    def shown_topics(self):
        """The article's topics (uses a `topics` prefetch), read once per object: a page
        asks for them several times."""
        return list(self.topics.all())

    def section_neighbours(self, language=None):
        """The previous (older) and next (newer) live articles of the same section."""
        if self.published_at is None:
            # A draft (seen in the desk's preview) has no place in the sequence yet.
            return None, None
        code = active_language(language)
        same_section = Article.objects.live(code).filter(section_id=self.section_id)
        older = Q(published_at__lt=self.published_at) | Q(
            published_at=self.published_at, pk__lt=self.pk
        )
        newer = Q(published_at__gt=self.published_at) | Q(
            published_at=self.published_at, pk__gt=self.pk
        )
        # The plain date bounds let each subquery read the index from this article on.
        previous_id = (
            same_section.filter(older, published_at__lte=self.published_at)
            .order_by("-published_at", "-pk")
            .values("pk")[:1]
        )
        following_id = (
            same_section.filter(newer, published_at__gte=self.published_at)
            .order_by("published_at", "pk")
            .values("pk")[:1]
        )
        # Both in one query, each found once by its own indexed subquery (which alone
        # decides what is live).
        found = Article.objects.only("pk", f"title_{code}", f"slug_{code}", "published_at").filter(
            Q(pk=Subquery(previous_id)) | Q(pk=Subquery(following_id))
        )
        previous = following = None
        for article in found:
            if (article.published_at, article.pk) < (self.published_at, self.pk):
                previous = article
            else:
                following = article
        return previous, following

    def more_on_this_topic(self, language=None, limit=5):
        """Curated related articles first, then the latest sharing a topic; all live."""
        code = active_language(language)
        candidates = (
            Article.objects.live(code)
            .exclude(pk=self.pk)
            .select_related("section")
            # What the list shows (title, address, section, date, image), and the visibility
            # fields `is_live()` reads.
            .only(
                "pk",
                "status",
                "published_at",
                f"title_{code}",
                f"slug_{code}",
                f"ready_{code}",
                f"release_at_{code}",
                "section",
                # The thumbnail: its renditions' manifest is on the row.
                "lead_image",
                "lead_image_width",
                "lead_image_height",
                "lead_image_focus_x",
                "lead_image_focus_y",
                "lead_image_renditions",
            )
        )
        curated = list(
            candidates.filter(linked_from__source=self).order_by("linked_from__position")[:limit]
        )
        if len(curated) >= limit:
            return curated
        topic_ids = [topic.pk for topic in self.shown_topics]
        if not topic_ids:
            return curated
        # EXISTS rather than a join: the latest live articles are read in index order
        # until enough share a topic, instead of sorting every article of those topics.
        tagged = Article.topics.through.objects.filter(
            article_id=OuterRef("pk"), topic_id__in=topic_ids
        )
        same_topics = (
            candidates.filter(Exists(tagged))
            .exclude(pk__in=[article.pk for article in curated])
            .order_by("-published_at", "-pk")[: limit - len(curated)]
        )
        return curated + list(same_topics)


class TranslationMatrix(Article):
    """The admin's view of articles against languages (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("translation matrix")
        verbose_name_plural = _("translation matrix")


class OriginalText(models.Model):
    """The original language's text at one version, for translators' diffs."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="original_texts")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ["article", "version"]
        verbose_name = _("original text")
        verbose_name_plural = _("original texts")
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="original_text_version")
        ]

    def __str__(self):
        return f"{self.article} v{self.version}"

    def text(self):
        return {field: getattr(self, field) for field in TRANSLATED_TEXT_FIELDS}


class ArticleAuthor(models.Model):
    """One name in an article's byline, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "authors.Author",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("byline")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return str(self.author)


class RelatedArticle(models.Model):
    """A curated "More on this topic" link, in order."""

    source = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article,
        verbose_name=_("related article"),
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="related_unique_target"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="related_not_self"
            ),
        ]

    def __str__(self):
        return str(self.target)


class SearchDocument(models.Model):
    """One language version of an article as plain text, for full-text search.

    Kept in step with the article by `articles.search.refresh_search_index()`; searched by
    `articles.search.search_articles()`, always joined with `Article.objects.live()`.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_documents")
    language = models.CharField(max_length=8)
    title = models.TextField()
    standfirst = models.TextField()
    body = models.TextField()
    # PostgreSQL's weighted tsvector (GIN-indexed there); unused on SQLite, where an FTS5
    # table indexes the text columns instead (see migration 0003).
    document = SearchVectorField(null=True, editable=False)
    # `article.visible_from(language)`, copied so that the newest matches are found in this
    # table alone; the results are still joined with `Article.objects.live()`.
    public_since = models.DateTimeField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="search_document_unique_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "public_since", "article"], name="search_document_public"
            )
        ]

    def __str__(self):
        return f"{self.article_id} ({self.language})"


class ArticleEvent(models.Model):
    """One workflow step or edit of an article: who did what, and when."""

    class Action(models.TextChoices):
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Restored an earlier revision")
        WENT_LIVE = "went_live", _("Went live")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
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
        ordering = ["-at", "-pk"]
        get_latest_by = ["at", "pk"]
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        constraints = [
            # `publish_scheduled` records each article or language going live once, even
            # when two runs race; a rescheduled article goes live again at its new time.
            models.UniqueConstraint(
                fields=["article", "language", "published_at"],
                condition=Q(action="went_live"),
                name="article_event_went_live_once",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
