"""Old addresses answer 301 to the page that replaced them, and only to a public page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Article
from newsroom.context_processors import navigation
from newsroom.notices.shown import shown_notice
from newsroom.permalinks.models import Redirect, normalize_path
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# The redirect, its target, the change marks of what the 404 page remembers (its
# navigation, footer and notice, looked up by any earlier page view), + slack.
MAX_QUERIES_FOR_A_REDIRECT = 4


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_form(article, **changes):
    byline = article.bylines.get()
    data = {
        "title_en": article.title_en,
        "slug_en": article.slug_en,
        "body_en": article.body_en,
        "ready_en": "on",
        "title_fr": article.title_fr,
        "slug_fr": article.slug_fr,
        "body_fr": article.body_fr,
        "ready_fr": "on",
        "title_ru": article.title_ru,
        "slug_ru": article.slug_ru,
        "body_ru": article.body_ru,
        "ready_ru": "on",
        "status": "published",
        "edit_base": article.updated_at.isoformat(),
        "published_at_0": article.published_at.date().isoformat(),
        "published_at_1": article.published_at.time().strftime("%H:%M:%S"),
        "original_language": "en",
        "section": article.section.pk,
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-id": byline.pk,
        "bylines-0-article": article.pk,
        "bylines-0-author": byline.author_id,
        "bylines-0-position": "0",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_changing_a_slug_in_the_admin_leaves_a_301_from_the_old_address(editor_client, client):
    article = ArticleFactory(translated=True, title_en="First title")
    old_url, old_french_url = article.get_absolute_url("en"), article.get_absolute_url("fr")
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form(article, slug_en="better-title"),
    )
    assert response.status_code == 302
    client.logout()
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, "/en/articles/better-title/")
    assert client.get(old_french_url).status_code == 200  # unchanged: no redirect recorded
    assert Redirect.objects.count() == 1


def test_a_second_slug_change_still_leads_every_old_address_to_the_current_one(client):
    article = ArticleFactory(slug_en="one")
    for old, new in [("one", "two"), ("two", "three")]:
        article.slug_en = new
        article.save()
        Redirect.objects.remember_slug_changes(article, {"en": old})
    for old in ["one", "two"]:
        response = client.get(f"/en/articles/{old}/")
        assert response["Location"] == "/en/articles/three/"


def test_a_redirect_to_an_article_no_longer_public_is_a_404(client):
    article = ArticleFactory()
    Redirect.objects.point(article, "en", "/2020/01/01/story/")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get("/2020/01/01/story/").status_code == 404


def test_a_redirect_never_leads_to_another_site(client):
    section = SectionFactory(slug_en="world")
    Redirect.objects.point(section, "en", "https://evil.example.com/category/world/?x=1")
    assert Redirect.objects.get().old_path == "/category/world/?x=1"
    response = client.get("/category/world/?x=1")
    assert (response.status_code, response["Location"]) == (301, "/en/sections/world/")


def test_only_reads_are_redirected(client):
    Redirect.objects.point(AuthorFactory(), "en", "/author/someone/")
    assert client.post("/author/someone/").status_code == 404


def test_a_query_string_is_part_of_the_old_address(client):
    article = ArticleFactory()
    Redirect.objects.point(article, "en", "/?p=7")
    assert client.get("/?p=7")["Location"] == article.get_absolute_url("en")
    assert client.get("/?p=8").status_code == 302  # the usual language redirect
    assert client.get("/?p=8")["Location"] == "/en/?p=8"


@override_settings(APPEND_SLASH=True)
def test_a_redirect_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    article = ArticleFactory(translated=True)
    for index in range(20):
        Redirect.objects.point(article, "fr", f"/old/{index}/")
    shown_notice()
    navigation()
    with django_assert_max_num_queries(MAX_QUERIES_FOR_A_REDIRECT):
        response = client.get("/old/7/")
    assert response["Location"] == article.get_absolute_url("fr")


def test_an_unknown_old_address_is_still_a_404(client):
    assert client.get("/2019/05/05/never-existed/").status_code == 404


def test_normalize_path_keeps_the_path_and_query_only():
    assert normalize_path("https://old.example.org/a/b/?p=1") == "/a/b/?p=1"
    assert normalize_path("a/b/") == "/a/b/"
    assert normalize_path("//evil.example.com/x/") == "/x/"


def test_the_admin_lists_old_addresses_without_letting_anyone_invent_one(editor_client):
    Redirect.objects.point(SectionFactory(), "en", "/category/world/")
    response = editor_client.get(reverse("admin:permalinks_redirect_changelist"))
    assert "/category/world/" in response.content.decode()
    assert editor_client.get(reverse("admin:permalinks_redirect_add")).status_code == 403
