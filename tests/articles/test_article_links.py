"""Links between articles: stored independent of language, rendered for each reader."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.links import link_articles, linked_article_ids, store_article_links
from articles.models import Article
from newsroom.context_processors import navigation
from newsroom.notices.shown import shown_notice
from tests.articles.test_queries import PAGE_BUDGET
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def body_linking_to(target, text="the grain deal"):
    return f'<p>See <a href="/article/{target.pk}/">{text}</a> for context.</p>'


@pytest.fixture
def target():
    return ArticleFactory(
        translated=True,
        title_en="Grain deal",
        title_fr="Accord céréalier",
        title_ru="Зерновая сделка",
        ready_ru=False,
    )


def test_a_pasted_public_address_in_any_language_is_stored_by_id(target):
    for url in [
        target.get_absolute_url("en"),
        f"https://news.example.org{target.get_absolute_url('fr')}",
    ]:
        article = ArticleFactory(body_en=f'<p>See <a href="{url}">this</a>.</p>')
        assert f'href="/article/{target.pk}/"' in article.body_en
        assert linked_article_ids(article.body_en) == {target.pk}


def test_other_links_are_left_alone(target):
    html = (
        '<p><a href="https://example.org/en/articles/elsewhere/">out</a> '
        '<a href="/en/articles/no-such-slug/">gone</a></p>'
    )
    assert store_article_links(html) == html


def test_a_link_follows_the_readers_language(target):
    html = body_linking_to(target)
    assert f'<a href="{target.get_absolute_url("fr")}" rel="noopener noreferrer">' in (
        link_articles(ArticleFactory(body_en=html).body_en, "fr")
    )
    english = link_articles(html, "en")
    assert f'href="{target.get_absolute_url("en")}"' in english
    assert "hreflang" not in english


def test_an_unreleased_translation_links_to_the_original_marked_with_hreflang(target):
    html = link_articles(body_linking_to(target), "ru")
    assert f'<a href="{target.get_absolute_url("en")}" hreflang="en">the grain deal</a>' in html


def test_the_original_is_preferred_when_the_readers_language_is_not_released():
    target = ArticleFactory(
        translated=True, original_language="fr", title_fr="Original", ready_ru=False
    )
    html = link_articles(body_linking_to(target), "ru")
    assert f'href="{target.get_absolute_url("fr")}" hreflang="fr"' in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_a_link_to_an_unpublished_article_is_plain_text(fields):
    target = ArticleFactory(translated=True, **fields)
    html = link_articles(body_linking_to(target), "en")
    assert html == "<p>See the grain deal for context.</p>"


def test_a_link_to_a_deleted_article_is_plain_text(target):
    html = body_linking_to(target)
    target.delete()
    assert link_articles(html, "en") == "<p>See the grain deal for context.</p>"


def test_a_per_language_release_time_moves_the_link(target):
    release = timezone.now() + timedelta(hours=2)
    target.ready_ru = True
    target.release_at_ru = release
    target.save()
    assert 'hreflang="en"' in link_articles(body_linking_to(target), "ru")
    with time_machine.travel(release + timedelta(minutes=1)):
        html = link_articles(body_linking_to(target), "ru")
    assert f'href="{target.get_absolute_url("ru")}"' in html
    assert "hreflang" not in html


def test_links_resolve_in_one_query(django_assert_num_queries):
    targets = ArticleFactory.create_batch(5, translated=True)
    html = "".join(body_linking_to(target) for target in targets)
    with django_assert_num_queries(1):
        link_articles(html, "fr")
    with django_assert_num_queries(0):
        link_articles("<p>No links.</p>", "fr")


def test_article_page_renders_links_for_the_reader(client, target):
    article = ArticleFactory(translated=True, body_ru=body_linking_to(target, "сделка"))
    html = client.get(article.get_absolute_url("ru")).content.decode()
    link = f'<a href="{target.get_absolute_url("en")}" rel="noopener noreferrer" hreflang="en">'
    assert f"{link}сделка</a>" in html
    assert "/article/" not in html.replace("/articles/", "")


def test_feed_content_links_absolutely_in_the_feeds_language(client, target):
    ArticleFactory(translated=True, body_fr=body_linking_to(target, "l’accord"))
    xml = client.get("/fr/atom/").content.decode()
    assert f"http://testserver{target.get_absolute_url('fr')}" in xml
    assert "/article/" not in xml.replace("/articles/", "")


def test_editors_find_articles_to_link_in_any_language(admin_client, target):
    ArticleFactory(title_en="Something else")
    url = "/admin/articles/article/link-search/"
    results = admin_client.get(url, {"q": "céréalier"}).json()["results"]
    assert results == [
        {
            "id": target.pk,
            "title": "Grain deal",
            "status": "Published",
            "languages": ["en", "fr"],
            "href": f"/article/{target.pk}/",
        }
    ]
    assert admin_client.get(url, {"q": ""}).json() == {"results": []}


def test_link_search_needs_the_permission_to_see_articles(client, django_user_model, target):
    client.force_login(django_user_model.objects.create_user("x", is_staff=True))
    response = client.get("/admin/articles/article/link-search/", {"q": "Grain"})
    assert response.status_code == 403


@pytest.mark.parametrize("links", [1, 8])
def test_article_page_with_links_stays_within_its_query_budget(
    client, django_assert_max_num_queries, links
):
    targets = ArticleFactory.create_batch(links, translated=True)
    article = ArticleFactory(
        translated=True, body_fr="".join(body_linking_to(target) for target in targets)
    )
    shown_notice()  # as after any earlier page view
    navigation()
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(article.get_absolute_url("fr"))
    assert response.content.decode().count('href="/fr/articles/') >= links


def test_a_cached_page_drops_the_link_when_the_linked_article_is_unpublished(client, target):
    article = ArticleFactory(translated=True, body_en=body_linking_to(target))
    url = article.get_absolute_url("en")
    assert f'href="{target.get_absolute_url("en")}"' in client.get(url).content.decode()
    target.status = Article.Status.DRAFT
    target.save()
    html = client.get(url).content.decode()
    assert "See the grain deal for context." in html
    assert target.get_absolute_url("en") not in html
