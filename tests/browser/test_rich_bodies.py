"""A table, a note and an embed made with the editor, as readers see them: at 320 px nothing
scrolls sideways but the table's own box, and nothing is fetched from the embed's provider
before the reader asks for it."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
WIDE_TABLE = (
    "<table><caption>Grain shipped, by port and month</caption><tbody><tr>"
    + "".join(f"<th>Port number {n}</th>" for n in range(12))
    + "</tr><tr>"
    + "".join(f"<td>{n * 1000} tonnes</td>" for n in range(12))
    + "</tr></tbody></table>"
)


@pytest.fixture
def editing(page, live_server, client, admin_user):
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    article = ArticleFactory(title_en="Ports and power", body_en="<p>The grain is moving.</p>")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    return article


def menu_button(page, title):
    return page.locator(f".prose-menubar:visible button[title='{title}']").first


def next_frame(page):
    """Wait for the next frame: the editor takes in a caret moved by an arrow key on the
    browser's `selectionchange` event, which may come after the next key otherwise."""
    page.evaluate("() => new Promise(requestAnimationFrame)")


def test_an_editor_inserts_a_table_a_note_and_an_embed_and_readers_get_them(page, editing):
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    page.keyboard.press("End")
    note = "Figures from the port authority"
    page.keyboard.type(" " + note)
    for _character in note:
        page.keyboard.press("Shift+ArrowLeft")
    menu_button(page, "Note: the selected text becomes a numbered note").click()
    page.keyboard.press("ArrowRight")
    next_frame(page)
    page.keyboard.press("Enter")

    menu_button(page, "Embed a post, a video or a sound").click()
    page.locator("dialog[open] input").fill(VIDEO)
    page.locator("dialog[open] button[type=submit]").click()
    page.keyboard.press("Control+End")

    page.locator(".prose-menubar:visible button[title='Insert table']").first.click()
    page.locator("dialog[open] select").last.select_option("Yes")
    page.locator("dialog[open] button[type=submit]").click()
    page.keyboard.type("Port")
    menu_button(page, "Table caption").click()
    page.locator("dialog[open] input").fill("Grain shipped")
    page.locator("dialog[open] button[type=submit]").click()

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    body = Article.objects.get(pk=editing.pk).body_en
    assert '<span class="note">Figures from the port authority</span>' in body, body
    assert "<table><caption>Grain shipped</caption><tbody><tr><th><p>Port</p></th>" in body, body
    assert f'<div data-embed="{VIDEO}"></div>' in body, body
    assert body.index("data-embed") < body.index("<table>"), body

    page.goto(page.url.split("/admin/")[0] + editing.get_absolute_url("en"))
    assert page.locator(".notes li#note-1").inner_text().startswith("Figures from the port")
    page.click("a#note-ref-1")
    assert page.url.endswith("#note-1")
    page.click("#note-1 .note-back")
    assert page.url.endswith("#note-ref-1")
    assert page.locator(".table-scroll caption").inner_text() == "Grain shipped"
    assert page.locator(".embed .embed-provider").inner_text() == "YouTube"


def test_nothing_leaves_the_site_before_the_reader_loads_the_embed(page, live_server):
    article = ArticleFactory(
        body_en=f'<p>Watch.</p><div data-embed="{VIDEO}" data-title="The port at dawn"></div>'
    )
    requested = []
    page.route(
        "**/*",
        lambda route: (
            requested.append(route.request.url),
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
        ),
    )
    page.goto(live_server.url + article.get_absolute_url("en"))
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert page.locator("iframe").count() == 0

    page.get_by_role("button", name="Load content from YouTube").click()
    frame = page.locator(".embed iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("title") == "The port at dawn"
    page.wait_for_timeout(500)
    assert any(url.startswith("https://www.youtube-nocookie.com/") for url in requested)


def test_at_320_px_a_wide_table_and_an_embed_scroll_no_page_sideways(browser, live_server):
    article = ArticleFactory(
        body_en="<p>Figures.</p>"
        + WIDE_TABLE
        + f'<div data-embed="{VIDEO}" data-title="{"A very long title " * 8}"></div>'
        + "<pre><code>"
        + "x" * 300
        + "</code></pre>"
    )
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url("en"))
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    box = page.locator(".table-scroll")
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    context.close()
