"""Sitemaps: every released language version with its `hreflang` siblings, plus Google News.

The index at /sitemap.xml lists one sitemap per kind of page; each lists a page once per
language in which it exists, with alternates for all those languages and an `x-default`.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, Topic, language_codes
from authors.models import Author
from newsroom.languages import default_language_of

NEWS_SITEMAP_AGE = timedelta(days=2)
NEWS_SITEMAP_SIZE = 1000


class TranslatedSitemap(Sitemap):
    """A sitemap of pages that exist per language, with `hreflang` alternates."""

    i18n = True
    alternates = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alt["lang_code"]: alt["location"] for alt in url["alternates"]}
            default = default_language_of(by_language, self.original_language(url["item"][0]))
            if default:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": by_language[default]}
                )
        return urls

    def original_language(self, item):
        return None


class ArticleSitemap(TranslatedSitemap):
    def items(self):
        fields = ["pk", "original_language", "status", "published_at", "updated_at"]
        for code in language_codes():
            fields += [f"slug_{code}", f"ready_{code}", f"release_at_{code}"]
        return Article.objects.live_in_any_language().only(*fields).order_by("pk")

    def get_languages_for_item(self, article):
        return article.released_languages()

    def original_language(self, article):
        return article.original_language

    def location(self, article):
        return article.get_absolute_url()

    def lastmod(self, article):
        return article.updated_at


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
        live_anywhere = Article.objects.live_in_any_language().values("pk")
        latest = Max("articles__updated_at", filter=Q(articles__in=live_anywhere))
        return (
            Author.objects.annotate(**{f"live_{code}": count for code, count in counts.items()})
            .annotate(lastmod=latest)
            .order_by("pk")
        )

    def get_languages_for_item(self, author):
        return [code for code in language_codes() if getattr(author, f"live_{code}")]

    def lastmod(self, author):
        return author.lastmod


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
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
