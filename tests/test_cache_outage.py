"""With Redis as the cache, pages keep serving whichever way Redis fails (refused, hung,
restarted empty or from an old dump), and once it is back no reader gets a page older than
a change the database committed meanwhile."""

import logging
import os
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

import pytest
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from newsroom.notices.models import SiteNotice
from newsroom.pagecache.models import UnsentMark
from newsroom.pagecache.redis import forget_guard
from newsroom.settings import redis_cache
from tests.factories import ArticleFactory
from tests.redis_server import RedisServer
from tests.test_database_outage import closed_port

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 0.5


@pytest.fixture
def redis_down(settings):
    """The project's Redis cache configuration, pointed at a port where nothing listens."""
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    yield
    cache.clear()


@pytest.fixture
def own_redis(settings, tmp_path):
    """A Redis server of this test's own as the cache, persisting as Redis does by default."""
    server = RedisServer(tmp_path)
    server.start()
    # A server earlier on this port may have been left for unreachable.
    forget_guard(f"127.0.0.1:{server.port}/0")
    settings.CACHES = {"default": redis_cache(server.url)}
    settings.NEWSROOM_CHANGE_MARKS_IN_CACHE = True
    settings.NEWSROOM_REDIS_RETRY_SECONDS = RETRY_SECONDS
    yield server
    server.close()


def test_cache_calls_degrade_to_misses_instead_of_errors(redis_down):
    cache.set("front-page", "cached html", 60)
    assert cache.get("front-page") is None
    assert cache.get("front-page", "fallback") == "fallback"


def test_every_kind_of_page_still_serves_correctly_without_redis(redis_down):
    article = ArticleFactory(translated=True, title_fr="Ports et pouvoir")
    reader = Client(raise_request_exception=False)
    response = reader.get(article.get_absolute_url("fr"))
    assert response.status_code == 200
    assert "Ports et pouvoir" in response.content.decode()
    for url in [
        "/en/",
        article.section.get_absolute_url(),
        reverse("authors:list"),
        reverse("health-ready"),
    ]:
        assert reader.get(url).status_code == 200, url


def reader_pages(article):
    return [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.get_absolute_url("fr"),
        article.section.get_absolute_url(),
        article.authors.first().get_absolute_url(),
        reverse("authors:list"),
        reverse("health-live"),
    ]


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def read(url):
    """What a new reader gets: the text of the page, checked to be a 200."""
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def wait_for_retry():
    time.sleep(RETRY_SECONDS * 1.5)


def edit_title(article, title):
    article.title_en = title
    article.save()
    return time.time()


def assert_no_stale_read_after(article, edited_at):
    """The edit reaches every reader however the cache is reached: at once, once Redis is
    tried again, and once pages are cached again."""
    for _round in range(3):
        assert "After the outage" in read(article.get_absolute_url())
        assert "After the outage" in read(reverse("articles:home"))
        last_modified = Client().get(article.get_absolute_url())["Last-Modified"]
        assert parsedate_to_datetime(last_modified).timestamp() >= int(edited_at)
        wait_for_retry()
    assert not UnsentMark.objects.exists()


