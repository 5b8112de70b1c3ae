"""The body's rich text editor at 1280 px in Chromium: its width, its link search, its links."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def change_page(page, live_server, client, admin_user):
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    article = ArticleFactory(title_en="Ports and power", body_en="<p>Start.</p>")
    ArticleFactory(title_en="Grain corridor insurance")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    return article


def test_the_body_editor_fills_the_forms_width(page, change_page):
    editor = page.locator(".prose-editor:visible").bounding_box()
    title = page.locator("#id_title_en").bounding_box()
    row = page.locator(".form-row.field-title_en").bounding_box()
    assert editor["x"] == pytest.approx(title["x"], abs=2)
    assert editor["x"] + editor["width"] >= row["x"] + row["width"] - 40


def test_link_search_results_appear_right_under_the_search_box(page, change_page):
    search = page.locator(".article-link-search input:visible")
    search.fill("grain")
    result = page.locator(".article-link-search button:visible", has_text="Grain corridor")
    box, first = search.bounding_box(), result.bounding_box()
    assert 0 <= first["y"] - (box["y"] + box["height"]) <= 12
    assert first["x"] == pytest.approx(box["x"], abs=2)


def test_a_character_typed_after_a_link_stays_outside_it(page, change_page):
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" See ")
    page.locator(".article-link-search input:visible").fill("grain")
    page.locator(".article-link-search button:visible", has_text="Grain corridor").click()
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(", then more")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    body = Article.objects.get(pk=change_page.pk).body_en
    assert "Grain corridor insurance</a>, then more" in body, body
