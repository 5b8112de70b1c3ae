"""Full-text search of live articles in the reader's language.

Each language version of an article is copied as plain text into `SearchDocument`, which is
indexed per database: on PostgreSQL a weighted tsvector (title A, standfirst B, body C) in
the language's text search configuration, under a GIN index; on SQLite an FTS5 table that
folds case and accents in every alphabet. Each document also holds when its language version
is public (`public_since`), so that the newest matches are found in that table alone. Results
are always joined with `Article.objects.live(language)`, so the index may hold unreleased
text safely, and a stale `public_since` can only hide an article, never show it early.

The index follows every model save and delete of an article (`index_article()`, connected
with the other receivers in `articles.changes`). Code that writes articles without `save()`
(`QuerySet.update()`, `bulk_create()`, raw SQL) must call
`articles.changes.articles_changed(ids)` afterwards; `manage.py rebuild_search_index` redoes
the index alone.
"""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest, Left, Lower, NullIf, StrIndex
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, SearchDocument, language_codes
from articles.notes import without_notes

# PostgreSQL text search configuration of a language where it is not PostgreSQL's own one
# named after the language (french_unaccent is created by migration 0003).
POSTGRESQL_CONFIGS = {"fr": "french_unaccent"}
# The stemming configurations PostgreSQL 15 comes with; other languages use "simple".
POSTGRESQL_BUILT_IN_CONFIGS = {
    *("arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish"),
    *("french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian"),
    *("lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian"),
    *("spanish", "swedish", "tamil", "turkish", "yiddish"),
}
MAX_TERMS = 16
# Only the newest matches are ranked and counted (one more, to tell that there are more):
# ranking every match of a frequent word costs seconds in a large archive, and no reader
# pages through more.
MAX_RESULTS = 500
EXCERPT_WORDS = 30
# Characters of body after the searched words that PostgreSQL's excerpt is taken from:
# several excerpts' worth, so that it does not reach the cut.
EXCERPT_SOURCE_AFTER = 800
# Marks around matched words in excerpts, replaced by <mark> once the text is escaped.
MATCH_START, MATCH_STOP = "\x02", "\x03"
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


def postgresql_config(language):
    """The text search configuration of `language`: ours, else PostgreSQL's own named after
    the language in English ("de": "german"), else "simple" (no stemming)."""
    if language in POSTGRESQL_CONFIGS:
        return POSTGRESQL_CONFIGS[language]
    try:
        name = translation.get_language_info(language)["name"].lower()
    except KeyError:
        return "simple"
    return name if name in POSTGRESQL_BUILT_IN_CONFIGS else "simple"


def plain_text(body_html):
    """The words of a (sanitized) HTML body, one space between blocks; without its notes,
    which are no part of the text an excerpt may show."""
    return SPACES.sub(" ", html.unescape(TAG.sub(" ", without_notes(body_html)))).strip()


def refresh_search_index(article_ids, articles=None):
    """Copy the current text of these articles, in every language they have, into the index;
    `articles`: the same articles already read (the import reads them for more than this)."""
    article_ids = list(article_ids)
    SearchDocument.objects.filter(article_id__in=article_ids).delete()
    if articles is None:
        articles = Article.objects.filter(pk__in=article_ids).iterator(chunk_size=500)
    documents = []
    for article in articles:
        for code in language_codes():
            title = getattr(article, f"title_{code}") or ""
            if title:
                documents.append(
                    SearchDocument(
                        article_id=article.pk,
                        language=code,
                        title=title,
                        standfirst=getattr(article, f"standfirst_{code}") or "",
                        body=plain_text(getattr(article, f"body_{code}") or ""),
                        public_since=article.visible_from(code),
                    )
                )
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    if connection.vendor == "postgresql":
        for code in language_codes():
            config = postgresql_config(code)
            SearchDocument.objects.filter(article_id__in=article_ids, language=code).update(
                document=SearchVector("title", weight="A", config=config)
                + SearchVector("standfirst", weight="B", config=config)
                + SearchVector("body", weight="C", config=config)
            )


def index_article(sender, instance, raw=False, **kwargs):
    """Receiver of every article save (connected in `articles.changes`)."""
    if not raw:
        refresh_search_index([instance.pk])


# Deleting an article deletes its documents through the foreign key's CASCADE.


def search_terms(text):
    """The words of a reader's query, at most MAX_TERMS of them."""
    return WORD.findall(text)[:MAX_TERMS]


def search_articles(text, language, among=None):
    """Live articles in `language` that match `text`, best first, as `SearchResults`.

    `among` (a queryset of articles: the reader's filters) narrows the search. Only the
    MAX_RESULTS (+ 1) newest matching documents are ranked (title over standfirst over
    body): they are found in the search index alone, through the full-text index and the
    (language, public_since) index.
    """
    terms = search_terms(text)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        search = _PostgreSQLSearch(terms, language)
    else:
        search = _SQLiteSearch(terms, language)
    documents = SearchDocument.objects.filter(language=language, public_since__lte=timezone.now())
    if among is not None:
        documents = documents.filter(article__in=among.values("pk"))
    newest = (
        search.matching(documents)
        .order_by("-public_since", "-article_id")
        .values("pk")[: MAX_RESULTS + 1]
    )
    return SearchResults(search, newest)


