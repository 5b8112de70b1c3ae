"""With Redis as the cache and Redis unreachable, pages keep serving from the database."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from newsroom.settings import redis_cache
from tests.factories import ArticleFactory
from tests.test_database_outage import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The project's Redis cache configuration, pointed at a port where nothing listens."""
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    yield
    cache.clear()


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
