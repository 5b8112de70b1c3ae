"""Full-text search of live articles in the reader's language.

Each language version of an article is copied as plain text into `SearchDocument`, which is
indexed per database: on PostgreSQL a weighted tsvector (title A, standfirst B, body C) in
the language's text search configuration, under a GIN index; on SQLite an FTS5 table that
folds case and accents in every alphabet. Results always come from
`Article.objects.live(language)`, so the index may hold unreleased text safely.

The index follows every model save and delete of an article (receivers below). Code that
writes articles without `save()` (`QuerySet.update()`, `bulk_create()`, raw SQL) must call
`refresh_search_index(ids)` afterwards; `manage.py rebuild_search_index` redoes it all.
"""

import html
import re

from django.apps import apps as installed_apps
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, language_codes

# PostgreSQL text search configuration per language; others use "simple" (no stemming).
# french_unaccent is created by migration 0003.
POSTGRESQL_CONFIGS = {"en": "english", "fr": "french_unaccent", "ru": "russian"}
MAX_TERMS = 16
# Only the newest matches are ranked and counted (one more, to tell that there are more):
# ranking every match of a frequent word costs seconds in a large archive, and no reader
# pages through more.
MAX_RESULTS = 500
EXCERPT_WORDS = 30
# Marks around matched words in excerpts, replaced by <mark> once the text is escaped.
MATCH_START, MATCH_STOP = "\x02", "\x03"
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


def postgresql_config(language):
    return POSTGRESQL_CONFIGS.get(language, "simple")


def plain_text(body_html):
    """The words of a (sanitized) HTML body, one space between blocks."""
    return SPACES.sub(" ", html.unescape(TAG.sub(" ", body_html))).strip()


def refresh_search_index(article_ids, apps=None):
    """Copy the current text of these articles, in every language they have, into the index."""
    apps = apps or installed_apps
    article_model = apps.get_model("articles", "Article")
    document_model = apps.get_model("articles", "SearchDocument")
    article_ids = list(article_ids)
    document_model.objects.filter(article_id__in=article_ids).delete()
    documents = []
    for article in article_model.objects.filter(pk__in=article_ids).iterator(chunk_size=500):
        for code in language_codes():
            title = getattr(article, f"title_{code}") or ""
            if title:
                documents.append(
                    document_model(
                        article_id=article.pk,
                        language=code,
                        title=title,
                        standfirst=getattr(article, f"standfirst_{code}") or "",
                        body=plain_text(getattr(article, f"body_{code}") or ""),
                    )
                )
    document_model.objects.bulk_create(documents, batch_size=500)
    if connection.vendor == "postgresql":
        for code in language_codes():
            config = postgresql_config(code)
            document_model.objects.filter(article_id__in=article_ids, language=code).update(
                document=SearchVector("title", weight="A", config=config)
                + SearchVector("standfirst", weight="B", config=config)
                + SearchVector("body", weight="C", config=config)
            )


@receiver(post_save, sender=Article, dispatch_uid="articles.search.index_article")
def index_article(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index([instance.pk])


# Deleting an article deletes its documents through the foreign key's CASCADE.


def search_terms(text):
    """The words of a reader's query, at most MAX_TERMS of them."""
    return WORD.findall(text)[:MAX_TERMS]


def search_articles(articles, text, language):
    """`articles` (a queryset of live articles in `language`) that match `text`, best first.

    Only the MAX_RESULTS (+ 1) newest matches are ranked: they are found through the full-text
    index and the publication date index, then ranked (title over standfirst over body).
    Each result carries `search_excerpt`: the body's best passage with matched words
    between MATCH_START and MATCH_STOP (see `highlighted_excerpt()`).
    """
    terms = search_terms(text)
    if not terms:
        return articles.none()
    if connection.vendor == "postgresql":
        search = _PostgreSQLSearch(" ".join(terms), language)
    else:
        search = _SQLiteSearch(terms)
    newest = (
        search.matching(articles, language)
        .order_by("-published_at", "-pk")
        .values("pk")[: MAX_RESULTS + 1]
    )
    return search.ranked(articles.filter(pk__in=newest), language).order_by(
        "-search_rank", "-published_at", "-pk"
    )


class _PostgreSQLSearch:
    def __init__(self, text, language):
        self.config = postgresql_config(language)
        self.query = SearchQuery(text, config=self.config, search_type="websearch")

    def matching(self, articles, language):
        return articles.filter(
            search_documents__language=language, search_documents__document=self.query
        )

    def ranked(self, articles, language):
        return articles.filter(search_documents__language=language).annotate(
            search_rank=SearchRank(F("search_documents__document"), self.query),
            search_excerpt=SearchHeadline(
                "search_documents__body",
                self.query,
                config=self.config,
                start_sel=MATCH_START,
                stop_sel=MATCH_STOP,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
            ),
        )


class _SQLiteSearch:
    FTS = "articles_searchdocument_fts"

    def __init__(self, terms):
        # Each term quoted: nothing a reader types is read as FTS5 query syntax. "ё" is
        # folded to "е" as in the index (migration 0003).
        self.match = " ".join(f'"{term}"' for term in terms).replace("ё", "е").replace("Ё", "Е")

    def matching(self, articles, language, select=None):
        return articles.filter(search_documents__language=language).extra(
            tables=[self.FTS],
            where=[f"{self.FTS}.rowid = articles_searchdocument.id", f"{self.FTS} MATCH %s"],
            params=[self.match],
            select=select,
        )

    def ranked(self, articles, language):
        return self.matching(
            articles,
            language,
            select={
                # bm25 is lower for better matches; title weighs most, then standfirst.
                "search_rank": f"-bm25({self.FTS}, 10.0, 4.0, 1.0)",
                "search_excerpt": (
                    f"snippet({self.FTS}, 2, char(2), char(3), '…', {EXCERPT_WORDS})"
                ),
            },
        )


def highlighted_excerpt(excerpt):
    """The excerpt as safe HTML, matched words in <mark>."""
    # Escaped first: only our own marks become tags.
    return mark_safe(escape(excerpt).replace(MATCH_START, "<mark>").replace(MATCH_STOP, "</mark>"))