class SearchResults:
    """Ranked matches, read the way a `Paginator` reads them: `count()`, then a slice.

    The count ranks every candidate in one query; a slice loads its articles with their
    excerpts in another, so that only the shown articles get one. Each article carries
    `search_excerpt`: the body's best passage with matched words between MATCH_START and
    MATCH_STOP (see `highlighted_excerpt()`).
    """

    def __init__(self, search, candidates):
        self.search = search
        self.candidates = candidates

    @cached_property
    def ranked_ids(self):
        live = Article.objects.live(self.search.language)
        ranked = self.search.ranked(live, self.candidates).order_by(
            "-search_rank", "-published_at", "-pk"
        )
        # Without modeltranslation's rewriting, which builds a dict for each row.
        return list(ranked.rewrite(False).values_list("pk", flat=True))

    def count(self):
        return len(self.ranked_ids)

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        """The live articles of a slice of the ranking, for listing, in ranking order."""
        ids = self.ranked_ids[page]
        if not ids:
            return []
        articles = self.search.excerpted(
            Article.objects.live(self.search.language).for_listing().filter(pk__in=ids)
        )
        found = {article.pk: article for article in articles}
        # An article unpublished since the count is left out.
        return [found[pk] for pk in ids if pk in found]


class _PostgreSQLSearch:
    def __init__(self, terms, language):
        self.terms = terms
        self.language = language
        self.config = postgresql_config(language)
        self.query = SearchQuery(" ".join(terms), config=self.config, search_type="websearch")

    def matching(self, documents):
        return documents.filter(document=self.query)

    def ranked(self, articles, candidates):
        return articles.filter(search_documents__in=candidates).annotate(
            search_rank=SearchRank(F("search_documents__document"), self.query)
        )

    def excerpted(self, articles):
        return articles.filter(search_documents__language=self.language).annotate(
            search_excerpt=SearchHeadline(
                self.excerpt_source(),
                self.query,
                config=self.config,
                start_sel=MATCH_START,
                stop_sel=MATCH_STOP,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
            ),
        )

    def excerpt_source(self):
        """The body up to a little past where each searched word found as typed has
        appeared, or the whole body when none is (stemmed or unaccented matches only):
        ts_headline parses all the text it is given, a few milliseconds for a whole body."""
        body = F("search_documents__body")
        found = [NullIf(StrIndex(Lower(body), Value(term.lower())), 0) for term in self.terms]
        # PostgreSQL's GREATEST ignores NULLs: words not found as typed.
        last = Greatest(*found) if len(found) > 1 else found[0]
        return Coalesce(Left(body, last + EXCERPT_SOURCE_AFTER), body)


class _SQLiteSearch:
    """A MATCH that SQLite places inside a join runs again for each row of the outer tables,
    which took minutes for a common word: here the FTS table drives the ranking, and only a
    page's excerpts ask it for one row at a time."""

    FTS = "articles_searchdocument_fts"

    def __init__(self, terms, language):
        self.language = language
        # Each term quoted: nothing a reader types is read as FTS5 query syntax. "ё" is
        # folded to "е" as in the index (migration 0003).
        self.match = " ".join(f'"{term}"' for term in terms).replace("ё", "е").replace("Ё", "Е")

    def matching(self, documents):
        # The unary + keeps SQLite from looking up each match by id, which would read past
        # its body to reach public_since: it reads the (language, public_since) index
        # newest first instead, and stops at the limit.
        return documents.extra(
            where=[
                f"+articles_searchdocument.id IN "
                f"(SELECT rowid FROM {self.FTS} WHERE {self.FTS} MATCH %s)"
            ],
            params=[self.match],
        )

    def ranked(self, articles, candidates):
        newest, params = candidates.query.sql_with_params()
        # The unary + hides rowid from FTS5, which would otherwise be asked once per
        # candidate: the matches are read once and the candidates picked among them.
        return articles.filter(search_documents__language=self.language).extra(
            tables=[self.FTS],
            where=[
                f"+{self.FTS}.rowid IN ({newest})",
                f"articles_searchdocument.id = +{self.FTS}.rowid",
                f"{self.FTS} MATCH %s",
            ],
            params=[*params, self.match],
            # bm25 is lower for better matches; title weighs most, then standfirst.
            select={"search_rank": f"-bm25({self.FTS}, 10.0, 4.0, 1.0)"},
        )

    def excerpted(self, articles):
        snippet = f"snippet({self.FTS}, 2, char(2), char(3), '…', {EXCERPT_WORDS})"
        return articles.filter(search_documents__language=self.language).extra(
            select={
                "search_excerpt": f"SELECT {snippet} FROM {self.FTS} WHERE {self.FTS} MATCH %s "
                f"AND {self.FTS}.rowid = articles_searchdocument.id"
            },
            select_params=[self.match],
        )


def highlighted_excerpt(excerpt):
    """The excerpt as safe HTML, matched words in <mark>."""
    # Escaped first: only our own marks become tags.
    return mark_safe(escape(excerpt).replace(MATCH_START, "<mark>").replace(MATCH_STOP, "</mark>"))
