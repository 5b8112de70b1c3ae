"""Frontend caches: readers' pages carry their tags and lifetime; changes purge them.

The purge endpoint here is a real HTTP server on loopback implementing the documented
interface (`POST {"tags": [...]}`), which records what it was sent; it can also refuse.
"""

import io
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age

from articles.models import Article
from articles.services import schedule
from newsroom.frontcache import purges
from newsroom.frontcache.backends import HttpPurge, VarnishXkey, parse
from newsroom.frontcache.models import PendingPurge
from newsroom.pagecache.tags import tag
from tests.factories import ArticleFactory
from tests.test_database_outage import closed_port

# Committed for real: purges go out when a transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


class PurgeEndpoint(ThreadingHTTPServer):
    """Records the tags of every purge; answers `status` (200 by default)."""

    def __init__(self):
        self.purged = []
        self.status = 200
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if endpoint.status == 200:
                    endpoint.purged.append(set(json.loads(body)["tags"]))
                self.send_response(endpoint.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/purge"

    def all_purged(self):
        return set().union(*self.purged)


@pytest.fixture
def endpoint(settings):
    server = PurgeEndpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NEWSROOM_FRONTEND_CACHES = [HttpPurge(server.url)]
    purges._failed_until.clear()
    yield server
    server.shutdown()
    server.server_close()
    purges._failed_until.clear()


def s_maxage(response):
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "s-maxage":
            return int(value)
    return None


def test_the_setting_lists_varnish_and_http_purge_endpoints():
    varnish, other = parse("varnish:http://10.0.0.5:6081, http:https://purger.internal/x")
    assert isinstance(varnish, VarnishXkey) and varnish.url == "http://10.0.0.5:6081"
    assert isinstance(other, HttpPurge) and other.url == "https://purger.internal/x"
    assert parse("") == []


def test_a_malformed_frontend_cache_is_a_clear_startup_error():
    with pytest.raises(Exception, match="is not varnish:http://"):
        parse("squid:http://10.0.0.5")


def test_a_readers_page_carries_its_tags_and_a_shared_lifetime(client, endpoint, settings):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url("en"))
    assert tag(article, "page") in response["xkey"].split()
    assert s_maxage(response) == settings.NEWSROOM_PAGE_CACHE_SECONDS
    assert get_max_age(response) == 0  # browsers revalidate
    assert "public" in response["Cache-Control"]


def test_the_shared_lifetime_ends_at_the_next_scheduled_publication(client, endpoint):
    article = ArticleFactory()
    ArticleFactory(section=article.section, published_at=timezone.now() + timedelta(seconds=90))
    first = client.get(article.section.get_absolute_url())
    assert 0 < s_maxage(first) <= 90
    time.sleep(1.1)
    again = client.get(article.section.get_absolute_url())  # from the page cache
    assert s_maxage(again) < s_maxage(first)


def test_without_frontend_caches_pages_say_nothing_to_shared_caches(client):
    response = client.get(ArticleFactory().get_absolute_url("en"))
    assert not response.has_header("xkey")
    assert s_maxage(response) is None


def test_staff_previews_and_search_are_never_shared(client, admin_user, endpoint):
    article = ArticleFactory()
    search = client.get(reverse("articles:search") + "?q=story")
    assert not search.has_header("xkey") and s_maxage(search) is None
    client.force_login(admin_user)
    for url in [article.get_absolute_url("en"), reverse("admin:index")]:
        response = client.get(url)
        assert not response.has_header("xkey"), url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_save_purges_its_tags_once_the_transaction_commits(endpoint, admin_user):
    article = ArticleFactory()
    endpoint.purged.clear()
    with transaction.atomic():
        article.title_en = "Corrected"
        article.save()
        assert endpoint.purged == []  # nothing before the commit
    assert tag(article, "page") in endpoint.all_purged()
    assert not PendingPurge.objects.exists()


def test_a_rolled_back_change_purges_nothing_and_keeps_nothing(endpoint):
    article = ArticleFactory()
    endpoint.purged.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.get(pk=article.pk).save()
        raise RuntimeError
    assert endpoint.purged == []
    assert not PendingPurge.objects.exists()


def test_a_transaction_sends_its_purges_together(endpoint):
    articles = ArticleFactory.create_batch(3)
    endpoint.purged.clear()
    with transaction.atomic():
        for article in articles:
            article.save()
    assert len(endpoint.purged) == 1
    assert {tag(article, "page") for article in articles} <= endpoint.purged[0]


def test_a_purge_that_fails_is_kept_and_delivered_later(endpoint):
    article = ArticleFactory()
    endpoint.status = 503
    started = time.monotonic()
    article.title_en = "Corrected while the cache is down"
    article.save()
    assert time.monotonic() - started < 2  # the save does not wait on it
    assert PendingPurge.objects.exists()
    with pytest.raises(CommandError, match="still pending"):
        call_command("deliver_purges")
    endpoint.status = 200
    call_command("deliver_purges")
    assert tag(article, "page") in endpoint.all_purged()
    assert not PendingPurge.objects.exists()


def test_a_frontend_cache_that_does_not_answer_costs_saves_one_timeout_at_most(settings):
    """A closed port refuses at once; afterwards saves skip it until RETRY_SECONDS pass."""
    settings.NEWSROOM_FRONTEND_CACHES = [HttpPurge(f"http://127.0.0.1:{closed_port()}/")]
    purges._failed_until.clear()
    article = ArticleFactory()
    for _ in range(3):
        article.save()
    assert PendingPurge.objects.count() >= 3
    purges._failed_until.clear()


def test_the_next_change_delivers_what_an_earlier_one_could_not(endpoint):
    first, second = ArticleFactory.create_batch(2)
    endpoint.status = 503
    first.save()
    endpoint.status = 200
    purges._failed_until.clear()
    second.save()
    assert {tag(first, "page"), tag(second, "page")} <= endpoint.all_purged()
    assert not PendingPurge.objects.exists()


def test_publish_scheduled_purges_what_went_live(endpoint, admin_user):
    at = timezone.now() + timedelta(hours=1)
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    schedule(article, by=admin_user, at=at)
    endpoint.purged.clear()
    with time_machine.travel(at + timedelta(seconds=1)):
        call_command("publish_scheduled", verbosity=0, stdout=io.StringIO())
    assert tag(article, "page") in endpoint.all_purged()
