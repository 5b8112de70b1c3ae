"""Sitemaps, the Google News sitemap and robots.txt: released language versions only."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, language_codes
from articles.sitemaps import ArticleSitemap
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


def index(client):
    """{sitemap page: its lastmod, or None} of the sitemap index."""
    root = xml(client, "/sitemap.xml")
    return {
        node.findtext("s:loc", namespaces=NS): node.findtext("s:lastmod", namespaces=NS)
        for node in root.findall("s:sitemap", NS)
    }


def article_pages(client):
    return [url for url in index(client) if url.startswith(f"{HOST}/sitemap-articles.xml")]


def all_article_entries(client):
    """`entries()` of every article sitemap page the index lists, each location once."""
    found = {}
    for url in article_pages(client):
        page = entries(client, url)
        assert len(page) <= ArticleSitemap.limit
        assert not found.keys() & page.keys()
        found.update(page)
    return found


def page_number(article):
    """The article sitemap page listing `article`: page N holds ids ((N - 1) × n, N × n]."""
    return (article.pk - 1) // ArticleSitemap().articles_per_page + 1


def article_sitemap_url(article):
    url = reverse("sitemap", kwargs={"section": "articles"})
    number = page_number(article)
    return url if number == 1 else f"{url}?p={number}"


@pytest.fixture
def two_per_page(monkeypatch):
    """Article sitemap pages of two ids each: six URLs at most in three languages."""
    monkeypatch.setattr(ArticleSitemap, "limit", 6)


@pytest.fixture
def one_per_page(monkeypatch):
    """Article sitemap pages of one id each."""
    monkeypatch.setattr(ArticleSitemap, "limit", len(language_codes()))


def test_index_lists_every_sitemap_and_each_answers(client):
    listed = index(client)
    for kind in ["home", "articles", "sections", "topics", "authors"]:
        assert f"{HOST}/sitemap-{kind}.xml" in listed
    for url in listed:
        xml(client, url)


def test_article_sitemap_lists_each_released_language_with_its_siblings(client):
    article = ArticleFactory(translated=True, ready_ru=False)
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    found = all_article_entries(client)
    en, fr = (HOST + article.get_absolute_url(code) for code in ["en", "fr"])
    alternates = {"en": en, "fr": fr, "x-default": en}
    assert found == {en: alternates, fr: alternates}


def test_article_pages_list_every_released_version_once_and_nothing_unpublished(
    client, two_per_page
):
    now = timezone.now()
    live = []
    for _ in range(3):
        live.append(ArticleFactory(translated=True))
        ArticleFactory(translated=True, status=Article.Status.DRAFT)
        live.append(ArticleFactory(translated=True, ready_ru=False))
        ArticleFactory(translated=True, published_at=now + timedelta(hours=1))
        live.append(ArticleFactory(translated=True, release_at_fr=now + timedelta(hours=1)))
        ArticleFactory(translated=True, status=Article.Status.REVIEW)
    expected = {}
    for article in live:
        urls = {
            code: HOST + article.get_absolute_url(code) for code in article.released_languages()
        }
        expected.update(dict.fromkeys(urls.values(), {**urls, "x-default": urls["en"]}))
    assert len(article_pages(client)) > 3
    assert all_article_entries(client) == expected


def test_a_range_of_ids_without_a_live_article_is_no_page(client, two_per_page):
    first = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    ArticleFactory(ready_en=False)
    ArticleFactory(status=Article.Status.DRAFT)
    last = ArticleFactory()
    skipped = range(page_number(first) + 1, page_number(last))
    assert skipped
    pages = {"/sitemap-articles.xml", article_sitemap_url(first), article_sitemap_url(last)}
    assert set(article_pages(client)) == {HOST + url for url in pages}
    for number in skipped:
        assert client.get(f"/sitemap-articles.xml?p={number}").status_code == 404


@pytest.mark.parametrize("number", ["abc", "0", "-1", "1.5", "", "99999", str(10**30)])
def test_a_page_number_that_is_not_a_page_is_a_404(client, number):
    ArticleFactory()
    assert client.get(f"/sitemap-articles.xml?p={number}").status_code == 404


@pytest.mark.parametrize("kind", ["home", "sections", "topics", "authors"])
@pytest.mark.parametrize("number", ["2", "abc", "0"])
def test_the_other_sitemaps_have_one_page(client, kind, number):
    ArticleFactory()
    assert client.get(f"/sitemap-{kind}.xml?p={number}").status_code == 404


def test_the_index_dates_each_article_page_by_its_latest_change(client, one_per_page):
    now = timezone.now()
    edited = ArticleFactory(published_at=now - timedelta(days=4))
    edited = Article.objects.get(pk=edited.pk)
    edited.body_en = "<p>A corrected body.</p>"
    edited.save()
    released_later = ArticleFactory(
        translated=True,
        published_at=now - timedelta(days=3),
        release_at_fr=now - timedelta(hours=1),
    )
    Article.objects.filter(pk=released_later.pk).update(updated_at=now - timedelta(days=2))
    dates = index(client)
    assert datetime.fromisoformat(dates[HOST + article_sitemap_url(edited)]) == (
        edited.text_modified_at_en
    )
    assert datetime.fromisoformat(dates[HOST + article_sitemap_url(released_later)]) == (
        released_later.release_at_fr
    )


def test_the_index_follows_publication_and_unpublication(client, one_per_page):
    ArticleFactory()  # On page 1 or before: page 1 is always listed.
    article = ArticleFactory(status=Article.Status.DRAFT)
    page = HOST + article_sitemap_url(article)
    assert page not in index(client)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert page in index(client)
    assert HOST + article.get_absolute_url() in entries(client, page)
    article.status = Article.Status.DRAFT
    article.save()
    assert page not in index(client)
    assert client.get(page).status_code == 404


def test_a_scheduled_article_joins_the_index_on_time_with_no_one_saving_anything(
    client, one_per_page
):
    ArticleFactory()  # On page 1 or before: page 1 is always listed.
    # Sooner than the index's pages are remembered for in any case.
    publish_at = timezone.now() + timedelta(minutes=10)
    scheduled = ArticleFactory(published_at=publish_at)
    page = HOST + article_sitemap_url(scheduled)
    assert page not in index(client)
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert page in index(client)
        assert HOST + scheduled.get_absolute_url() in entries(client, page)


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
    assert all_article_entries(client)[fr]["x-default"] == fr


def test_article_lastmod_is_when_its_language_version_last_changed(client):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    root = xml(client, article_sitemap_url(article))
    assert root.findtext("s:url/s:lastmod", namespaces=NS) == (
        article.published_at.date().isoformat()
    )


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
def test_sitemap_query_counts_are_constant(
    client, django_assert_max_num_queries, two_per_page, size
):
    articles = [
        ArticleFactory(translated=True, authors=AuthorFactory.create_batch(2)) for _ in range(size)
    ]
    urls = [
        "/sitemap.xml",
        article_sitemap_url(articles[0]),
        article_sitemap_url(articles[-1]),
        "/sitemap-authors.xml",
        "/en/news-sitemap.xml",
    ]
    for url in urls:
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
