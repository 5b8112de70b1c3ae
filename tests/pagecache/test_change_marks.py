"""Change marks live in the database with a per-process cache, in the cache when it is
shared (Redis); either way a change reaches every page at once."""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from newsroom.pagecache import marks
from newsroom.pagecache.tags import mark_changed
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["marks_in_database", "marks_in_redis"])
def marks_kept_in(request):
    request.getfixturevalue(request.param)


def test_a_mark_is_seen_at_once(marks_kept_in):
    before = time.time_ns()
    marks.keep(["articles.article:1"], before)
    assert marks.unchanged_since(before, ["articles.article:1"])
    mark_changed("articles.article:1")
    assert not marks.unchanged_since(before, ["articles.article:1", "authors.author:2"])
    assert marks.unchanged_since(time.time_ns(), ["articles.article:1"])


def test_an_edit_reaches_the_cached_page(marks_kept_in):
    article = ArticleFactory(title_en="Before the edit")
    url = article.get_absolute_url()
    reader = Client()
    assert "Before the edit" in reader.get(url).content.decode()
    article.title_en = "After the edit"
    article.save()
    assert "After the edit" in reader.get(url).content.decode()


def test_with_marks_in_redis_a_cached_page_costs_no_query(
    marks_in_redis, django_assert_num_queries
):
    url = ArticleFactory().get_absolute_url()
    reader = Client()
    reader.get(url)
    with django_assert_num_queries(0):
        assert reader.get(url).status_code == 200


def test_a_mark_the_cache_lost_makes_its_pages_stale_once(
    marks_in_redis, django_assert_num_queries
):
    article = ArticleFactory(title_en="Evicted mark")
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    cache.delete(marks.KEY_PREFIX + f"articles.article:{article.pk}:page")
    with django_assert_num_queries(6):
        assert "Evicted mark" in reader.get(url).content.decode()
    with django_assert_num_queries(0):
        reader.get(url)


def test_a_page_reads_each_mark_once_and_still_sees_its_own_changes(
    marks_in_database, django_assert_num_queries
):
    before = time.time_ns()
    mark_changed("one", "two")
    after = time.time_ns()
    with marks.rendering():
        with django_assert_num_queries(1):
            assert not marks.unchanged_since(before, ["one", "two"])
            assert marks.unchanged_since(after, ["two", "one"])
            assert marks.unchanged_since(after, ["one"])
        mark_changed("one")
        assert not marks.unchanged_since(after, ["one"])
