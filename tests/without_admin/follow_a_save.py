"""Saves an article with the admin absent, and prints what followed as JSON.

Run by tests/test_side_effects.py in a fresh interpreter with
DJANGO_SETTINGS_MODULE=tests.without_admin.settings and a migrated database.
"""

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.test import Client, RequestFactory  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from articles.models import Article, ArticleAuthor, SearchDocument, Section  # noqa: E402
from authors.models import Author  # noqa: E402
from newsroom.pagecache.middleware import current_page, page_key  # noqa: E402


def home_is_cached():
    return current_page(page_key(RequestFactory().get("/en/"))) is not None


with translation.override("en"):
    section = Section.objects.create(name_en="Energy")
    author = Author.objects.create(name_en="Nina Ardent")
    article = Article.objects.create(
        title_en="Pipelines and promises",
        body_en="<p>Gas through the Caucasus.</p>",
        ready_en=True,
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    ArticleAuthor.objects.create(article=article, author=author)
    indexed = list(SearchDocument.objects.filter(article=article).values_list("title", flat=True))

    client = Client()
    first = client.get("/en/").content.decode()
    cached = home_is_cached()
    article.title_en = "Pipelines and broken promises"
    article.body_en = "<p>Gas through the Black Sea.</p>"
    article.save()
    stale_after_save = not home_is_cached()
    second = client.get("/en/").content.decode()
    reindexed = list(SearchDocument.objects.filter(article=article).values_list("body", flat=True))

json.dump(
    {
        "admin_loaded": [
            name
            for name in sys.modules
            if name.split(".")[0] in {"articles", "authors", "newsroom"}
            and name.endswith(".admin")
        ],
        "indexed_on_create": indexed,
        "reindexed_on_save": reindexed,
        "home_showed_article": "Pipelines and promises" in first,
        "home_cached": cached,
        "home_stale_after_save": stale_after_save,
        "home_shows_new_title": "Pipelines and broken promises" in second,
    },
    sys.stdout,
)