def test_a_hung_redis_costs_a_page_at_most_a_short_wait(
    own_redis, settings, django_user_model, caplog
):
    """Frozen Redis (accepts connections, answers nothing): pages, logins and saves answer
    within a second of their uncached time; the log says so once."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("desk", password="a long passphrase", is_staff=True)
    article = ArticleFactory(title_en="Before the outage", translated=True)
    reader = Client(raise_request_exception=False)
    uncached = {}
    for url in reader_pages(article):
        response, uncached[url] = timed_get(reader, url)
        assert response.status_code == 200, url
        reader.get(url)

    own_redis.freeze()
    with caplog.at_level(logging.WARNING, logger="newsroom.pagecache.redis"):
        for _round in range(3):
            for url in reader_pages(article):
                response, seconds = timed_get(reader, url)
                assert response.status_code == 200, url
                assert seconds < uncached[url] + 1, url
        desk = Client()
        response, seconds = timed_get(desk, reverse("admin:index"))
        started = time.monotonic()
        response = desk.post(
            reverse("admin:login"), {"username": "desk", "password": "a long passphrase"}
        )
        assert response.status_code == 302
        assert time.monotonic() - started < 2
        started = time.monotonic()
        edited_at = edit_title(article, "After the outage")
        assert time.monotonic() - started < 2
        assert UnsentMark.objects.exists()
        assert "After the outage" in read(article.get_absolute_url())
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1

    own_redis.thaw()
    assert_no_stale_read_after(article, edited_at)


def test_a_stopped_redis_restarted_from_its_dump_serves_no_page_older_than_an_edit(own_redis):
    article = ArticleFactory(title_en="Before the outage")
    for _read in range(2):
        assert "Before the outage" in read(article.get_absolute_url())
        assert "Before the outage" in read(reverse("articles:home"))
    own_redis.stop()  # saves its dump, with the pages in it

    edited_at = edit_title(article, "After the outage")
    assert "After the outage" in read(article.get_absolute_url())
    own_redis.start()
    assert_no_stale_read_after(article, edited_at)


def test_a_redis_that_crashed_and_came_back_empty_serves_no_page_older_than_an_edit(
    own_redis,
):
    """Nor does this process serve the copy of a page it kept (`recent_pages`)."""
    article = ArticleFactory(title_en="Before the outage")
    for _read in range(3):
        assert "Before the outage" in read(article.get_absolute_url())
    own_redis.crash()  # no dump saved yet

    edited_at = edit_title(article, "After the outage")
    own_redis.start()
    assert_no_stale_read_after(article, edited_at)


def test_a_redis_that_reloaded_an_older_dump_serves_no_page_older_than_an_edit(own_redis):
    """An edit marked in Redis after its last save is lost when Redis crashes: a restarted
    Redis is emptied before it is trusted."""
    article = ArticleFactory(title_en="Before the outage")
    for _read in range(2):
        assert "Before the outage" in read(article.get_absolute_url())
    own_redis.save()
    edited_at = edit_title(article, "After the outage")
    assert not UnsentMark.objects.exists()
    own_redis.crash()
    own_redis.start()
    assert_no_stale_read_after(article, edited_at)


def test_a_change_redis_missed_is_kept_with_the_change_or_not_at_all(own_redis):
    article = ArticleFactory(title_en="Before the outage")
    own_redis.stop()
    with pytest.raises(RuntimeError), transaction.atomic():
        edit_title(article, "Never saved")
        assert UnsentMark.objects.exists()
        raise RuntimeError("the save fails after the mark")
    assert not UnsentMark.objects.exists()
    edit_title(article, "After the outage")
    assert UnsentMark.objects.exists()


def test_a_notice_changed_while_redis_hung_shows_once_it_answers_again(own_redis):
    notice = SiteNotice.objects.create(message_en="Polls open at eight", is_active=True)
    for _read in range(2):
        assert "Polls open at eight" in read(reverse("articles:home"))
    own_redis.freeze()
    notice.message_en = "Polls delayed until nine"
    notice.save()
    assert "Polls delayed until nine" in read(reverse("articles:home"))
    own_redis.thaw()
    for _round in range(3):
        home = read(reverse("articles:home"))
        assert "Polls delayed until nine" in home
        assert "Polls open at eight" not in home
        wait_for_retry()


WORKER = """
import re, sys, django
django.setup()
from django.test import Client
reader = Client()
for url in sys.stdin:
    page = reader.get(url.strip()).content.decode()
    print("TITLE:", re.search("<title>([^<]*)", page).group(1), flush=True)
"""


class Worker:
    """Another process serving pages from the same database and Redis, as a second
    gunicorn worker does: what it served, it keeps in Redis and in its recent pages."""

    def __init__(self, redis_url):
        database = connection.settings_dict
        environ = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_SECRET_KEY="test",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_ALLOWED_HOSTS="testserver",
            DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}",
            REDIS_URL=redis_url,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environ,
        )

    def title(self, url):
        self.process.stdin.write(url + "\n")
        self.process.stdin.flush()
        while not (line := self.process.stdout.readline()).startswith("TITLE:"):
            assert line, "the worker stopped"
        return line

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_worker_that_missed_the_outage_serves_no_page_older_than_an_edit(own_redis):
    """It made no call while Redis was down, but sees that Redis restarted, and checks
    Redis against the database before trusting it: the edit this process could not mark
    reaches its pages too."""
    article = ArticleFactory(title_en="Before the outage")
    url = article.get_absolute_url()
    other = Worker(own_redis.url)
    try:
        for _read in range(3):
            assert "Before the outage" in other.title(url)
        own_redis.stop()
        edit_title(article, "After the outage")
        own_redis.start()
        assert "After the outage" in other.title(url)
        assert "After the outage" in other.title(url)
    finally:
        other.close()


def test_a_full_redis_that_refuses_writes_serves_no_page_older_than_an_edit(own_redis):
    """Redis out of memory with `maxmemory-policy noeviction` answers, but refuses the
    edit's marks: its pages are not trusted until it takes them."""
    article = ArticleFactory(title_en="Before the outage")
    for _read in range(2):
        assert "Before the outage" in read(article.get_absolute_url())
    raw = redis.Redis(port=own_redis.port)
    raw.set("ballast", b"x" * 1_000_000)
    raw.config_set("maxmemory-policy", "noeviction")
    raw.config_set("maxmemory", raw.info("memory")["used_memory"] - 500_000)

    edit_title(article, "After the outage")
    assert UnsentMark.objects.exists()
    assert "After the outage" in read(article.get_absolute_url())
    raw.delete("ballast")
    assert "After the outage" in read(article.get_absolute_url())
    assert not UnsentMark.objects.exists()
