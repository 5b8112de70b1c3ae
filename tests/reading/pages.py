"""The reading pages that the accessibility and HTML validity checks visit, per language."""

import re

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Section, Topic
from authors.models import Author

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def load_demo():
    call_command("seed_demo", verbosity=0)


def search_word(article, language):
    """The longest word of the article's title in `language`: a search that finds it."""
    return max(re.findall(r"\w+", article.title_in(language)), key=len).lower()


def reading_pages(language):
    """{name: path} of one page of each kind in `language`, from the demo publication.

    The pages of an article, its author and its date need an article in that language: a
    language just added, with nothing published yet, has only the others.
    """
    with translation.override(language):
        topic = Topic.objects.filter(children__isnull=False).first()
        pages = {
            "home": reverse("articles:home"),
            "section": Section.objects.first().get_absolute_url(),
            "topic": topic.get_absolute_url(),
            "contributors": reverse("authors:list"),
            "archive": reverse("articles:archive"),
            "search": f"{reverse('articles:search')}?q=",
        }
        article = Article.objects.live(language).filter(topics__parent__isnull=False).first()
        if article is None:
            return pages
        author = Author.objects.with_live_articles(language).first()
        published = article.published_at
        # The demo's article with a figure and a gallery in its body.
        figures = (
            Article.objects.live(language)
            .filter(**{f"body_{language}__contains": "data-gallery="})
            .first()
        )
        if figures is not None:
            pages["figures"] = figures.get_absolute_url(language)
        # The demo's article with a table, notes and an embed in every language.
        rich = Article.objects.live(language).filter(
            **{f"body_{language}__contains": "data-embed"}
        )
        return {
            **pages,
            "article": article.get_absolute_url(language),
            "rich article": rich.first().get_absolute_url(language),
            "author": author.get_absolute_url(),
            "search": f"{reverse('articles:search')}?q={search_word(article, language)}",
            "year": reverse("articles:archive-year", kwargs={"year": published.year}),
            "month": reverse(
                "articles:archive-month",
                kwargs={"year": published.year, "month": f"{published:%m}"},
            ),
        }
