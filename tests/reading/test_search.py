"""Search: ranked, highlighted, filtered, in the reader's language, and only what is live."""

import importlib
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as installed_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles import services
from articles.forms import filter_options
from articles.models import Article, SearchDocument
from articles.search import highlighted_excerpt, refresh_search_index
from newsroom.context_processors import navigation
from newsroom.notices.shown import shown_notice
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def search(client, language, **params):
    with translation.override(language):
        url = reverse("articles:search")
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def after_an_earlier_search():
    """The notice, the navigation's sections and footer pages and the filter options, as
    any earlier page view leaves them remembered."""
    shown_notice()
    navigation()
    filter_options("en")


def filter_options_shown(client, name):
    options = search(client, "en").context["form"].fields[name].choices
    return [label for value, label in options if value]


def test_filter_options_follow_changes_and_the_schedule(client):
    writer = AuthorFactory(name_en="Ada Wren")
    ArticleFactory(authors=[writer])
    assert filter_options_shown(client, "author") == ["Ada Wren"]
    assert filter_options_shown(client, "author") == ["Ada Wren"]  # remembered

    later = timezone.now() + timedelta(hours=2)
    ArticleFactory(authors=[AuthorFactory(name_en="Bo Lind")], published_at=later)
    SectionFactory(name_en="Oceans")
    TopicFactory(name_en="Tides")
    assert filter_options_shown(client, "author") == ["Ada Wren"]
    assert "Oceans" in filter_options_shown(client, "section")
    assert "Tides" in filter_options_shown(client, "topic")
    with time_machine.travel(later + timedelta(minutes=1)):
        assert filter_options_shown(client, "author") == ["Ada Wren", "Bo Lind"]


def found(client, language, **params):
    return list(search(client, language, **params).context["articles"])


def test_results_are_only_live_articles_in_the_readers_language(client):
    live = ArticleFactory(
        translated=True, title_en="Grain corridors", title_fr="Corridors céréaliers"
    )
    ArticleFactory(title_en="Grain draft", status=Article.Status.DRAFT)
    ArticleFactory(title_en="Grain later", published_at=timezone.now() + timedelta(hours=1))
    ArticleFactory(
        translated=True, title_en="Grain unreleased", title_fr="Grain pas prêt", ready_fr=False
    )
    ArticleFactory(
        translated=True,
        title_en="Grain tomorrow",
        title_fr="Grain demain",
        release_at_fr=timezone.now() + timedelta(hours=3),
    )
    assert found(client, "en", q="grain") == [
        article for article in Article.objects.live("en") if "Grain" in article.title_en
    ]
    assert found(client, "fr", q="grain") == []
    assert found(client, "fr", q="corridors") == [live]
    # English words are not searched on the French site.
    assert found(client, "fr", q="corridors grain") == []


def test_a_scheduled_article_is_found_once_its_time_has_passed_in_each_language(client):
    publish_at = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(
        translated=True,
        title_en="Geothermal plans",
        title_fr="Projets géothermiques",
        published_at=publish_at,
        release_at_fr=publish_at + timedelta(hours=1),
    )
    assert found(client, "en", q="geothermal") == []
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert found(client, "en", q="geothermal") == [article]
        assert found(client, "fr", q="géothermiques") == []
    with time_machine.travel(publish_at + timedelta(hours=1, seconds=1)):
        assert found(client, "fr", q="géothermiques") == [article]


def test_unpublishing_removes_an_article_from_results(client, admin_user):
    article = ArticleFactory(title_en="Offshore wind auctions")
    assert found(client, "en", q="auctions") == [article]
    services.unpublish(article, by=admin_user)
    assert found(client, "en", q="auctions") == []
    services.publish(article, by=admin_user)
    assert found(client, "en", q="auctions") == [article]


def test_title_weighs_more_than_standfirst_more_than_body(client):
    in_body = ArticleFactory(body_en="<p>Hydropower appears in the body only.</p>")
    in_title = ArticleFactory(title_en="Hydropower in the title")
    in_standfirst = ArticleFactory(standfirst_en="Hydropower in the standfirst.")
    assert found(client, "en", q="hydropower") == [in_title, in_standfirst, in_body]


