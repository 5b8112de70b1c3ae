"""In real Chromium, the strict CSP breaks nothing: no violation on public or admin pages."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long and unguessable passphrase"


@pytest.fixture
def violations(page):
    """CSP violations the page reports, as Chromium logs them."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_public_pages_run_under_the_csp_without_violations(live_server, page, violations):
    article = ArticleFactory(translated=True)
    for url in ["/en/", article.get_absolute_url("fr"), reverse("authors:list")]:
        response = page.goto(live_server.url + url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_editor_logs_in_and_edits_in_language_tabs_without_violations(
    live_server, page, violations, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    article = ArticleFactory(translated=True, title_fr="Ports et pouvoir")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.wait_for_load_state("networkidle")
    page.locator("a.ui-tabs-anchor[href='#tab_id_title_fr']").click()
    assert page.locator("#id_title_fr").input_value() == "Ports et pouvoir"
    assert page.locator("#id_title_fr").is_visible()
    assert not page.locator("#id_title_en").is_visible()
    assert violations == []
