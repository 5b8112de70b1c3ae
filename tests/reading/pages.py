"""The reading pages that the accessibility and HTML validity checks visit, per language."""

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Section, Topic
from authors.models import Author

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SEARCH_WORDS = {"en": "grain", "fr": "blé", "ru": "зерно"}


def load_demo():
    call_command("seed_demo", verbosity=0)


def reading_pages(language):
    """{name: path} of one page of each kind in `language`, from the demo publication."""
    with translation.override(language):
        article = Article.objects.live(language).filter(topics__parent__isnull=False).first()
        topic = Topic.objects.filter(children__isnull=False).first()
        author = Author.objects.with_live_articles(language).first()
        return {
            "home": reverse("articles:home"),
            "article": article.get_absolute_url(language),
            "section": Section.objects.first().get_absolute_url(),
            "topic": topic.get_absolute_url(),
            "contributors": reverse("authors:list"),
            "author": author.get_absolute_url(),
            "search": f"{reverse('articles:search')}?q={SEARCH_WORDS[language]}",
            "archive": reverse("articles:archive"),
            "year": reverse("articles:archive-year", kwargs={"year": article.published_at.year}),
            "month": reverse(
                "articles:archive-month",
                kwargs={
                    "year": article.published_at.year,
                    "month": f"{article.published_at:%m}",
                },
            ),
        }
