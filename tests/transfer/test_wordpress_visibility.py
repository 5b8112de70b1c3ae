"""Nothing the old WordPress site did not show becomes public through an import."""

import re
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from tests.transfer.conftest import run_import
from tests.transfer.wxr import export, post, translation_group

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarsecret"


def hidden_posts():
    """Posts the old site never showed to a reader, each with the secret in its texts;
    and one public post, so that the site has pages to crawl."""
    secret_body = f"<!-- wp:paragraph -->\n<p>{SECRET} body.</p>\n<!-- /wp:paragraph -->"
    return export(
        post(1, "Public story", slug="public-story"),
        post(2, f"{SECRET} protected", secret_body, password="hunter2", slug="protected"),
        post(3, f"{SECRET} private", secret_body, status="private", slug="private"),
        post(4, f"{SECRET} pending", secret_body, status="pending", slug="pending"),
        post(5, f"{SECRET} draft", secret_body, status="draft", slug="draft"),
        post(6, f"{SECRET} trash", secret_body, status="trash", slug="trash"),
        post(7, f"{SECRET} autodraft", secret_body, status="auto-draft", slug="autodraft"),
        post(8, f"{SECRET} revision", secret_body, status="inherit", post_type="revision"),
        # A scheduled post WordPress missed: it stays unpublished until someone acts.
        post(9, f"{SECRET} missed", secret_body, status="future", slug="missed"),
        # A protected English post and its public French translation (Polylang).
        post(10, f"{SECRET} group", secret_body, password="pw", language="en", group="pll_g"),
        post(11, "Histoire publique", slug="histoire", language="fr", group="pll_g"),
        # A private French post, translation of a public English one.
        post(12, "Open original", slug="open-original", language="en", group="pll_h"),
        post(13, f"{SECRET} privé", secret_body, status="private", language="fr", group="pll_h"),
        # Every post of the group protected.
        post(14, f"{SECRET} both en", secret_body, password="x", language="en", group="pll_i"),
        post(15, f"{SECRET} both fr", secret_body, password="x", language="fr", group="pll_i"),
        header=translation_group(50, "pll_g", {"en": 10, "fr": 11})
        + translation_group(51, "pll_h", {"en": 12, "fr": 13})
        + translation_group(52, "pll_i", {"en": 14, "fr": 15}),
    )


@pytest.fixture
def imported(write_wxr):
    return run_import(write_wxr(hidden_posts()))


def same_site_links(response):
    text = response.content.decode(errors="replace")
    for url in re.findall(r'(?:href="|<loc>|<link>)([^"<]+)', text):
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts, limit=400):
    """Every page, feed and sitemap reachable from `starts`: {path: response}."""
    seen, queue = {}, list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(("/admin", "/static", "/media")):
            continue
        response = client.get(path, follow=True)
        seen[path] = response
        if response.status_code == 200:
            queue.extend(same_site_links(response))
    return seen


def test_protected_private_and_unfinished_posts_are_never_public(client, imported):
    # The search word is in every hidden body; the search page repeats it, so not the secret.
    searches = [f"/{code}/search/?q=body" for code in ("en", "fr", "ru")]
    starts = ["/en/", "/fr/", "/ru/", "/sitemap.xml", "/en/rss/", "/fr/atom/", *searches]
    pages = crawl(client, starts)
    assert "/en/articles/public-story/" in pages  # the crawl reached the articles
    assert "/fr/articles/histoire/" in pages
    for path, response in pages.items():
        assert SECRET not in response.content.decode(errors="replace"), path
    assert not Article.objects.live("en").filter(title_en__contains=SECRET).exists()
    assert not Article.objects.live("fr").filter(title_fr__contains=SECRET).exists()


@pytest.mark.parametrize("old_path", ["/?p=2", "/?p=3", "/2023/05/protected/", "/?p=13"])
def test_the_old_address_of_a_hidden_post_reveals_nothing(client, imported, old_path):
    response = client.get(old_path, follow=True)
    assert SECRET not in response.content.decode()


def test_protected_and_private_posts_are_kept_as_drafts_and_the_report_says_so(imported):
    output, warnings = imported
    protected = Article.objects.get(title_en=f"{SECRET} protected")
    assert protected.status == Article.Status.DRAFT and not protected.ready_en
    assert Article.objects.get(title_en=f"{SECRET} private").status == Article.Status.DRAFT
    assert "item 2 (post 2): password-protected: imported as a draft" in warnings
    assert "item 3 (post 3): private: imported as a draft" in warnings
    assert "item 9 (post 9): scheduled for a time already past" in warnings
    assert "articles" in output and "draft" in output


def test_a_public_translation_of_a_protected_post_is_the_only_language_released(imported):
    article = Article.objects.get(slug_fr="histoire")
    assert article.title_en == f"{SECRET} group"
    assert article.status == Article.Status.PUBLISHED
    assert article.original_language == "fr"
    assert article.released_languages() == ["fr"]


def test_a_private_translation_stays_unreleased(imported):
    article = Article.objects.get(slug_en="open-original")
    assert article.released_languages() == ["en"]
    assert not article.ready_fr


def test_a_group_protected_in_every_language_is_a_draft(imported):
    article = Article.objects.get(title_en=f"{SECRET} both en")
    assert article.status == Article.Status.DRAFT
    assert article.released_languages() == []


def test_trash_auto_drafts_and_revisions_are_skipped(imported):
    output, _warnings = imported
    assert not Article.objects.filter(title_en__in=[f"{SECRET} trash", f"{SECRET} autodraft"])
    assert not Article.objects.filter(title_en=f"{SECRET} revision")
    assert "post (trash)" in output and "post (auto-draft)" in output
