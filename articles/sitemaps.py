"""Sitemaps: every released language version with its `hreflang` siblings, plus Google News.

The index at /sitemap.xml lists every page of every sitemap. Each sitemap lists a page once
per language in which it exists, with alternates for all those languages and an
`x-default`. Articles come in pages by ranges of ids (`ArticleSitemap`); the other
sitemaps are one page each.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Section, Topic, language_codes
from articles.publishable import publishable_kinds
from authors.models import Author
from newsroom.languages import default_language_of
from newsroom.pagecache.remembered import remembered_until_changed

NEWS_SITEMAP_AGE = timedelta(days=2)
NEWS_SITEMAP_SIZE = 1000


def page_number(text):
    """The page number in `?p=`: PageNotAnInteger or EmptyPage (a 404) unless 1 or more."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise PageNotAnInteger(f"No page {text!r}") from None
    if number < 1:
        raise EmptyPage(f"No page {number}")
    return number


class TranslatedSitemap(Sitemap):
    """Pages that exist per language: each language version is one URL, carrying `hreflang`
    alternates for all of them and an `x-default`. One sitemap page holds every item."""

    changefreq = None

    def get_languages_for_item(self, item):
        return language_codes()

    def original_language(self, item):
        return None

    def lastmod(self, item, language):
        """When the `language` version of `item` last changed, or None if unknown."""
        return None

    def page_items(self, page):
        """The items on page `page` (the text of `?p=`)."""
        if page_number(page) != 1:
            raise EmptyPage(f"No page {page}")
        return self.items()

    def index_pages(self):
        """(number, lastmod or None) of each page, for the sitemap index."""
        return [(1, None)]

    def get_urls(self, page=1, site=None, protocol=None):
        """Each item's language versions, its locations worked out once for all of them."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = []
        for item in self.page_items(page):
            locations = {}
            for code in self.get_languages_for_item(item):
                with translation.override(code):
                    locations[code] = base + self.location(item)
            alternates = [{"lang_code": code, "location": url} for code, url in locations.items()]
            default = default_language_of(locations, self.original_language(item))
            if default:
                alternates.append({"lang_code": "x-default", "location": locations[default]})
            urls += [
                {
                    "location": location,
                    "lastmod": self.lastmod(item, code),
                    "changefreq": self.changefreq,
                    "alternates": alternates,
                }
                for code, location in locations.items()
            ]
        return urls


class LiveItemSitemap(TranslatedSitemap):
    """The items of a kind of content (`model`) live in some language, each in the
    languages readers see it in."""

    model = None

    def visibility_fields(self):
        fields = ["pk", "original_language", "status", "published_at"]
        for code in language_codes():
            fields += [
                f"slug_{code}",
                f"ready_{code}",
                f"release_at_{code}",
                f"text_modified_at_{code}",
            ]
        return fields

    def items(self):
        return (
            self.model.objects.live_in_any_language()
            .only(*self.visibility_fields())
            .order_by("pk")
        )

    def get_languages_for_item(self, item):
        return item.released_languages()

    def original_language(self, item):
        return item.original_language

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item, language):
        return item.modified_at(language)


class ArticleSitemap(LiveItemSitemap):
    """Live articles, in pages by ranges of ids.

    Page N holds the live articles whose id is in ((N - 1) × n, N × n], n being
    `articles_per_page`: one range scan of the primary key however deep the page is. A page
    keeps its articles as the archive grows, so crawlers fetch again only the pages whose
    lastmod moved. A range without a live article is no page, except page 1, the sitemap's
    own address.
    """

    # URLs a page at most, one per language version, each with an alternate per language:
    # 1,000 articles, about 1.3 MB, in three languages (the protocol allows 50,000 and 50 MB).
    limit = 3000
    model = Article

    @property
    def articles_per_page(self):
        return self.limit // len(language_codes())

    def page_items(self, page):
        number = page_number(page)
        last_id = number * self.articles_per_page
        articles = list(
            self.items().filter(pk__gt=last_id - self.articles_per_page, pk__lte=last_id)
        )
        if not articles and number > 1:
            raise EmptyPage(f"No page {number}")
        return articles

    def index_pages(self):
        """Remembered until an article changes or the next scheduled publication."""
        return remembered_until_changed(
            f"sitemap-pages:articles:{self.articles_per_page}",
            [Article],
            self.pages,
            expires_at=Article.objects.next_visibility_change,
        )

    def pages(self):
        """(number, lastmod) of page 1 and of each page holding a live article, in one
        query. A page's lastmod is the latest time one of its articles went live or had
        its text changed in a language."""
        now = timezone.now()
        moments = {"last_published": Max("published_at")}
        for code in language_codes():
            release_at = f"release_at_{code}"
            moments[f"last_released_{code}"] = Max(
                release_at, filter=Q(**{f"{release_at}__lte": now})
            )
            moments[f"last_edited_{code}"] = Max(f"text_modified_at_{code}")
        rows = (
            Article.objects.live_in_any_language()
            .annotate(page=(F("pk") - 1) / self.articles_per_page + 1)
            .values("page")
            .annotate(**moments)
            .order_by("page")
        )
        pages = {1: None}
        for row in rows:
            page = row.pop("page")
            pages[page] = max(moment for moment in row.values() if moment is not None)
        return list(pages.items())


class HomeSitemap(TranslatedSitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


class SectionSitemap(TranslatedSitemap):
    def items(self):
        return Section.objects.order_by("pk")


class TopicSitemap(TranslatedSitemap):
    def items(self):
        return Topic.objects.order_by("pk")


class AuthorSitemap(TranslatedSitemap):
    """Author pages, in the languages where the author signs a live article."""

    def items(self):
        counts = {
            code: Count("pk", filter=Q(articles__in=Article.objects.live(code).values("pk")))
            for code in language_codes()
        }
        # An author page lists the author's live articles: it changes when one goes live.
        latest = {
            f"last_live_{code}": Max(
                "articles__published_at",
                filter=Q(articles__in=Article.objects.live(code).values("pk")),
            )
            for code in language_codes()
        }
        return (
            Author.objects.annotate(**{f"live_{code}": count for code, count in counts.items()})
            .annotate(**latest)
            .order_by("pk")
        )

    def get_languages_for_item(self, author):
        return [code for code in language_codes() if getattr(author, f"live_{code}")]

    def lastmod(self, author, language):
        return getattr(author, f"last_live_{language}")


def other_kinds_sitemaps():
    """One sitemap for each kind of content besides articles, named after it ("pages")."""
    return {
        str(kind._meta.app_label): type(
            f"{kind.__name__}Sitemap", (LiveItemSitemap,), {"model": kind}
        )
        for kind in publishable_kinds()
        if kind is not Article
    }


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    **other_kinds_sitemaps(),
    "sections": SectionSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}


def news_articles(language):
    """Articles released in `language` within the last two days, for the Google News sitemap."""
    cutoff = timezone.now() - NEWS_SITEMAP_AGE
    release_at = f"release_at_{language}"
    # public_since() is the later of the two times: recent if either is.
    recent = list(
        Article.objects.live(language)
        .filter(Q(published_at__gte=cutoff) | Q(**{f"{release_at}__gte": cutoff}))
        .only("pk", "published_at", release_at, f"title_{language}", f"slug_{language}")
        .order_by("-published_at", "-pk")[:NEWS_SITEMAP_SIZE]
    )
    for article in recent:
        article.released_at = article.public_since(language)
    return recent