def test_excerpts_highlight_matches_and_escape_the_text(client):
    ArticleFactory(
        body_en="<p>Tariffs &lt;script&gt;alert(1)&lt;/script&gt; and more tariffs.</p>"
    )
    html = search(client, "en", q="tariffs").content.decode()
    assert "<mark>Tariffs</mark>" in html
    assert "<script>alert(1)" not in html
    assert highlighted_excerpt("<b>a\x02tariff\x03</b>") == (
        "&lt;b&gt;a<mark>tariff</mark>&lt;/b&gt;"
    )


def test_count_pagination_and_the_query_kept_across_pages(client, settings):
    ArticleFactory.create_batch(settings.NEWSROOM_PAGE_SIZE + 2, title_en="Fishing quotas")
    first = search(client, "en", q="quotas")
    html = first.content.decode()
    assert f"{settings.NEWSROOM_PAGE_SIZE + 2} results for “quotas”" in html
    assert 'href="?q=quotas&amp;page=2"' in html
    assert len(found(client, "en", q="quotas", page=2)) == 2
    with translation.override("en"):
        url = reverse("articles:search")
    assert client.get(url, {"q": "quotas", "page": 9}).status_code == 404


def test_filters_by_section_topic_with_subtopics_author_and_dates(client):
    section, region = SectionFactory(), TopicFactory()
    country = TopicFactory(parent=region)
    writer = AuthorFactory()
    match = ArticleFactory(
        title_en="Copper mines",
        section=section,
        topics=[country],
        authors=[writer],
        published_at=datetime(2025, 3, 5, 9, tzinfo=UTC),
    )
    ArticleFactory(title_en="Copper prices", published_at=datetime(2025, 6, 5, 9, tzinfo=UTC))
    assert len(found(client, "en", q="copper")) == 2
    assert found(client, "en", q="copper", section=section.pk) == [match]
    assert found(client, "en", q="copper", topic=region.pk) == [match]
    assert found(client, "en", q="copper", author=writer.slug) == [match]
    assert found(client, "en", q="copper", since="2025-03-05", until="2025-03-05") == [match]
    assert found(client, "en", q="copper", until="2025-03-04") == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "a" * 100_000,
        "grain\x00",
        "grain & !oil | (wheat <-> corn):*",
        '"unbalanced quote',
        "'",
        "-",
        "OR AND NOT NEAR(a b)",
        "title:grain",
        "*",
        "the of and",
        "\u202e\ufeff😀",
        "%_\\",
    ],
)
def test_bad_queries_give_a_normal_page(client, query):
    ArticleFactory(title_en="Grain and oil")
    response = search(client, "en", q=query)
    assert "<h1>Search</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "grain", "section": "x"},
        {"q": "grain", "topic": "999999"},
        {"q": "grain", "author": "nobody"},
        {"q": "grain", "since": "2025-02-30"},
        {"q": "grain", "since": "2025-03-01", "until": "2025-01-01"},
    ],
)
def test_bad_filters_are_explained(client, params):
    response = search(client, "en", **params)
    assert 'class="form-errors"' in response.content.decode()
    assert list(response.context["articles"]) == []


def test_the_index_follows_edits_and_deletions(client):
    article = ArticleFactory(title_en="Lithium refining")
    assert found(client, "en", q="lithium") == [article]
    article.title_en = "Cobalt refining"
    article.save()
    assert found(client, "en", q="lithium") == []
    assert found(client, "en", q="cobalt") == [article]
    article.delete()
    assert found(client, "en", q="cobalt") == []
    assert not SearchDocument.objects.exists()


def test_bulk_writes_are_indexed_by_refresh_or_the_rebuild_command(client):
    article = ArticleFactory(title_en="Salt marshes")
    Article.objects.filter(pk=article.pk).update(title_en="Tidal flats")
    assert found(client, "en", q="tidal") == []
    refresh_search_index([article.pk])
    assert found(client, "en", q="tidal") == [article]
    Article.objects.filter(pk=article.pk).update(title_en="Mud banks")
    call_command("rebuild_search_index", verbosity=0)
    assert found(client, "en", q="mud") == [article]


def test_the_migration_fills_public_since_as_the_index_does():
    """Migration 0010 computes, in SQL, what `refresh_search_index()` stores."""
    now = timezone.now()
    ArticleFactory(translated=True)
    ArticleFactory(translated=True, status=Article.Status.DRAFT)
    ArticleFactory(translated=True, ready_fr=False, release_at_ru=now + timedelta(hours=2))
    ArticleFactory(
        translated=True, published_at=now + timedelta(days=1), release_at_en=now - timedelta(1)
    )
    indexed = set(SearchDocument.objects.values_list("article", "language", "public_since"))
    SearchDocument.objects.update(public_since=None)
    migration = importlib.import_module("articles.migrations.0010_search_document_public_since")
    with connection.cursor() as cursor:
        migration.fill_public_since(installed_apps, SimpleNamespace(execute=cursor.execute))
    assert set(SearchDocument.objects.values_list("article", "language", "public_since")) == (
        indexed
    )


