"""What a body may hold beyond paragraphs: tables, notes, embeds, code, definition lists,
edits and citations; kept on every write path, shown to readers, refused when anything else."""

import io
import json
import re
import threading
import time
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.embeds import frame_origins, providers
from articles.models import Article
from articles.sanitize import clean_html
from newsroom.context_processors import navigation
from tests.desk.conftest import change_form_data
from tests.factories import ArticleFactory
from tests.test_translation_desk import translation_data, translation_url

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
TABLE = (
    "<table><caption>Turnout by region</caption>"
    '<thead><tr><th scope="col">Region</th><th scope="col">Turnout</th></tr></thead>'
    "<tbody><tr><td>North</td><td>61%</td></tr>"
    '<tr><td colspan="2">South not counted</td></tr></tbody></table>'
)
RICH = (
    '<p>The count<span class="note">Official figures, 3 May.</span> is in.</p>'
    + TABLE
    + f'<div data-embed="{YOUTUBE}" data-title="The count, live"></div>'
    "<pre><code>turnout = votes / voters</code></pre>"
    "<dl><dt>Turnout</dt><dd>Votes cast over registered voters.</dd></dl><hr>"
    "<p>H<sub>2</sub>O, 10<sup>3</sup>, <del>old</del> <ins>new</ins>, "
    "<cite>The Gazette</cite></p>"
)
# Each element of RICH as it is stored.
KEPT = [
    TABLE,
    '<span class="note">Official figures, 3 May.</span>',
    f'<div data-embed="{YOUTUBE}" data-title="The count, live"></div>',
    "<pre><code>turnout = votes / voters</code></pre>",
    "<dl><dt>Turnout</dt><dd>Votes cast over registered voters.</dd></dl><hr>",
    "H<sub>2</sub>O, 10<sup>3</sup>, <del>old</del> <ins>new</ins>, <cite>The Gazette</cite>",
]


def assert_rich_kept(html):
    for element in KEPT:
        assert element in html, element


def test_a_direct_model_save_keeps_every_element():
    article = ArticleFactory(body_en=RICH)
    assert_rich_kept(Article.objects.get(pk=article.pk).body_en)


