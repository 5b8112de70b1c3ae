"""With a read replica, readers' pages read from it and everything else from the primary.

The `replica` alias is a second connection to the test database (tests/conftest.py), so the
queries each connection ran show where the router sent them. A replica that is down is
real: its connection points at a closed port, or a directory that does not exist.
"""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.urls import reverse

from articles.models import Article
from articles.services import publish
from newsroom.replica import REPLICA, breaker, serving_a_reader
from tests.factories import ArticleFactory
from tests.test_database_outage import Reader, closed_port

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(autouse=True)
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    breaker.close()
    yield
    breaker.close()
    connections[REPLICA].close()


class Queries:
    """The SQL each database ran meanwhile (`primary`, `replica`), without connecting to
    either as Django's CaptureQueriesContext does."""

    def __enter__(self):
        self.connections = {DEFAULT_DB_ALIAS: connections[DEFAULT_DB_ALIAS]}
        self.connections[REPLICA] = connections[REPLICA]
        for connection in self.connections.values():
            connection.force_debug_cursor = True
            connection.queries_log.clear()
        return self

    def __exit__(self, *exc_info):
        for connection in self.connections.values():
            connection.force_debug_cursor = False
        self.primary = list(self.connections[DEFAULT_DB_ALIAS].queries_log)
        self.replica = list(self.connections[REPLICA].queries_log)


def only_change_marks(queries):
    """The page cache's change marks are read from the primary (when they live in the
    database), so that what a commit marked changed is never trusted from a lagging copy."""
    return all("pagecache_cachetag" in query["sql"] for query in queries)


@pytest.fixture
def article():
    return ArticleFactory(translated=True)


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    editor = Reader()
    editor.cookies["sessionid"] = client.cookies["sessionid"].value
    return editor


@pytest.fixture
def replica_down():
    """The replica's connection is replaced by one to where no database answers; calling
    the fixture's value brings the replica back."""
    replica = connections[REPLICA]
    if replica.vendor == "postgresql":
        nowhere = {**replica.settings_dict, "HOST": "127.0.0.1", "PORT": closed_port()}
    else:
        nowhere = {**replica.settings_dict, "NAME": "/nonexistent/directory/replica.sqlite3"}
    connections[REPLICA] = type(replica)(nowhere, REPLICA)

    def restore():
        connections[REPLICA].close()
        connections[REPLICA] = replica

    yield restore
    restore()


def test_a_readers_page_reads_only_from_the_replica(article):
    with Queries() as queries:
        response = Reader().get(article.get_absolute_url("fr"))
    assert response.status_code == 200
    assert article.title_fr in response.text
    assert queries.replica
    assert only_change_marks(queries.primary)


def test_staff_read_their_own_writes_from_the_primary(article, staff):
    """A staff request carries a session: the page, the preview and the admin read the
    primary, so an editor sees a save at once, whatever the replica's lag."""
    pages = [
        article.get_absolute_url("en"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_changelist"),
    ]
    for url in pages:
        with Queries() as queries:
            assert staff.get(url).status_code == 200, url
        assert queries.primary, url
        assert not queries.replica, url


def test_the_admin_login_page_reads_the_primary():
    with Queries() as queries:
        assert Reader().get(reverse("admin:login")).status_code == 200
    assert not queries.replica


def test_outside_a_readers_request_every_read_goes_to_the_primary(article, admin_user):
    """Commands, services, imports and the shell never read the replica."""
    with Queries() as queries:
        list(Article.objects.live("en"))
        publish(ArticleFactory(status=Article.Status.DRAFT), by=admin_user)
        call_command("publish_scheduled", verbosity=0)
    assert queries.primary
    assert not queries.replica


def test_inside_a_readers_request_a_read_inside_a_transaction_goes_to_the_primary():
    token = serving_a_reader.set(True)
    try:
        assert router.db_for_read(Article) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
    finally:
        serving_a_reader.reset(token)


def test_a_replica_that_is_down_sends_readers_to_the_primary(article, replica_down):
    for _ in range(2):
        with Queries() as queries:
            response = Reader().get(article.get_absolute_url("en"))
        assert response.status_code == 200
        assert article.title_en in response.text
        assert queries.primary
    assert breaker.is_open()


def test_the_replica_is_read_again_once_it_is_back(article, settings, replica_down):
    settings.NEWSROOM_REPLICA_RETRY_SECONDS = 0
    assert Reader().get(article.get_absolute_url("en")).status_code == 200
    replica_down()
    with Queries() as queries:
        assert Reader().get(article.get_absolute_url("en")).status_code == 200
    assert queries.replica and only_change_marks(queries.primary)


def test_readiness_does_not_depend_on_the_replica(replica_down):
    assert Reader().get(reverse("health-ready")).status_code == 200


@pytest.mark.postgres
def test_a_replica_that_fails_in_the_middle_of_a_page_leaves_the_reader_a_page(article):
    """The replica's server ends the connection after the page's first query: the page is
    rendered again from the primary, and readers see no error."""
    replica = connections[REPLICA]
    replica.ensure_connection()
    ended = []

    def end_the_session_once(execute, sql, params, many, context):
        if not ended:
            ended.append(replica.connection.info.backend_pid)
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", ended)
        return execute(sql, params, many, context)

    with replica.execute_wrapper(end_the_session_once), Queries() as queries:
        response = Reader().get(article.get_absolute_url("en"))
    assert ended
    assert response.status_code == 200
    assert article.title_en in response.text
    assert queries.primary
    assert breaker.is_open()
