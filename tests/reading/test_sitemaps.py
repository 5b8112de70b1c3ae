"""Sitemaps, the Google News sitemap and robots.txt: released language versions only."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HOST = "http://testserver"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def entries(client, url):
    """{loc: {hreflang: href}} of a sitemap."""
    root = xml(client, url)
    return {
        node.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in node.findall("xhtml:link", NS)
        }
        for node in root.findall("s:url", NS)
    }


def test_index_lists_every_sitemap(client):
    root = xml(client, "/sitemap.xml")
    locations = {node.text for node in root.iter(f"{{{NS['s']}}}loc")}
    for kind in ["home", "articles", "sections", "topics", "authors"]:
        assert f"{HOST}/sitemap-{kind}.xml" in locations


def test_article_sitemap_lists_each_released_language_with_its_siblings(client):
    article = ArticleFactory(translated=True, ready_ru=False)
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    found = entries(client, "/sitemap-articles.xml")
    en, fr = (HOST + article.get_absolute_url(code) for code in ["en", "fr"])
    alternates = {"en": en, "fr": fr, "x-default": en}
    assert found == {en: alternates, fr: alternates}


def test_x_default_is_the_original_language_when_there_is_no_english(client):
    article = ArticleFactory(
        title_en="",
        body_en="",
        ready_en=False,
        original_language="fr",
        title_fr="Seulement en français",
        body_fr="<p>Texte</p>",
        ready_fr=True,
        title_ru="Только по-русски",
        body_ru="<p>Текст</p>",
        ready_ru=True,
    )
    fr = HOST + article.get_absolute_url("fr")
    assert entries(client, "/sitemap-articles.xml")[fr]["x-default"] == fr


def test_article_lastmod_is_its_update_date(client):
    article = ArticleFactory()
    root = xml(client, "/sitemap-articles.xml")
    assert root.findtext("s:url/s:lastmod", namespaces=NS) == article.updated_at.date().isoformat()


def test_author_sitemap_lists_authors_only_where_they_have_live_articles(client):
    writer, idle = AuthorFactory(), AuthorFactory()
    ArticleFactory(authors=[writer], translated=True, ready_fr=False)
    ArticleFactory(authors=[idle], status=Article.Status.DRAFT)
    urls = {}
    for code in ["en", "ru"]:
        with translation.override(code):
            urls[code] = HOST + writer.get_absolute_url()
    alternates = {**urls, "x-default": urls["en"]}
    assert entries(client, "/sitemap-authors.xml") == dict.fromkeys(urls.values(), alternates)


def test_news_sitemap_has_the_last_two_days_in_its_language(client):
    now = timezone.now()
    fresh = ArticleFactory(
        translated=True, title_fr="Frais", published_at=now - timedelta(hours=5)
    )
    ArticleFactory(translated=True, published_at=now - timedelta(days=3))
    ArticleFactory(translated=True, ready_fr=False)
    ArticleFactory(translated=True, status=Article.Status.DRAFT)
    ArticleFactory(translated=True, published_at=now + timedelta(hours=1))
    root = xml(client, "/fr/news-sitemap.xml")
    (url,) = root.findall("s:url", NS)
    assert url.findtext("s:loc", namespaces=NS) == HOST + fresh.get_absolute_url("fr")
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Meridian Review"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "fr"
    assert news.findtext("news:title", namespaces=NS) == "Frais"
    assert news.findtext("news:publication_date", namespaces=NS) == fresh.published_at.isoformat()


def test_robots_txt_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {HOST}/sitemap.xml" in lines
    for code in ["en", "fr", "ru"]:
        assert f"Sitemap: {HOST}/{code}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.parametrize("size", [1, 8])
def test_sitemap_query_counts_are_constant(client, django_assert_max_num_queries, size):
    for _ in range(size):
        ArticleFactory(translated=True, authors=AuthorFactory.create_batch(2))
    for url in ["/sitemap-articles.xml", "/sitemap-authors.xml", "/en/news-sitemap.xml"]:
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_news_sitemap_counts_a_translation_from_its_own_release_time(client):
    now = timezone.now()
    article = ArticleFactory(
        translated=True,
        published_at=now - timedelta(days=3),
        release_at_fr=now - timedelta(hours=5),
        release_at_ru=now + timedelta(hours=5),
    )
    assert xml(client, "/en/news-sitemap.xml").findall("s:url", NS) == []
    assert xml(client, "/ru/news-sitemap.xml").findall("s:url", NS) == []
    (url,) = xml(client, "/fr/news-sitemap.xml").findall("s:url", NS)
    assert url.findtext("news:news/news:publication_date", namespaces=NS) == (
        article.release_at_fr.isoformat()
    )
