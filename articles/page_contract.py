"""The page cache's contract: what each public page shows, named as tags, and which changes
mark each tag stale.

Views tag their pages with the functions below, and `articles.invalidation` marks the same
functions' tags when content changes; neither builds a tag of its own. Whether the two
agree is not left to care: tests/pagecache/test_exactness.py renders every page kind of a
seeded site before and after every change an editor or a command can make (each stored
field of each model, found from the models, and the workflow) and fails if a page that
changed is still served from the cache.

    tag                   shown by                           marked stale by
    navigation()          every public page (sections menu)  a section saved or deleted; an
                                                             article's save or deletion that
                                                             moves when a section first has
                                                             a live article (its navigation
                                                             lists only those)
    footer()              every public page (the site pages  a site page saved with a change
                          listed in the footer)              to what the footer shows of it
                                                             (FOOTER_FIELDS), or deleted; the
                                                             next one going live is each
                                                             page's expiry
    site_page(pk)         the site page's own page           any field of the page
    every_site_page()     sitemaps                           any change to any site page
    notice()              every public page                  a notice saved or deleted
                                                             (newsroom.notices); its end
                                                             is each page's expiry
    every_article()       home, archives, contributors,      any change to any article:
                          the site's feeds, sitemaps         a field, topics, byline
    every_topic()         article and topic pages, feeds,    a topic saved or deleted
                          sitemaps
    every_author()        the site's feeds, sitemaps,        an author saved or deleted
                          contributors
    author(pk)            pages showing the author's name,   that author saved or deleted;
                          role, bio or photo                 the library image of their
                                                             photo saved or deleted
    author_articles(pk)   the author's page and feed         a listed field of one of their
                                                             articles; their bylines
    article_page(pk)      the article's own page; the feeds  any field of the article; its
                          of its section, topics and         topics, byline, curated links;
                          authors (they carry its text)      a curated link's target going
                                                             live or changing; a library
                                                             image it shows (lead image or
                                                             figure) saved or deleted
    article_entry(pk)     pages showing the article as an    a listed field of the article,
                          entry: previous / next, "More on   its lead image's library row
                          this topic", a link in a body      saved or deleted
                          (article pages, scoped feeds)
    section_articles(pk)  the section's page and feed        a listed field of an article
                                                             in it, or that left it
    section_order(pk)     its articles' pages                an order field of an article
                          (previous / next)                  in it, or that left it
    topic_articles(pk)    the topic's page and feed, and     a listed field of an article
                          those of the topics above it       with the topic; a topic added
                                                             to or removed from an article
    topic_order(pk)       its articles' pages ("More on      an order field of an article
                          this topic")                       with the topic; topics added
                                                             or removed

A teaser kept rendered (`articles.teasers`) is refreshed by the same marks as the pages:
`teaser()` names what it shows.

An article's fields are of three kinds (see `article_field_kind()`): what only its own page
(and the site-wide pages) shows, `PAGE_ONLY_FIELDS`; what decides which lists hold it and
where, `ORDER_FIELDS`; and what lists show of it, every other field. A new field is listed
until someone says otherwise: it refreshes more pages than it might, never fewer.
"""

from functools import cache

from modeltranslation.translator import translator

from articles.links import linked_article_ids
from articles.models import Article, Section, Topic
from authors.models import Author
from newsroom.notices.models import SiteNotice
from newsroom.pagecache.tags import tag, tag_pk
from pages.models import Page

# What only an article's own page (and the site-wide feeds and sitemaps) shows: no list,
# teaser, "previous / next" or "More on this topic" reads these.
PAGE_ONLY_FIELDS = {
    "body",
    "seo_title",
    "seo_description",
    "image_caption",
    "image_credit",
    "correction",
    "corrected_at",
    "translated_from",
    "original_version",
    "created_at",
    "updated_at",
    "text_modified_at",
}

# What decides whether an article is in a list and where: its visibility and its section.
ORDER_FIELDS = {"status", "published_at", "ready", "release_at", "section"}

# What the footer shows of a site page, or decides whether it lists it and where.
FOOTER_FIELDS = {"title", "slug", "in_footer", "footer_position", *ORDER_FIELDS} - {"section"}

PAGE_ONLY, LISTED, ORDER = "page only", "listed", "order"


def article_field_kind(name):
    """PAGE_ONLY, LISTED or ORDER: what a change of the field `name` (untranslated) shows."""
    if name in ORDER_FIELDS:
        return ORDER
    if name in PAGE_ONLY_FIELDS:
        return PAGE_ONLY
    return LISTED


@cache
def article_columns():
    """{column: field name} of every stored field of an article; of a translated field,
    each language's column, named after the field."""
    translated = translator.get_options_for_model(Article).fields
    return {
        column.attname: getattr(column, "translated_field", column).name
        for column in Article._meta.concrete_fields
        if column.name not in translated
    }


def navigation():
    return tag(Section)


def notice():
    return tag(SiteNotice)


def footer():
    return tag(Page, "footer")


def site_page(pk):
    return tag_pk(Page, pk, "page")


def every_site_page():
    return tag(Page)


def every_article():
    return tag(Article)


def every_topic():
    return tag(Topic)


def every_author():
    return tag(Author)


def author(pk):
    return tag_pk(Author, pk)


def author_articles(pk):
    return tag_pk(Author, pk, "articles")


def article_page(pk):
    return tag_pk(Article, pk, "page")


def article_entry(pk):
    return tag_pk(Article, pk)


def section_articles(pk):
    return tag_pk(Section, pk, "articles")


def section_order(pk):
    return tag_pk(Section, pk, "order")


def topic_articles(pk):
    return tag_pk(Topic, pk, "articles")


def topic_order(pk):
    return tag_pk(Topic, pk, "order")


def public_page():
    """What every public page shows: the sections menu, the site notice and the footer."""
    return [navigation(), notice(), footer()]


def site_wide():
    """The site's feeds and the sitemaps: many articles with their authors, sections and
    topics, and the site pages."""
    return [every_article(), navigation(), every_topic(), every_author(), every_site_page()]


def scoped_feed(listing, articles):
    """A section's, topic's or author's feed: which articles its `listing` holds, each
    article's full text (its own page's tag) with the articles it links to, their
    bylines, and the section and topic names among their categories."""
    return [
        navigation(),
        every_topic(),
        *listing,
        *[article_page(article.pk) for article in articles],
        *[article_entry(pk) for article in articles for pk in linked_article_ids(article.body)],
        *bylines(articles),
    ]


def teaser(pk, author_ids):
    """What an article's teaser shows: its listed fields and byline (its entry), its
    section's name and address, and its authors' names and addresses."""
    return [article_entry(pk), navigation(), *[author(person) for person in author_ids]]


def bylines(articles):
    """The authors named in the bylines of `articles`."""
    return {author(person.pk) for article in articles for person in article.byline}
