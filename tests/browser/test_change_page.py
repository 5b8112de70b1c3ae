"""The article's change page in real Chromium at 1280 px."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The workflow buttons covering the page's title or the article's title under it.
OVERLAPS = """() => {
    const titles = [...document.querySelectorAll("#content h1, #content h2")]
        .slice(0, 2).map((title) => title.getBoundingClientRect());
    return [...document.querySelectorAll(".object-tools a")].filter((link) => {
        const box = link.getBoundingClientRect();
        return titles.some((title) => box.left < title.right && box.right > title.left
            && box.top < title.bottom && box.bottom > title.top);
    }).map((link) => link.textContent.trim());
}"""


def test_the_workflow_buttons_leave_the_title_readable(page, live_server, client, admin_user):
    article = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        title_en="Ports and power: how the Black Sea grain corridor reshaped three economies",
    )
    client.force_login(admin_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    assert page.evaluate(OVERLAPS) == []
