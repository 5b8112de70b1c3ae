"""RSS and Atom feeds: exactly the live items of the feed's language, with what readers use."""

from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from newsroom.images.models import Image as LibraryImage
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def url_in(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def archive():
    """Live, scheduled, draft and untranslated articles in one section and topic."""
    section, topic = SectionFactory(), TopicFactory()
    writer = AuthorFactory(name_en="Nina Petrova", name_ru="Нина Петрова")
    common = {"section": section, "topics": [topic], "authors": [writer]}
    return {
        "section": section,
        "topic": topic,
        "writer": writer,
        "everywhere": ArticleFactory(translated=True, title_en="Everywhere", **common),
        "english_only": ArticleFactory(title_en="English only", **common),
        "no_russian": ArticleFactory(translated=True, ready_ru=False, **common),
        "draft": ArticleFactory(translated=True, status=Article.Status.DRAFT, **common),
        "scheduled": ArticleFactory(
            translated=True, published_at=timezone.now() + timedelta(hours=2), **common
        ),
    }


def expected_links(articles, language):
    return {f"http://testserver{article.get_absolute_url(language)}" for article in articles}


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("scope", ["site", "section", "topic", "author"])
@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_every_feed_lists_exactly_the_live_articles_of_its_language(
    client, archive, kind, scope, language
):
    names = {
        "site": ("articles:" + kind, {}),
        "section": ("articles:section-" + kind, {"slug": archive["section"].slug_in(language)}),
        "topic": ("articles:topic-" + kind, {"slug": archive["topic"].slug_in(language)}),
        "author": ("authors:" + kind, {"slug": archive["writer"].slug}),
    }
    name, kwargs = names[scope]
    feed = parse(client, url_in(name, language, **kwargs))
    live = [archive["everywhere"], archive["no_russian"], archive["english_only"]]
    live = [article for article in live if article.is_live(language)]
    assert {entry.link for entry in feed.entries} == expected_links(live, language)
    assert feed.feed.language == language
    assert feed.version == ("atom10" if kind == "atom" else "rss20")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_items_carry_summary_full_text_authors_categories_dates_and_image(client, kind):
    topic = TopicFactory(name_ru="Энергетика")
    writer = AuthorFactory(name_ru="Нина Петрова")
    article = ArticleFactory(
        translated=True,
        topics=[topic],
        authors=[writer],
        lead_image=LibraryImage.objects.create(
            title="Port", file=SimpleUploadedFile("port.png", PNG, content_type="image/png")
        ),
    )
    feed = parse(client, url_in("articles:" + kind, "ru"))
    (entry,) = feed.entries
    assert entry.title == article.title_ru
    assert entry.summary == "Лид по-русски."
    assert "<h2>Подзаголовок</h2>" in entry.content[0].value
    assert entry.author == "Нина Петрова"
    assert {tag.term for tag in entry.tags} == {article.section.name_ru, "Энергетика"}
    assert entry.published_parsed[:5] == article.published_at.utctimetuple()[:5]
    if kind == "atom":
        assert entry.updated_parsed >= entry.published_parsed
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{article.lead_image.file.url}"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == len(PNG)


def test_feed_of_a_topic_includes_its_nested_topics(client):
    region = TopicFactory()
    country = TopicFactory(parent=region)
    article = ArticleFactory(topics=[country])
    feed = parse(client, url_in("articles:topic-rss", "en", slug=region.slug_en))
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{article.get_absolute_url('en')}"
    ]


def test_unknown_feed_objects_are_404(client):
    for url in ["/en/sections/nope/rss/", "/fr/topics/nope/atom/", "/ru/authors/nope/rss/"]:
        assert client.get(url).status_code == 404, url


def test_pages_announce_their_feeds(client):
    article = ArticleFactory()
    section = article.section
    html = client.get(section.get_absolute_url()).content.decode()
    assert 'type="application/rss+xml" title="The Meridian Review (RSS)" href="/en/rss/"' in html
    assert f'href="{url_in("articles:section-atom", "en", slug=section.slug_en)}"' in html
    author_page = client.get(article.byline[0].get_absolute_url()).content.decode()
    assert f'href="{url_in("authors:rss", "en", slug=article.byline[0].slug)}"' in author_page


@pytest.mark.parametrize("size", [1, 8])
def test_feed_query_count_is_constant(client, django_assert_max_num_queries, size):
    section = SectionFactory()
    topics = TopicFactory.create_batch(size)
    for _ in range(size):
        ArticleFactory(section=section, topics=topics, authors=AuthorFactory.create_batch(size))
    with django_assert_max_num_queries(5):
        client.get(url_in("articles:section-rss", "en", slug=section.slug_en))


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_an_authors_feeds_exist_exactly_where_the_author_page_does(client, archive, language):
    """An author who signs nothing live in a language has no page and no feeds there."""
    unpublished = AuthorFactory(short_bio_en="Joins next month.")
    ArticleFactory(translated=True, status=Article.Status.DRAFT, authors=[unpublished])
    ArticleFactory(
        translated=True, published_at=timezone.now() + timedelta(days=1), authors=[unpublished]
    )
    english_only = AuthorFactory()
    ArticleFactory(authors=[english_only])
    expected = {
        archive["writer"]: 200,
        unpublished: 404,
        english_only: 200 if language == "en" else 404,
    }
    for author, status in expected.items():
        for name in ["authors:detail", "authors:rss", "authors:atom"]:
            url = url_in(name, language, slug=author.slug)
            assert client.get(url).status_code == status, url
