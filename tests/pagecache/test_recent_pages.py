"""With Redis, each worker keeps the pages it served last: a popular page is then served
without reading it from Redis again, and never once it is stale."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsroom.pagecache import marks
from newsroom.pagecache.middleware import CachedPage, page_key
from newsroom.pagecache.recent import RecentPages
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def page_key_of(url):
    request = RequestFactory().get(url)
    return page_key(request)


def forget_pages_in_redis():
    """As if another worker's Redis copy were gone: only this process may still have it."""
    keys = cache.keys("page:*")
    assert keys
    cache.delete_many(keys)


def test_a_page_served_again_is_not_read_from_redis(marks_in_redis, django_assert_num_queries):
    url = ArticleFactory(title_en="Popular").get_absolute_url()
    reader = Client()
    reader.get(url)
    forget_pages_in_redis()
    with django_assert_num_queries(0):
        assert "Popular" in reader.get(url).content.decode()


def test_a_change_reaches_a_page_this_process_kept(marks_in_redis):
    article = ArticleFactory(title_en="Before")
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    reader.get(url)
    article.title_en = "After"
    article.save()
    assert "After" in reader.get(url).content.decode()


def test_a_kept_page_is_stale_once_redis_lost_a_mark_another_worker_gave_again(marks_in_redis):
    """Redis lost the mark of a change (evicted, or a restart lost it); another worker then
    rendered the page afresh and stored it, giving the mark again: the copy this process
    kept from before the change is stale all the same."""
    article = ArticleFactory(title_en="Before")
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    reader.get(url)
    article.title_en = "After"
    article.save()
    page_tags = cache.get(page_key_of(url)).tags
    cache.delete_many([marks.KEY_PREFIX + name for name in page_tags])
    marks.keep(page_tags, time.time_ns())  # as another worker storing its fresh copy does
    assert "After" in reader.get(url).content.decode()


def test_the_next_scheduled_publication_reaches_a_page_this_process_kept(marks_in_redis):
    later = timezone.now() + timedelta(hours=1)
    ArticleFactory(title_en="Scheduled story", published_at=later)
    reader = Client()
    home = reverse("articles:home")
    assert "Scheduled story" not in reader.get(home).content.decode()
    with time_machine.travel(later + timedelta(minutes=1)):
        assert "Scheduled story" in reader.get(home).content.decode()


def test_without_redis_pages_are_not_kept_twice(marks_in_database):
    assert not RecentPages.enabled()


def page(size):
    return CachedPage(b"x" * size, [], frozenset(), 0, float("inf"))


def test_the_least_recently_served_pages_go_first_to_stay_within_the_size(settings):
    settings.NEWSROOM_RECENT_PAGES_BYTES = 300
    recent = RecentPages()
    recent.put("a", page(100))
    recent.put("b", page(100))
    recent.put("c", page(100))
    assert recent.get("a") is not None  # now the most recently served
    recent.put("d", page(100))
    assert recent.get("b") is None
    assert [key for key in "acd" if recent.get(key) is not None] == ["a", "c", "d"]
    recent.put("huge", page(301))
    assert recent.get("huge") is None
    recent.put("a", page(301))  # a newer copy too big to keep: the older one goes too
    assert recent.get("a") is None
