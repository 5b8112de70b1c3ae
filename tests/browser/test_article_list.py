"""The article list in real Chromium at 1280 px: status, time and languages on one line."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Lines of text in each cell: boxes whose tops are more than half a line apart.
LINES_PER_CELL = """(selector) => [...document.querySelectorAll(selector)].map((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = [...range.getClientRects()].map((rect) => rect.top).sort((a, b) => a - b);
    return tops.filter((top, index) => index === 0 || top - tops[index - 1] > 8).length;
})"""


def test_at_1280_px_status_time_and_languages_fit_on_one_line(
    page, live_server, client, admin_user
):
    authors = [AuthorFactory(name_en=name) for name in ("Ada Lovelace", "Grace Hopper")]
    ArticleFactory(
        translated=True,
        title_en="Ports and power: how the Black Sea grain corridor reshaped three economies",
        authors=authors,
    )
    ArticleFactory(status=Article.Status.REVIEW, published_at=None, authors=authors)
    ArticleFactory(published_at=timezone.now() + timedelta(days=2), authors=authors)
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    assert page.viewport_size["width"] == 1280
    for column in ("status_badge", "publication_time", "readiness"):
        lines = page.evaluate(LINES_PER_CELL, f"#result_list td.field-{column}")
        assert lines and max(lines) == 1, (column, lines)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