def test_the_admin_form_keeps_every_element(client, admin_user):
    article = ArticleFactory(translated=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(article, body_en=RICH),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert_rich_kept(article.body_en)


def test_the_translators_page_keeps_every_element(client, admin_user):
    article = ArticleFactory(translated=True)
    client.force_login(admin_user)
    response = client.post(
        translation_url(article, "fr"), translation_data(article, "fr", body_fr=RICH)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert_rich_kept(article.body_fr)


REFUSED = [
    ('<table onclick="x()"><tr><td style="color:red">1</td></tr></table>', "<td>1</td>"),
    ('<td width="9">cell</td>', "cell"),
    ('<span class="note big" style="x">a note</span>', '<span class="note">a note</span>'),
    ('<span class="highlight">marked</span>', "marked"),
    ("<span>plain</span>", "plain"),
    ('<div class="box"><p>boxed</p></div>', "<p>boxed</p>"),
    ('<div data-embed="javascript:alert(1)"></div>', ""),
    ('<div data-embed="https://evil.example/v/1"></div>', '<a href="https://evil.example/v/1"'),
    (f'<div data-embed="{YOUTUBE}" onclick="x()"><p>inside</p></div>', f'data-embed="{YOUTUBE}"'),
    (f'<div data-embed="{YOUTUBE}" data-thumbnail="https://i.ytimg.com/x.jpg"></div>', "></div>"),
    ('<pre class="language-js"><code class="x">1</code></pre>', "<pre><code>1</code></pre>"),
    ('<hr class="x" data-x="y">', "<hr>"),
    ('<iframe src="https://www.youtube.com/embed/x"></iframe>', ""),
    ('<dl><dt onclick="x">a</dt></dl>', "<dl><dt>a</dt></dl>"),
    ("<figure><img src=x></figure><video src=x></video><audio src=x></audio>", ""),
]


@pytest.mark.parametrize(("html", "kept"), REFUSED)
def test_the_sanitizer_strips_anything_else(html, kept):
    cleaned = clean_html(html)
    assert kept in cleaned
    assert not re.search(
        r"\son\w+=|style=|width=|<iframe|<img|<video|<audio|<figure|javascript:|i\.ytimg|"
        r'class="(?!note")|data-x|<p>inside',
        cleaned,
    ), cleaned
    assert "<span" not in cleaned.replace('<span class="note">', "")


def test_an_embed_from_a_provider_off_the_list_stays_a_link():
    article = ArticleFactory(body_en='<div data-embed="https://videos.example/watch/42"></div>')
    assert article.body_en == (
        '<p><a href="https://videos.example/watch/42">https://videos.example/watch/42</a></p>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "https://x.com/newsroom/status/1790000000000000000",
        "https://twitter.com/newsroom/status/1790000000000000000",
        "https://bsky.app/profile/newsroom.bsky.social/post/3kq2abcdxyz2a",
        "https://mastodon.social/@newsroom/112233445566778899",
        "https://t.me/newsroom/1234",
        "https://soundcloud.com/newsroom/the-count",
    ],
)
def test_each_allowlisted_provider_becomes_an_embed_whose_frame_the_csp_allows(client, url):
    article = ArticleFactory(body_en=f'<div data-embed="{url}"></div>')
    assert article.body_en == f'<div data-embed="{url}"></div>'
    response = client.get(article.get_absolute_url("en"))
    frame = re.search(r'data-frame="([^"]+)"', response.content.decode())[1]
    origin = "/".join(frame.split("/")[:3])
    frame_src = re.search(r"frame-src ([^;]+)", response["Content-Security-Policy"])[1].split()
    assert origin in frame_src


def test_the_csp_allows_the_providers_frames_and_no_other():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == frame_origins()
    assert len(providers()) >= 7


def test_readers_get_numbered_notes_linked_both_ways(client):
    article = ArticleFactory(
        body_en='<p>One<span class="note">First <em>note</em>.</span> and two'
        '<span class="note">Second note.</span>.</p>'
    )
    html = client.get(article.get_absolute_url("en")).content.decode()
    assert '<a href="#note-1" id="note-ref-1" aria-label="Note 1">1</a>' in html
    assert '<a href="#note-2" id="note-ref-2" aria-label="Note 2">2</a>' in html
    assert re.search(r'<li id="note-1">First <em>note</em>\. <a href="#note-ref-1"', html)
    assert re.search(r'<li id="note-2">Second note\. <a href="#note-ref-2"', html)
    # The notes come after the body's text.
    assert html.index("and two") < html.index('<li id="note-1">')


def test_readers_get_a_facade_and_nothing_from_the_provider(client):
    article = ArticleFactory(body_en=RICH)
    html = client.get(article.get_absolute_url("en")).content.decode()
    facade = re.search(r'<div class="embed embed-video".*?</div>', html, re.S)[0]
    assert 'data-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in facade
    assert "The count, live" in facade
    assert "YouTube" in facade
    assert "Load content from YouTube</button>" in facade
    assert "<iframe" not in html
    assert not re.search(r'(?:src|srcset)="https?://(?!testserver)', html)
    assert "js/embeds.js" in html
    assert (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Turnout by region">'
        + TABLE
        + "</div>"
    ) in html


def test_feeds_turn_embeds_into_links_and_keep_notes(client):
    ArticleFactory(body_en=RICH)
    feed = unescape(client.get(reverse("articles:rss")).content.decode())
    assert f'<p><a href="{YOUTUBE}">The count, live</a></p>' in feed
    assert "Load content" not in feed
    assert "data-embed" not in feed
    assert "Official figures, 3 May." in feed
    assert "note-1" in feed


def test_summaries_and_search_leave_notes_and_embeds_out(client):
    article = ArticleFactory(
        body_en=f'<div data-embed="{YOUTUBE}" data-title="Live"></div>'
        '<p>The count is in<span class="note">Official figures.</span>.</p>',
        seo_description="",
        standfirst_en="",
    )
    html = client.get(article.get_absolute_url("en")).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', html)[1]
    assert description == "The count is in."
    found = client.get(reverse("articles:search"), {"q": "count"}).content.decode()
    assert "The <mark>count</mark> is in" in found
    assert "Official figures" not in found
    assert "youtube" not in found.lower()


def test_the_article_page_costs_no_more_queries_with_notes_and_embeds(
    client, django_assert_max_num_queries
):
    body = "".join(
        f'<p>Part {n}<span class="note">Note {n}.</span></p>'
        f'<div data-embed="https://vimeo.com/{n + 1000}"></div>'
        for n in range(20)
    )
    article = ArticleFactory(body_en=body + TABLE)
    navigation()  # the sections and footer pages, remembered by any earlier page view
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url("en"))
    assert response.content.decode().count("Load content from Vimeo") == 20


