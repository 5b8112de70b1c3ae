"""RSS 2.0 and Atom feeds per language: the whole site, a section, a topic, an author.

Each item carries the standfirst as its summary and the full body as its content, so a feed
reader can show either. Every feed starts from `Article.objects.live(language)`.

What a reader's feed reader takes for HTML is only the body, cleaned by the body sanitizer
on the way out; titles, standfirsts, names, bios and descriptions are plain text and reach
the reader as text whatever characters they hold.
"""

import mimetypes
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles import page_contract
from articles.figures import read_body_images
from articles.models import Article, ArticleAuthor, Section, Topic, active_language, language_codes
from articles.views import site_wide_page
from authors.models import Author
from newsroom.characters import remove_unsafe_characters
from newsroom.languages import site_languages
from newsroom.pagecache.tags import tag_page

FEED_SIZE = 20


def writable(value):
    """`value` with the characters XML cannot carry removed from every string in it.

    Text is cleaned where it enters, but rows written before that, or by
    `QuerySet.update()` or SQL, may still hold them: the feed must not fail on them.
    """
    if isinstance(value, str):
        return remove_unsafe_characters(value)
    if isinstance(value, dict):
        return {key: writable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [writable(item) for item in value]
    return value


class WritableFeedMixin:
    """Cleans every value given to the feed generator, then lets `plain_text()` encode the
    plain-text ones as the format needs."""

    def __init__(self, **kwargs):
        super().__init__(**self.plain_text(writable(kwargs)))

    def add_item(self, **kwargs):
        super().add_item(**self.plain_text(writable(kwargs)))

    def plain_text(self, values):
        return values


class DatedByItsItems:
    """A feed dated by its latest item. Django dates a feed without any item "now", which
    would change it on every request (and make every cached copy of it look stale): such
    a feed keeps the epoch instead."""

    def latest_post_date(self):
        if any(item["updateddate"] or item["pubdate"] for item in self.items):
            return super().latest_post_date()
        return datetime(1970, 1, 1, tzinfo=UTC)


class FullTextRssFeed(DatedByItsItems, WritableFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with the full text in `<content:encoded>` beside the summary."""

    def plain_text(self, values):
        # RSS never says whether an element holds text or HTML. Readers take <description>
        # for HTML, so the plain text goes there HTML-escaped and reads as typed. Some
        # guess for <title> from what it looks like: with its "<" escaped no guess can
        # find a tag in it, and a title without "<" (nearly all) reads the same either way.
        values = dict(values)
        if values.get("description") is not None:
            values["description"] = escape(values["description"])
        if values.get("title") is not None:
            values["title"] = values["title"].replace("<", "&lt;")
        return values

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class FullTextAtomFeed(DatedByItsItems, WritableFeedMixin, Atom1Feed):
    """Atom with the summary as text and the full text in `<content type="html">`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The latest live articles of the whole site in the reader's language."""

    # A page-cached view (see `__call__`) that reads nothing from its query string.
    page_query_parameters = ()

    def __init__(self, atom=False):
        self.feed_type = FullTextAtomFeed if atom else FullTextRssFeed

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def link(self, obj):
        return reverse("articles:home")

    def description(self, obj):
        return _("Independent analysis in %(site_languages)s.") % {
            "site_languages": site_languages()
        }

    def subtitle(self, obj):
        """Atom's name for the description (RSS ignores it)."""
        return self.description(obj)

    def selected(self, obj, articles):
        return articles

    def items(self, obj):
        code = active_language()
        articles = (
            Article.objects.live(code)
            .select_related("section", "lead_image")
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
                "topics",
            )
            .defer(*[f"body_{other}" for other in language_codes() if other != code])
            .order_by("-published_at", "-pk")
        )
        shown = list(self.selected(obj, articles)[:FEED_SIZE])
        read_body_images(shown, code)
        self.request.feed_articles = shown
        return shown

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.standfirst

    def item_extra_kwargs(self, article):
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        return {"content": article.body_for_reader(base_url=base_url, feed=True)}

    def item_pubdate(self, article):
        return article.public_since(translation.get_language())

    def item_updateddate(self, article):
        return article.modified_at(translation.get_language())

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.byline) or None

    def item_author_link(self, article):
        byline = article.byline
        return self.request.build_absolute_uri(byline[0].get_absolute_url()) if byline else None

    def item_categories(self, article):
        return [article.section.name, *(topic.name for topic in article.topics.all())]

    def item_enclosures(self, article):
        # The length as stored with the image's renditions: a feed opens no file.
        image = article.lead_image.file if article.lead_image else None
        length = image.stored_bytes if image else None
        if length is None:
            return []
        mime_type = mimetypes.guess_type(image.name)[0] or "image/jpeg"
        url = self.request.build_absolute_uri(image.url)
        return [Enclosure(url, str(length), mime_type)]

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return site_wide_page(super().__call__)(request, *args, **kwargs)


class ScopedFeed(LatestArticlesFeed):
    """The feed of one section, topic or author, named and linked after it.

    Tagged with what it shows (`articles.page_contract.scoped_feed()`) rather than with
    every article: an edit refreshes only the feeds that hold the article.
    """

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        tag_page(
            request,
            page_contract.scoped_feed(self.listing(obj), request.feed_articles),
            Article.objects.next_visibility_change,
        )
        return feed

    def title(self, obj):
        return f"{obj} — {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()


class SectionFeed(ScopedFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, **{f"slug_{active_language()}": slug})

    def description(self, section):
        return section.description or section.name

    def selected(self, section, articles):
        return articles.filter(section=section)

    def listing(self, section):
        return [page_contract.section_articles(section.pk)]


class TopicFeed(ScopedFeed):
    """A topic's articles, including those of the topics nested below it."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, **{f"slug_{active_language()}": slug})

    def description(self, topic):
        return topic.description or topic.name

    def selected(self, topic, articles):
        return articles.filter(topic.tags_article())

    def listing(self, topic):
        return [page_contract.topic_articles(topic.pk)]


class AuthorFeed(ScopedFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.with_live_articles(), slug=slug)

    def description(self, author):
        return author.short_bio or author.name

    def selected(self, author, articles):
        return articles.filter(authors=author)

    def listing(self, author):
        return [page_contract.author(author.pk), page_contract.author_articles(author.pk)]
