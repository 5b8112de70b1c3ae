"""deploy/varnish/newsroom.vcl in a real varnishd in front of the site: readers' pages are
served from Varnish until a change purges exactly their tags. Skips, with the reason,
without Debian's varnish and varnish-modules packages (`.ci/run` installs them)."""

import http.client
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsroom.frontcache import purges
from newsroom.frontcache.backends import VarnishXkey
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
PORT = 7453
XKEY_VMOD = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")

pytestmark = pytest.mark.django_db(transaction=True)


def backends_vcl(live_server):
    address = urlsplit(live_server.url)
    return f"""
import directors;
probe live {{ .url = "/health/live/"; .interval = 1s; .window = 2; .threshold = 1; }}
backend site {{ .host = "{address.hostname}"; .port = "{address.port}"; .probe = live; }}
acl purgers {{ "127.0.0.1"; }}
sub vcl_init {{
    new app = directors.round_robin();
    app.add_backend(site);
}}
"""


@pytest.fixture
def varnish(live_server, settings):
    program = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if program is None or not XKEY_VMOD.exists():
        pytest.skip("needs varnishd and the xkey vmod: apt-get install varnish varnish-modules")
    # Outside pytest's own temporary folders, which only root may enter: varnishd compiles
    # the VCL as its own user.
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    shutil.copy(ROOT / "deploy" / "varnish" / "newsroom.vcl", folder)
    (folder / "backends.vcl").write_text(backends_vcl(live_server))
    for path in [folder, *folder.iterdir()]:
        path.chmod(0o755)
    process = subprocess.Popen(
        [program, "-F", "-a", f"127.0.0.1:{PORT}", "-f", str(folder / "newsroom.vcl"),
         "-p", f"vcl_path={folder}", "-n", str(folder / "work"), "-s", "malloc,32m"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"varnishd stopped: {process.stdout.read().decode()}")
            try:
                if get("/health/live/").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        settings.NEWSROOM_FRONTEND_CACHES = [VarnishXkey(f"http://127.0.0.1:{PORT}/")]
        purges._failed_until.clear()
        yield
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


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
