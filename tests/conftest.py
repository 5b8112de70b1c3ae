import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from newsroom.pagecache import marks
from newsroom.pagecache.recent import recent_pages
from newsroom.settings import redis_cache


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` skip, with the reason, on any other database."""
    from django.conf import settings

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A `replica` database alias beside the default, as `DATABASE_REPLICA_URL` makes: a
    test mirror of the default (the same database), read only where a test routes reads to
    it (tests/test_read_replica.py)."""
    from django.conf import settings

    from newsroom.replica import REPLICA

    settings.DATABASES.setdefault(
        REPLICA, {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    )


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test starts in English, with an empty cache and its own media folder, and asks
    no embed provider for anything (a test that does names its own server)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMBED_OEMBED_ENDPOINTS = {}
    cache.clear()
    recent_pages.clear()
    with translation.override("en"):
        yield
    cache.clear()
    recent_pages.clear()


@pytest.fixture
def expected_database():
    return os.environ.get("NEWSROOM_EXPECT_DATABASE")


@pytest.fixture
def vendor(db):
    return connection.vendor


TEST_REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_url():
    """The Redis the suite was given (REDIS_URL), or the local default; skips without one."""
    url = os.environ.get("REDIS_URL") or TEST_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {url}: {error}")
    return url


def use_cache(settings, cache_settings, marks_in_cache):
    settings.CACHES = {"default": cache_settings}
    settings.NEWSROOM_CHANGE_MARKS_IN_CACHE = marks_in_cache
    cache.clear()


def check_redis_once():
    """A process checks a Redis against the database when it first reaches it
    (`newsroom.pagecache.marks.check_redis()`), and may empty it: done before the test, so
    that the test does not count those queries nor lose its marks half-way."""
    cache.get("reached")
    marks.check_redis()


@pytest.fixture(scope="session", autouse=True)
def _default_cache_checked(django_db_setup, django_db_blocker):
    if settings.NEWSROOM_CHANGE_MARKS_IN_CACHE:
        with django_db_blocker.unblock():
            check_redis_once()


@pytest.fixture
def marks_in_redis(settings, db):
    use_cache(settings, redis_cache(redis_url()), marks_in_cache=True)
    check_redis_once()
    yield
    cache.clear()


@pytest.fixture
def marks_in_database(settings):
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    use_cache(settings, local, marks_in_cache=False)
