import math
import operator
from functools import cached_property, reduce

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.publishable import (  # noqa: F401 (the articles' names of the shared rules)
    VISIBILITY_FIELDS,
    ContentEvent,
    Publishable,
    PublishableQuerySet,
    Status,
    active_language,
    as_shown,
    language_codes,
    live_condition,
    translation_permissions,
    unique_slug_per_language,
)
from newsroom.addresses import slug_address
from newsroom.characters import SafeTextModel
from newsroom.pagecache.remembered import remembered_until_changed
from newsroom.pagecache.tags import tag, tag_pk
from newsroom.slugs import unique_slug

# A common estimate for reading news prose on screen.
WORDS_READ_PER_MINUTE = 230


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


class SectionQuerySet(models.QuerySet):
    def with_first_live(self):
        """Annotates `first_live_<code>`: when the section's first article went (or goes)
        live in that language; None while it has no published, ready article there."""
        moments = {}
        for code in language_codes():
            published = Q(
                articles__status=Status.PUBLISHED,
                articles__published_at__isnull=False,
                **{f"articles__ready_{code}": True},
            )
            public_since = Greatest(
                "articles__published_at",
                Coalesce(f"articles__release_at_{code}", "articles__published_at"),
                output_field=models.DateTimeField(),
            )
            moments[f"first_live_{code}"] = Min(public_since, filter=published)
        return self.annotate(**moments)


class Section(Taxonomy):
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the site's navigation, smallest first.")
    )
    in_navigation = models.BooleanField(
        _("always in the navigation"),
        default=False,
        help_text=_(
            "List it in the site's navigation even while it has no live article in a language."
        ),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = unique_slug_per_language("section")

    def get_absolute_url(self):
        return slug_address("articles:section", self.slug_in())

    def in_navigation_now(self, language=None):
        """Is the section listed in the navigation (read from `with_first_live()`)?"""
        first_live = getattr(self, f"first_live_{active_language(language)}")
        return self.in_navigation or (first_live is not None and first_live <= timezone.now())


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
        ordering = ["name", "pk"]
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

# What a reader reads of an article's language version (see `Publishable.reader_text_fields`).
READER_TEXT_FIELDS = (*TRANSLATED_TEXT_FIELDS, "correction")


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


def translation_state_filter(code, state):
    """The condition for the `code` version of an article to be in `state`."""
    earlier = Q()
    for candidate, condition in translation_state_conditions(code):
        if candidate == state:
            return condition & ~earlier
        earlier |= condition
    return ~earlier


def byline_prefetch():
    """An article's credits in byline order with their authors (see `Article.byline`)."""
    return Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author__photo"))


class ArticleQuerySet(PublishableQuerySet):
    def insert_new(self, articles):
        """New articles written as `save()` writes each one, in a few INSERTs, without the
        save signals: the caller does what their receivers do (`articles.changes`) for all
        of them. A slug filled from a title is free of the database's slugs, not of the
        other articles': give them no such article (`needs_slug_from_title()`)."""
        now = timezone.now()
        for article in articles:
            article.derive_before_write(now, stamp_text_changes=False)
            article.date_translations()
        self.bulk_create(articles)
        for article in articles:
            article.remember_stored_texts()
        OriginalText.objects.bulk_create(article.first_original_text() for article in articles)
        return articles

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

    def for_teasers(self):
        """What a list of teasers in the active language reads of its articles: no bodies,
        with their section and lead image, newest first. Their bylines are read with the
        teasers not kept (`articles.teasers`)."""
        return (
            self.for_reading()
            .select_related("section", "lead_image")
            .defer(f"body_{active_language()}")
            .order_by("-published_at", "-pk")
        )

    def for_listing(self):
        """`for_teasers()` with the bylines, in a second query."""
        return self.for_teasers().with_bylines()


class Article(Publishable):
    url_name = "articles:detail"
    reader_text_fields = READER_TEXT_FIELDS

    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("The one- or two-sentence summary under the title."),
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
    lead_image = models.ForeignKey(
        "images.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_of",
    )
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
    original_version = models.PositiveIntegerField(
        _("original version"),
        default=1,
        editable=False,
        help_text=_("Goes up each time the original's title, standfirst or body changes."),
    )
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

    def errors_of_own_fields(self):
        if not self.lead_image:
            return {}
        try:
            self.lead_image.check_min_size("NEWSROOM_LEAD_IMAGE_MIN_SIZE")
        except ValidationError as error:
            return {"lead_image": error}
        return {}

    def save(self, *args, translation_impact=True, **kwargs):
        """Besides what every kind's save does (`Publishable.save()`), tracks the original
        text for translators.

        A change to the original's title, standfirst or body starts a new original
        version, which makes the existing translations outdated, unless the editor says the
        change has no `translation_impact` (a typo): then the current version's text is
        corrected in place.
        """
        super().save(*args, translation_impact=translation_impact, **kwargs)

    @classmethod
    def changed_without_save(cls, ids):
        from articles.changes import articles_changed  # it needs these models

        articles_changed(ids)

    def prepare_to_save(self, now):
        if self.corrected_at is None and any(
            getattr(self, f"correction_{code}") for code in language_codes()
        ):
            self.corrected_at = now

    def write(self, *args, partial, translation_impact=True, **kwargs):
        if partial:
            super().write(*args, partial=partial, **kwargs)
            return
        previous = self.original_texts.order_by("-version").first() if self.pk else None
        text = self.original_text()
        if previous and translation_impact and previous.text() != text:
            self.original_version = previous.version + 1
        self.date_translations()
        super().write(*args, partial=partial, **kwargs)
        if previous is None:
            # Its first: no version to update (looking for one cost a new article's save
            # two more queries).
            self.first_original_text().save()
        elif previous.text() != text:
            self.original_texts.update_or_create(version=self.original_version, defaults=text)

    def date_translations(self):
        """Each language that has a text and no version of the original yet is translated
        from the current one."""
        for code in language_codes():
            if self.translated_from_version(code) is None and self.has_text(code):
                setattr(self, f"translated_from_{code}", self.original_version)

    def first_original_text(self):
        """The `OriginalText` of a new article, unsaved."""
        return OriginalText(article=self, version=self.original_version, **self.original_text())

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
            byline = [credit.author for credit in self.bylines.select_related("author__photo")]
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
        """The article's topics in the order their names read in the active language, read
        once per object: a page asks for them several times."""
        return list(self.topics.order_by(as_shown("name"), "pk"))

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
            .select_related("section", "lead_image")
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
                # The thumbnail: its renditions' manifest is on the image's row, joined.
                "lead_image",
                "lead_image__file",
                "lead_image__file_width",
                "lead_image__file_height",
                "lead_image__file_renditions",
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


class ArticleEvent(ContentEvent):
    """One workflow step or edit of an article: who did what, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")

    class Meta(ContentEvent.Meta):
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