class Provider(BaseHTTPRequestHandler):
    """A provider's oEmbed endpoint and thumbnail, on this machine."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.requests.append(self.path)
        if self.path.startswith("/oembed"):
            body = json.dumps(
                {
                    "type": "video",
                    "title": "The count, live",
                    "thumbnail_url": f"http://127.0.0.1:{self.server.server_port}/thumb.png",
                }
            ).encode()
            kind = "application/json"
        elif self.path.startswith("/thumb.png"):
            picture = io.BytesIO()
            Image.new("RGB", (1280, 720), "teal").save(picture, "PNG")
            body, kind = picture.getvalue(), "image/png"
        elif self.path.startswith("/slow"):
            time.sleep(3)
            body, kind = b"{}", "application/json"
        else:
            self.send_error(500)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the site stopped waiting (the slow answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_save_keeps_the_providers_title_and_a_copy_of_its_thumbnail(
    settings, provider, client
):
    settings.EMBED_OEMBED_ENDPOINTS = {
        "youtube": f"http://127.0.0.1:{provider.server_port}/oembed"
    }
    article = ArticleFactory(body_en=f'<div data-embed="{YOUTUBE}"></div>')
    stored = re.fullmatch(
        rf'<div data-embed="{re.escape(YOUTUBE)}" data-title="The count, live" '
        r'data-thumbnail="(embeds/[0-9a-f]{40}\.jpg)"></div>',
        article.body_en,
    )
    assert stored, article.body_en
    with default_storage.open(stored[1]) as thumbnail, Image.open(thumbnail) as image:
        assert image.format == "JPEG"
        assert image.width <= 640
    assert provider.requests[0].startswith("/oembed?url=https%3A%2F%2Fwww.youtube.com")
    # Read from this site, never from the provider.
    html = client.get(article.get_absolute_url("en")).content.decode()
    assert f'<img src="/media/{stored[1]}" alt=""' in html
    asked = len(provider.requests)
    article.save()
    assert len(provider.requests) == asked  # known details are not asked for again


@pytest.mark.parametrize("path", ["/slow", "/broken"])
def test_a_provider_that_does_not_answer_never_fails_the_save(settings, provider, path):
    settings.EMBED_OEMBED_ENDPOINTS = {"youtube": f"http://127.0.0.1:{provider.server_port}{path}"}
    settings.EMBED_FETCH_TIMEOUT = 0.5
    article = ArticleFactory(body_en=f'<div data-embed="{YOUTUBE}"></div><p>Text.</p>')
    assert article.body_en == f'<div data-embed="{YOUTUBE}"></div><p>Text.</p>'
    assert Article.objects.get(pk=article.pk).body_en == article.body_en
