"""The public reading pages: URLs per language, the switcher, dates, pagination, 404s."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import (
    UNKNOWN_LANGUAGE,
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_root_sends_the_reader_to_their_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    unknown = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{UNKNOWN_LANGUAGE}-XX")
    assert unknown["Location"] == "/en/"


def test_each_language_has_its_own_transliterated_slug(client):
    article = ArticleFactory(
        translated=True,
        title_en="Grain and the Black Sea",
        title_fr="Les céréales et la mer Noire",
        title_ru="Зерно и Чёрное море",
    )
    assert article.get_absolute_url("en") == "/en/articles/grain-and-the-black-sea/"
    assert article.get_absolute_url("fr") == "/fr/articles/les-cereales-et-la-mer-noire/"
    assert article.get_absolute_url("ru") == "/ru/articles/zerno-i-chernoe-more/"
    response = client.get(article.get_absolute_url("ru"))
    assert "Зерно и Чёрное море" in response.content.decode()
    # The English slug does not open the French page.
    assert client.get("/fr/articles/grain-and-the-black-sea/").status_code == 404


def test_slugs_stay_unique_per_language_and_stable_when_the_title_changes():
    first = ArticleFactory(title_en="Same title")
    second = ArticleFactory(title_en="Same title")
    assert (first.slug_en, second.slug_en) == ("same-title", "same-title-2")
    first.title_en = "A new title"
    first.save()
    assert first.slug_en == "same-title"


def test_articles_without_an_english_version_can_coexist():
    """Missing slugs are NULL, so the per-language unique constraints do not collide."""
    for title in ["Premier", "Second"]:
        ArticleFactory(
            title_en="",
            body_en="",
            ready_en=False,
            original_language="fr",
            title_fr=title,
            body_fr="<p>Texte</p>",
            ready_fr=True,
        )
    assert Article.objects.filter(slug_en__isnull=True).count() == 2


def test_switcher_links_to_this_articles_url_in_each_released_language(client):
    article = ArticleFactory(translated=True, ready_ru=False)
    html = client.get(article.get_absolute_url("en")).content.decode()
    assert f'href="{article.get_absolute_url("fr")}" hreflang="fr"' in html
    assert 'class="is-unavailable" lang="ru"' in html
    assert f'href="{article.get_absolute_url("ru")}"' not in html


def test_article_page_shows_byline_bio_subheadings_and_localized_date(client):
    writer = AuthorFactory(name_en="Nina Petrova", name_ru="Нина Петрова")
    article = ArticleFactory(
        translated=True,
        authors=[writer],
        published_at=datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo("UTC")),
    )
    author_url = writer.get_absolute_url()
    pages = {
        code: client.get(article.get_absolute_url(code)).content.decode()
        for code in ["en", "fr", "ru"]
    }
    assert "5 March 2026" in pages["en"]
    assert "5 mars 2026" in pages["fr"]
    assert "5 марта 2026" in pages["ru"]
    assert "Нина Петрова" in pages["ru"] and "Nina Petrova" in pages["fr"]
    assert f'href="{author_url}"' in pages["en"]
    assert "<h2>Подзаголовок</h2>" in pages["ru"]
    assert "пишет о торговле" in pages["ru"]
    assert "Follow us on" in pages["en"] and "Suivez-nous sur" in pages["fr"]


def test_byline_names_every_author_in_order_in_the_readers_language(client):
    authors = [AuthorFactory(name_en=name) for name in ["Ada Wren", "Bo Lind", "Cy Moss"]]
    article = ArticleFactory(translated=True, authors=authors)

    def links(code):
        with translation.override(code):
            return [f'<a href="{a.get_absolute_url()}">{a.name}</a>' for a in authors]

    wording = {"en": ("By", "and"), "fr": ("Par", "et"), "ru": ("Текст:", "и")}
    for code, (by, and_) in wording.items():
        first, second, third = links(code)
        byline = f"{by} {first}, {second} {and_} {third}</span>"
        assert byline in client.get(article.get_absolute_url(code)).content.decode()
    single = ArticleFactory(authors=authors[:1])
    page = client.get(single.get_absolute_url("en")).content.decode()
    assert f"By {links('en')[0]}</span>" in page


def test_more_on_this_topic_puts_curated_first_then_latest_sharing_a_topic():
    topic, other_topic = TopicFactory(), TopicFactory()
    now = timezone.now()
    curated_old = ArticleFactory(published_at=now - timedelta(days=30))
    sharing = [
        ArticleFactory(topics=[topic], published_at=now - timedelta(hours=hours))
        for hours in (5, 4, 3, 2, 1)
    ]
    ArticleFactory(topics=[other_topic])
    article = ArticleFactory(topics=[topic], related=[curated_old])
    related = article.more_on_this_topic("en")
    assert related == [curated_old, *list(reversed(sharing))[:4]]


def test_more_on_this_topic_never_lists_itself_or_anything_not_live_in_the_language():
    topic = TopicFactory()
    draft = ArticleFactory(topics=[topic], status=Article.Status.DRAFT)
    english_only = ArticleFactory(topics=[topic])
    french = ArticleFactory(topics=[topic], translated=True)
    article = ArticleFactory(topics=[topic], translated=True, related=[draft, english_only])
    assert article.more_on_this_topic("en") == [english_only, french]
    assert article.more_on_this_topic("fr") == [french]


def test_section_pagination_and_its_edges(client, settings):
    section = SectionFactory()
    ArticleFactory.create_batch(settings.NEWSROOM_PAGE_SIZE + 1, section=section)
    url = section.get_absolute_url()
    assert client.get(url).status_code == 200
    second = client.get(url, {"page": 2})
    assert second.status_code == 200
    assert len(second.context["articles"]) == 1
    for bad in ["3", "0", "-1", "abc", "99999999999999999999"]:
        assert client.get(url, {"page": bad}).status_code == 404, bad


@pytest.mark.parametrize(
    "url",
    [
        "/en/articles/no-such-article/",
        "/en/sections/no-such-section/",
        "/en/topics/no-such-topic/",
        "/en/authors/nobody/",
        f"/{UNKNOWN_LANGUAGE}/",
        "/xx/articles/anything/",
        "/en/articles/%D0%B7%D0%B5%D1%80%D0%BD%D0%BE/",
    ],
)
def test_bad_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


def test_section_and_topic_pages_use_their_slug_in_each_language(client):
    section = SectionFactory(name_en="Economy", name_fr="Économie", name_ru="Экономика")
    ArticleFactory(section=section, translated=True)
    with translation.override("ru"):
        assert section.get_absolute_url() == "/ru/sections/ekonomika/"
    with translation.override("fr"):
        assert section.get_absolute_url() == "/fr/sections/economie/"
    response = client.get("/fr/sections/economie/")
    assert response.status_code == 200
    assert 'href="/ru/sections/ekonomika/"' in response.content.decode()


def test_topic_page_includes_articles_of_nested_topics(client):
    asia = TopicFactory(name_en="Asia")
    caucasus = TopicFactory(name_en="Transcaucasia", parent=asia)
    article = ArticleFactory(topics=[caucasus])
    html = client.get(asia.get_absolute_url()).content.decode()
    assert article.title_en in html
    assert "Transcaucasia" in html


def test_home_shows_lead_story_latest_and_each_section(client):
    sections = SectionFactory.create_batch(3)
    articles = [ArticleFactory(section=section) for section in sections for _ in range(2)]
    response = client.get(reverse("articles:home"))
    [(lead, _kind)] = response.context["lead"]
    assert lead == max(articles, key=lambda a: a.published_at).pk
    assert [section for section, _ in response.context["sections"]] == sections
    html = response.content.decode()
    for article in articles:
        assert article.title_en in html


def test_contributors_and_author_page(client):
    writer = AuthorFactory(
        long_bio_en="<p>Long <strong>bio</strong></p>", website="https://example.org/w"
    )
    writer.email = "private@example.org"
    writer.save()
    article = ArticleFactory(authors=[writer])
    assert writer.name_en in client.get(reverse("authors:list")).content.decode()
    html = client.get(writer.get_absolute_url()).content.decode()
    assert article.title_en in html and "<strong>bio</strong>" in html
    assert "https://example.org/w" in html
    assert "private@example.org" not in html


def test_contributors_are_listed_by_the_name_readers_see_in_each_language(client):
    """A name with no French form reads in English on the French page, and sorts there
    as it reads, not as an empty name."""
    names = [("Zoe Marin", ""), ("Anna Berg", ""), ("Ivan Petrov", "Aleksei Ivanov")]
    for name_en, name_fr in names:
        ArticleFactory(authors=[AuthorFactory(name_en=name_en, name_fr=name_fr)], translated=True)
    with translation.override("fr"):
        page = client.get(reverse("authors:list"))
        shown = [author.name for author in page.context["authors"]]
    assert shown == ["Aleksei Ivanov", "Anna Berg", "Zoe Marin"]


def test_an_articles_topics_are_listed_by_the_name_readers_see(client):
    topics = [
        TopicFactory(name_en="Trade", name_fr=""),
        TopicFactory(name_en="Asia", name_fr=""),
        TopicFactory(name_en="Zoology", name_fr="Botanique"),
    ]
    article = ArticleFactory(translated=True, topics=topics)
    with translation.override("fr"):
        shown = [topic.name for topic in Article.objects.get(pk=article.pk).shown_topics]
    assert shown == ["Asia", "Botanique", "Trade"]


def test_navigation_lists_sections_remembered_until_one_changes(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    SectionFactory(name_en="Energy", position=2, in_navigation=True)
    contributors = reverse("authors:list")
    client.get(contributors)
    with CaptureQueriesContext(connection) as queries:
        assert "Energy" in client.get(contributors).content.decode()
    assert not [query for query in queries if '"articles_section"' in query["sql"]]
    SectionFactory(name_en="Politics", position=1, in_navigation=True)
    page = client.get(contributors).content.decode()
    assert page.index("Politics") < page.index("Energy")
