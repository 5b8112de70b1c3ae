"""A database outage gives readers a translated 503, and the site recovers by itself.

The outage is real: the connection is pointed at a closed port of this machine, or the
server ends the site's session, as a PostgreSQL restart does.
"""

import json
import socket
from io import BytesIO

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port():
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.text = body.decode()

    def __getitem__(self, header):
        return self.headers[header]

    def json(self):
        return json.loads(self.text)


class Reader:
    """Requests through the WSGI application exactly as an application server makes them.

    Unlike Django's test client, this keeps the per-request connection housekeeping
    (`close_old_connections` and the health check) that recovery depends on.
    """

    application = WSGIHandler()

    def __init__(self):
        self.cookies = {}

    def get(self, path):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(),
            "wsgi.errors": BytesIO(),
        }
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=status, headers=headers)

        result = self.application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        return Response(started["status"], started["headers"], body)


@pytest.fixture
def reader():
    return Reader()


@pytest.fixture
def editor(client, admin_user):
    """A reader holding a staff session, made while the database is up."""
    client.force_login(admin_user)
    editor = Reader()
    editor.cookies["sessionid"] = client.cookies["sessionid"].value
    return editor


@pytest.fixture
def article():
    return ArticleFactory(translated=True)


@pytest.fixture
def database_down(transactional_db):
    """Make the database unreachable; the fixture's teardown brings it back."""
    real = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())

    def restore():
        connection.close()
        connection.settings_dict.update(real)

    yield restore
    restore()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Back in a moment"), ("fr", "De retour dans un instant"), ("ru", "Скоро вернёмся")],
)
def test_readers_get_a_translated_503_with_retry_after_while_the_database_is_down(
    reader, article, database_down, language, heading
):
    response = reader.get(article.get_absolute_url(language))
    html = response.text
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert heading in html
    assert "OperationalError" not in html and "Traceback" not in html


@pytest.mark.postgres
def test_every_kind_of_page_is_a_503_not_a_500_during_the_outage(
    reader, editor, article, database_down
):
    for url in ["/en/", "/fr/sections/x/", reverse("authors:list")]:
        assert reader.get(url).status_code == 503, url
    assert editor.get(reverse("admin:articles_article_changelist")).status_code == 503


@pytest.mark.postgres
def test_the_site_recovers_by_itself_when_the_database_returns(reader, article, database_down):
    url = article.get_absolute_url("en")
    assert reader.get(url).status_code == 503
    database_down()
    assert reader.get(url).status_code == 200


@pytest.mark.postgres
def test_with_marks_in_redis_cached_pages_are_still_served_during_the_outage(
    reader, article, marks_in_redis
):
    url = article.get_absolute_url("en")
    cached = reader.get(url)
    assert cached.status_code == 200
    real = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        during = reader.get(url)
        assert during.status_code == 200 and during.text == cached.text
        assert reader.get(article.section.get_absolute_url()).status_code == 503
    finally:
        connection.close()
        connection.settings_dict.update(real)


@pytest.mark.postgres
def test_liveness_holds_while_readiness_reports_the_outage(reader, database_down):
    assert reader.get(reverse("health-live")).status_code == 200
    ready = reader.get(reverse("health-ready"))
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready["Retry-After"] == "30"
    database_down()
    assert reader.get(reverse("health-ready")).json() == {"status": "ok"}


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_without_a_restart(reader, article, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    url = article.get_absolute_url("en")
    assert reader.get(url).status_code == 200
    backend_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    assert reader.get(url).status_code == 200
    assert connection.connection.info.backend_pid != backend_pid


def test_health_endpoints_answer_ok_when_all_is_well(reader):
    assert reader.get(reverse("health-live")).json() == {"status": "ok"}
    ready = reader.get(reverse("health-ready"))
    assert ready.status_code == 200 and ready.json() == {"status": "ok"}
    assert "no-cache" in ready["Cache-Control"]


@pytest.mark.postgres
def test_the_language_redirect_needs_no_database(reader, database_down):
    response = reader.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.postgres
def test_a_cached_front_page_is_reached_from_the_root_during_the_outage(
    reader, article, marks_in_redis
):
    cached = reader.get("/en/")
    assert cached.status_code == 200
    real = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        redirect = reader.get("/")
        assert redirect.status_code == 302
        during = reader.get(redirect["Location"])
        assert during.status_code == 200 and during.text == cached.text
    finally:
        connection.close()
        connection.settings_dict.update(real)


@pytest.mark.postgres
@pytest.mark.parametrize("path", ["/en/no-such-page/", "/no-such-page/", "/fr/a/b/c"])
def test_an_address_that_is_no_page_stays_a_404_during_the_outage(reader, database_down, path):
    """Without the database, old addresses cannot be looked up: they are 404s meanwhile,
    with the ordinary translated page, and never a 503 or a 500."""
    response = reader.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text or "Page introuvable" in response.text
    assert "Traceback" not in response.text
