"""Nothing unpublished reaches a reader: drafts, reviews, scheduled and unreleased languages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

pytestmark = pytest.mark.django_db


def public_pages(client, article, language):
    """HTML of every public page where `article` could show up, in `language`."""
    with translation.override(language):
        urls = [
            reverse("articles:home"),
            reverse("articles:section", kwargs={"slug": article.section.slug_in(language)}),
            reverse("authors:list"),
        ]
        urls += [topic.get_absolute_url() for topic in article.topics.all()]
        urls += [author.get_absolute_url() for author in article.authors.all()]
        urls += [
            other.get_absolute_url(language)
            for other in Article.objects.live(language).exclude(pk=article.pk)
        ]
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            pages.append(response.content.decode())
    return "\n".join(pages)


@pytest.fixture
def neighbourhood():
    """A live article sharing a topic and an author with the article under test."""
    topic = TopicFactory()
    author = AuthorFactory()
    live = ArticleFactory(translated=True, topics=[topic], authors=[author])
    return {"topic": topic, "author": author, "live": live}


def hidden_article(neighbourhood, **fields):
    article = ArticleFactory(
        translated=True,
        title_en="Secret English headline",
        title_fr="Titre secret",
        title_ru="Секретный заголовок",
        topics=[neighbourhood["topic"]],
        authors=[AuthorFactory(name_en="Hidden Writer")],
        **fields,
    )
    article.related_links.create(target=neighbourhood["live"])
    neighbourhood["live"].related_links.create(target=article)
    return article


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.DRAFT, "published_at": timezone.now() - timedelta(days=1)},
        {"published_at": timezone.now() + timedelta(hours=2)},
    ],
    ids=["draft", "in-review", "unpublished-with-past-date", "scheduled"],
)
def test_unpublished_article_appears_on_no_public_page(client, neighbourhood, fields):
    article = hidden_article(neighbourhood, **fields)
    for language, title in [
        ("en", "Secret English headline"),
        ("fr", "Titre secret"),
        ("ru", "Секретный заголовок"),
    ]:
        html = public_pages(client, article, language)
        assert neighbourhood["live"].title_in(language) in html
        assert title not in html
        assert "Hidden Writer" not in html
        assert client.get(article.get_absolute_url(language)).status_code == 404


def test_unreleased_translation_is_hidden_only_in_its_language(client, neighbourhood):
    article = hidden_article(neighbourhood, ready_fr=False)
    assert "Secret English headline" in public_pages(client, article, "en")
    assert "Titre secret" not in public_pages(client, article, "fr")
    assert client.get(article.get_absolute_url("fr")).status_code == 404
    assert client.get(article.get_absolute_url("ru")).status_code == 200


def test_scheduled_article_appears_once_its_time_has_passed(client, neighbourhood):
    publish_at = timezone.now() + timedelta(hours=2)
    article = hidden_article(neighbourhood, published_at=publish_at)
    assert "Secret English headline" not in public_pages(client, article, "en")
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert article.is_live("en")
        assert "Secret English headline" in public_pages(client, article, "en")
        assert client.get(article.get_absolute_url("en")).status_code == 200


def test_live_queryset_and_is_live_agree():
    cases = [
        ArticleFactory(),
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(status=Article.Status.REVIEW),
        ArticleFactory(published_at=timezone.now() + timedelta(minutes=5)),
        ArticleFactory(translated=True, ready_ru=False),
    ]
    for language in ["en", "fr", "ru"]:
        live_ids = set(Article.objects.live(language).values_list("pk", flat=True))
        assert live_ids == {article.pk for article in cases if article.is_live(language)}


def test_a_translation_without_title_or_body_is_never_ready():
    article = ArticleFactory(title_fr="Titre seul", ready_fr=True)
    article.refresh_from_db()
    assert article.ready_fr is False
    assert not Article.objects.live("fr").filter(pk=article.pk).exists()


def test_author_with_only_unpublished_articles_has_no_public_page(client):
    writer = AuthorFactory()
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, authors=[writer])
    assert client.get(writer.get_absolute_url()).status_code == 404
    assert writer.name_en not in client.get(reverse("authors:list")).content.decode()
