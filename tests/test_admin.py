"""The first editors' admin: every page loads, searches all languages, filters readiness."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "model", ["articles.article", "articles.section", "articles.topic", "authors.author"]
)
def test_changelist_add_and_change_pages_load(editor_client, model):
    app, name = model.split(".")
    objects = {
        "article": lambda: ArticleFactory(translated=True),
        "section": SectionFactory,
        "topic": TopicFactory,
        "author": AuthorFactory,
    }
    obj = objects[name]()
    for url in [
        reverse(f"admin:{app}_{name}_changelist"),
        reverse(f"admin:{app}_{name}_add"),
        reverse(f"admin:{app}_{name}_change", args=[obj.pk]),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_article_form_has_a_tab_per_language_with_local_jquery_ui(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    for code in ["en", "fr", "ru"]:
        assert f'name="title_{code}"' in html and f'name="body_{code}"' in html
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html


def test_search_finds_articles_by_any_languages_title(editor_client):
    article = ArticleFactory(translated=True, title_ru="Зерно и море")
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "Зерно"})
    assert list(response.context["cl"].result_list) == [article]


def test_filter_by_translation_readiness(editor_client):
    ready = ArticleFactory(translated=True)
    missing = ArticleFactory()
    url = reverse("admin:articles_article_changelist")
    result = editor_client.get(url, {"translation": "fr-missing"}).context["cl"].result_list
    assert list(result) == [missing]
    result = editor_client.get(url, {"translation": "fr-ready"}).context["cl"].result_list
    assert list(result) == [ready]


def test_autocomplete_finds_authors_by_their_russian_name(editor_client):
    AuthorFactory(name_en="Anna Petrova", name_ru="Анна Петрова")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Анна",
            "app_label": "articles",
            "model_name": "articleauthor",
            "field_name": "author",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Anna Petrova"]


def test_marking_a_translation_ready_without_a_body_is_a_form_error(editor_client):
    article = ArticleFactory()
    data = {
        "title_en": article.title_en,
        "slug_en": article.slug_en,
        "body_en": article.body_en,
        "ready_en": "on",
        "title_fr": "Titre",
        "ready_fr": "on",
        "status": "published",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "original_language": "en",
        "section": article.section.pk,
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-id": article.bylines.get().pk,
        "bylines-0-article": article.pk,
        "bylines-0-author": article.bylines.get().author_id,
        "bylines-0-position": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 200
    assert "A translation needs a title and a body to be ready." in response.content.decode()
    article.refresh_from_db()
    assert not article.title_fr


def test_article_changelist_query_count_does_not_grow_with_the_page(
    editor_client, django_assert_max_num_queries
):
    author = AuthorFactory()
    ArticleFactory.create_batch(30, translated=True, authors=[author])
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert Article.objects.count() == 30


def test_article_changelist_count_is_remembered_until_an_article_changes(editor_client):
    ArticleFactory.create_batch(2)
    url = reverse("admin:articles_article_changelist")
    assert "2 articles" in editor_client.get(url).content.decode()
    ArticleFactory()
    assert "3 articles" in editor_client.get(url).content.decode()
