"""Each language of an article is released on its own: now, or at its own time."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staggered():
    """Published an hour from now in English; Russian follows two hours later."""
    published_at = timezone.now() + timedelta(hours=1)
    article = ArticleFactory(
        translated=True,
        title_en="Staggered story",
        title_ru="Поэтапная статья",
        published_at=published_at,
        release_at_ru=published_at + timedelta(hours=2),
    )
    return article, published_at


def home_page(client, language):
    with translation.override(language):
        return client.get(reverse("articles:home")).content.decode()


def test_each_language_appears_at_its_own_time(client, staggered):
    article, published_at = staggered
    assert not article.is_live("en")
    assert "Staggered story" not in home_page(client, "en")

    with time_machine.travel(published_at + timedelta(minutes=1)):
        assert article.is_live("en") and article.is_live("fr")
        assert not article.is_live("ru")
        assert "Staggered story" in home_page(client, "en")
        assert "Поэтапная статья" not in home_page(client, "ru")
        assert client.get(article.get_absolute_url("ru")).status_code == 404

    with time_machine.travel(published_at + timedelta(hours=2, minutes=1)):
        assert article.is_live("ru")
        assert "Поэтапная статья" in home_page(client, "ru")
        assert client.get(article.get_absolute_url("ru")).status_code == 200


def test_public_since_is_the_later_of_publication_and_release(staggered):
    article, published_at = staggered
    assert article.public_since("en") == published_at
    assert article.public_since("ru") == published_at + timedelta(hours=2)
    article.release_at_fr = published_at - timedelta(days=1)
    assert article.public_since("fr") == published_at


def test_next_visibility_change_includes_language_releases(staggered):
    article, published_at = staggered
    assert Article.objects.next_visibility_change() == published_at
    with time_machine.travel(published_at + timedelta(minutes=1)):
        assert Article.objects.next_visibility_change() == article.release_at_ru
    with time_machine.travel(published_at + timedelta(hours=3)):
        assert Article.objects.next_visibility_change() is None


def test_a_release_time_does_not_release_a_language_that_is_not_ready():
    article = ArticleFactory(
        translated=True, ready_fr=False, release_at_fr=timezone.now() + timedelta(hours=1)
    )
    assert Article.objects.next_visibility_change() is None
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert not article.is_live("fr")


def test_live_queryset_and_is_live_agree_on_release_times():
    now = timezone.now()
    cases = [
        ArticleFactory(translated=True, release_at_fr=now - timedelta(minutes=1)),
        ArticleFactory(translated=True, release_at_fr=now + timedelta(minutes=1)),
        ArticleFactory(translated=True, release_at_en=now + timedelta(days=1)),
        ArticleFactory(translated=True, published_at=now + timedelta(hours=1)),
    ]
    for language in ["en", "fr", "ru"]:
        live_ids = set(Article.objects.live(language).values_list("pk", flat=True))
        assert live_ids == {article.pk for article in cases if article.is_live(language)}


def test_a_language_not_released_yet_lists_the_released_ones_in_its_404(client, staggered):
    article, published_at = staggered
    with time_machine.travel(published_at + timedelta(minutes=1)):
        response = client.get(article.get_absolute_url("ru"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Эта статья доступна на языках:" in html
    assert (
        f'<a href="{article.get_absolute_url("en")}" hreflang="en" lang="en">English</a>' in html
    )
    assert f'href="{article.get_absolute_url("fr")}" hreflang="fr"' in html
    assert "Поэтапная статья" not in html


def test_the_slug_of_another_language_leads_to_the_same_list(client):
    article = ArticleFactory(title_en="Only in English")
    response = client.get(f"/fr/articles/{article.slug_en}/")
    assert response.status_code == 404
    assert f'href="{article.get_absolute_url("en")}"' in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_an_article_live_in_no_language_is_a_plain_404(client, fields):
    article = ArticleFactory(translated=True, title_en="Hidden headline", **fields)
    for language in ["en", "fr"]:
        response = client.get(article.get_absolute_url(language))
        assert response.status_code == 404
        html = response.content.decode()
        assert "Hidden headline" not in html
        assert 'class="available-in"' not in html