def test_case_and_accents_fold_in_every_alphabet(client):
    french = ArticleFactory(translated=True, title_fr="Les élections régionales", ready_fr=True)
    russian = ArticleFactory(translated=True, title_ru="Ёлка и Экономика")
    assert found(client, "fr", q="ELECTIONS REGIONALES") == [french]
    assert found(client, "ru", q="ЭКОНОМИКА") == [russian]
    assert found(client, "ru", q="елка") == [russian]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("en", "The economy of the Black Sea", "economies"),
        ("fr", "Les élections municipales", "election"),
        ("fr", "Une économie fragile", "economies"),
        ("ru", "Экономика Центральной Азии", "экономики"),
    ],
)
def test_postgresql_stems_in_each_language(client, language, text, query):
    article = ArticleFactory(translated=True, **{f"title_{language}": text})
    assert found(client, language, q=query) == [article]


@pytest.mark.parametrize("size", [1, 8])
def test_search_query_count_is_constant(client, django_assert_max_num_queries, size):
    topics = TopicFactory.create_batch(size)
    for _ in range(size):
        ArticleFactory(
            title_en="Wind farms", topics=topics, authors=AuthorFactory.create_batch(size)
        )
    after_an_earlier_search()
    with django_assert_max_num_queries(7):
        response = search(client, "en", q="wind")
    assert len(response.context["articles"]) == size


def test_every_filter_together_stays_within_the_page_query_bound(
    client, django_assert_max_num_queries
):
    parent = TopicFactory(name_en="Energy")
    child = TopicFactory(name_en="Wind", parent=parent)
    author = AuthorFactory(name_en="Ada Wren")
    article = ArticleFactory(title_en="Wind farms", topics=[child], authors=[author])
    after_an_earlier_search()
    filters = {
        "section": article.section.pk,
        "topic": parent.pk,
        "author": author.slug,
        "since": "2000-01-01",
        "until": "2100-01-01",
    }
    with django_assert_max_num_queries(8):
        response = search(client, "en", q="wind", **filters)
    assert list(response.context["articles"]) == [article]


def test_search_query_count_does_not_grow_with_the_number_of_matches(client, settings):
    ArticleFactory(title_en="Wave energy")
    ArticleFactory.create_batch(settings.NEWSROOM_PAGE_SIZE * 2 + 1, title_en="Solar energy")
    after_an_earlier_search()
    counts = []
    for word in ["wave", "solar"]:
        with CaptureQueriesContext(connection) as queries:
            search(client, "en", q=word)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7


def test_past_the_limit_only_the_newest_matches_are_ranked_and_the_count_says_more(
    client, monkeypatch
):
    monkeypatch.setattr("articles.search.MAX_RESULTS", 2)
    monkeypatch.setattr("articles.views.MAX_RESULTS", 2)
    now = timezone.now()
    oldest = ArticleFactory(title_en="Tidal power", published_at=now - timedelta(days=4))
    newer = [
        ArticleFactory(body_en="<p>Tidal power.</p>", published_at=now - timedelta(days=days))
        for days in (3, 2, 1)
    ]
    response = search(client, "en", q="tidal")
    # The title match is older than the three newest matches: it is left out.
    assert list(response.context["articles"]) == newer[::-1]
    assert oldest not in response.context["articles"]
    assert "More than 2 results for “tidal”" in response.content.decode()


def test_up_to_the_limit_every_match_is_ranked_and_counted(client, monkeypatch):
    monkeypatch.setattr("articles.search.MAX_RESULTS", 2)
    monkeypatch.setattr("articles.views.MAX_RESULTS", 2)
    in_body = ArticleFactory(body_en="<p>Tidal power.</p>")
    in_title = ArticleFactory(
        title_en="Tidal power", published_at=timezone.now() - timedelta(days=9)
    )
    response = search(client, "en", q="tidal")
    assert list(response.context["articles"]) == [in_title, in_body]
    assert "2 results for “tidal”" in response.content.decode()
    assert "More than" not in response.content.decode()
