"""deploy/varnish/newsroom.vcl in a real varnishd in front of the site: readers' pages are
served from Varnish until a change purges exactly their tags. Skips, with the reason,
without Debian's varnish and varnish-modules packages (`.ci/run` installs them)."""

import contextlib
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from newsroom.frontcache import purges
from newsroom.frontcache.backends import VarnishXkey
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
PORT = 7453
XKEY_VMOD = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")

pytestmark = pytest.mark.django_db(transaction=True)


def backends_vcl(servers):
    """One backend per (name, port, probed) of `servers`, all behind the round-robin director
    deploy/varnish/backends.vcl names `app`."""
    lines = [
        "import directors;",
        'probe live { .url = "/health/live/"; .interval = 1s; .window = 2; .threshold = 1; }',
    ]
    for name, port, probed in servers:
        probe = " .probe = live;" if probed else ""
        lines.append(f'backend {name} {{ .host = "127.0.0.1"; .port = "{port}";{probe} }}')
    lines += ['acl purgers { "127.0.0.1"; }', "sub vcl_init {"]
    lines += ["    new app = directors.round_robin();"]
    lines += [f"    app.add_backend({name});" for name, _port, _probed in servers]
    return "\n".join([*lines, "}", ""])


@pytest.fixture
def start_varnish(settings):
    """Starts varnishd with deploy/varnish/newsroom.vcl in front of `servers` (see
    backends_vcl); stopped after the test."""
    program = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if program is None or not XKEY_VMOD.exists():
        pytest.skip("needs varnishd and the xkey vmod: apt-get install varnish varnish-modules")
    # Outside pytest's own temporary folders, which only root may enter: varnishd compiles
    # the VCL as its own user.
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    processes = []

    def start(servers):
        # Varnish's health probes name the backend's address as the host.
        settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
        shutil.copy(ROOT / "deploy" / "varnish" / "newsroom.vcl", folder)
        (folder / "backends.vcl").write_text(backends_vcl(servers))
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o755)
        process = subprocess.Popen(
            [program, "-F", "-a", f"127.0.0.1:{PORT}", "-f", str(folder / "newsroom.vcl"),
             "-p", f"vcl_path={folder}", "-n", str(folder / "work"), "-s", "malloc,32m"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(process)
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"varnishd stopped: {process.stdout.read().decode()}")
            with contextlib.suppress(OSError):
                if get("/health/live/").status == 200:
                    break
            time.sleep(0.1)
        settings.NEWSROOM_FRONTEND_CACHES = [VarnishXkey(f"http://127.0.0.1:{PORT}/")]
        purges._failed_until.clear()

    try:
        yield start
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def varnish(start_varnish, live_server):
    start_varnish([("site", urlsplit(live_server.url).port, True)])


class Response:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode()


def get(path, source="127.0.0.1", method="GET", **headers):
    connection = http.client.HTTPConnection(
        "127.0.0.1", PORT, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, headers={"Host": "localhost", **headers})
        return Response(connection.getresponse())
    finally:
        connection.close()


@pytest.fixture
def article(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    return ArticleFactory(title_en="Grain through the strait")


def test_a_readers_page_is_served_from_varnish_until_a_change_purges_it(varnish, article):
    url = article.get_absolute_url("en")
    first = get(url)
    assert first.status == 200 and "Grain through the strait" in first.text
    again = get(url)
    assert again.headers["X-Cache"] == "HIT"
    assert "xkey" not in again.headers  # the tags stay inside
    article.title_en = "Grain through the Bosporus"
    article.save()
    after = get(url)
    assert after.headers["X-Cache"] == "MISS"
    assert "Grain through the Bosporus" in after.text


def test_a_change_purges_only_the_pages_showing_it(varnish, article):
    other = ArticleFactory(title_en="Unrelated story")
    get(other.get_absolute_url("en"))
    assert get(other.get_absolute_url("en")).headers["X-Cache"] == "HIT"
    article.body_en = "<p>A corrected body.</p>"
    article.save()
    assert get(other.get_absolute_url("en")).headers["X-Cache"] == "HIT"


def test_staff_and_search_always_reach_the_app(varnish, article):
    for _ in range(2):
        staff = get(article.get_absolute_url("en"), Cookie="sessionid=abc")
        assert staff.headers["X-Cache"] == "MISS"
        search = get("/en/search/?q=grain")
        assert search.headers["X-Cache"] == "MISS"


def test_readers_cookies_never_reach_the_app(varnish, article):
    get(article.get_absolute_url("en"))
    cached = get(article.get_absolute_url("en"), Cookie="csrftoken=abc; tracking=1")
    assert cached.headers["X-Cache"] == "HIT"


def test_only_allowed_addresses_may_purge(varnish, article):
    refused = get("/", source="127.0.0.2", method="PURGE", **{"xkey-purge": "articles.article"})
    assert refused.status == 403
    allowed = get("/", method="PURGE", **{"xkey-purge": "articles.article"})
    assert allowed.status == 200


class Link:
    """The network between Varnish and an app server (the test's live server): `cut()`
    takes the app server off it, as a machine going down does."""

    def __init__(self, port):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                incoming, _address = self.listener.accept()
            except OSError:
                return
            outgoing = socket.create_connection(("127.0.0.1", self.target))
            self.open += [incoming, outgoing]
            for source, sink in [(incoming, outgoing), (outgoing, incoming)]:
                threading.Thread(target=self.carry, args=(source, sink), daemon=True).start()

    @staticmethod
    def carry(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)

    def cut(self):
        for each in [self.listener, *self.open]:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()


def test_with_every_app_server_down_readers_get_the_page_varnish_kept(
    start_varnish, live_server, article
):
    link = Link(urlsplit(live_server.url).port)
    start_varnish([("site", link.port, True)])
    # A publication due in three seconds: the section's page may be kept that long, no longer.
    ArticleFactory(section=article.section, published_at=timezone.now() + timedelta(seconds=3))
    url = article.section.get_absolute_url()
    fresh = get(url)
    lifetime = int(re.search(r"s-maxage=(\d+)", fresh.headers["Cache-Control"])[1])
    assert "Grain through the strait" in fresh.text and lifetime <= 3
    link.cut()
    # Past the page's lifetime, and long enough for the health probe to give up on the app.
    time.sleep(lifetime + 3)
    assert get("/en/search/?q=grain").status == 503  # nothing answers behind Varnish
    stale = get(url)
    assert stale.status == 200 and stale.headers["X-Cache"] == "HIT"
    assert int(stale.headers["Age"]) > lifetime
    assert stale.text == fresh.text


def test_an_app_server_gone_since_its_last_health_probe_costs_readers_no_error(
    start_varnish, live_server, article
):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        gone = closed.getsockname()[1]  # nothing listens there once closed
    start_varnish([("gone", gone, False), ("site", urlsplit(live_server.url).port, True)])
    # Search is never cached: each request goes to an app server, in turns.
    answers = [get("/en/search/?q=grain").status for _request in range(6)]
    assert answers == [200] * 6
