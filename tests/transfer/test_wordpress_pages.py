"""WordPress pages become site pages, with their translations and old addresses; comments
and attachment pages are not imported, but counted, and attachment pages redirect."""

import pytest

from articles.models import Article
from pages.models import Page
from tests.transfer.conftest import run_import
from tests.transfer.wxr import export, post, translation_group

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"


def page(post_id, title, slug, **kwargs):
    return post(
        post_id,
        title=f"{title}",
        body=f"<p>{title}: what this page says.</p>",
        post_type="page",
        categories=(),
        slug=slug,
        link=f"{SITE}/{slug}/",
        **kwargs,
    )


def comment(number):
    return (
        f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
        "<wp:comment_content><![CDATA[Nice.]]></wp:comment_content></wp:comment>"
    )


def attachment_page(post_id, parent, slug):
    return post(
        post_id,
        title=slug,
        body="",
        status="inherit",
        post_type="attachment",
        categories=(),
        link=f"{SITE}/{slug}/",
        extra=(
            f"<wp:post_parent>{parent}</wp:post_parent>"
            f"<wp:attachment_url>{SITE}/wp-content/uploads/2023/05/{slug}.jpg</wp:attachment_url>"
        ),
    )


def blog():
    return export(
        post(1, extra=comment(1) + comment(2)),
        attachment_page(2, parent=1, slug="harbour-photo"),
        page(10, "About us", "about", language="en", group="pll_about"),
        page(11, "Qui sommes-nous", "a-propos", language="fr", group="pll_about"),
        page(12, "Contact", "contact", status="draft"),
        page(13, "Members only", "members", password="secret"),
        attachment_page(14, parent=10, slug="team-photo"),
        header=translation_group(90, "pll_about", {"en": 10, "fr": 11}),
    )


def test_a_polylang_group_of_pages_becomes_one_site_page_in_two_languages(write_wxr):
    output, _warnings = run_import(write_wxr(blog()))

    about = Page.objects.get(slug_en="about")
    assert (about.title_en, about.title_fr, about.slug_fr) == (
        "About us",
        "Qui sommes-nous",
        "a-propos",
    )
    assert about.released_languages() == ["en", "fr"]
    assert "About us: what this page says." in about.body_en
    assert Article.objects.count() == 1
    lines = [line.strip() for line in output.splitlines()]
    assert "pages: 3 created (translations written: en 3, fr 1)" in lines


def test_drafts_and_protected_pages_stay_unpublished(write_wxr, client):
    _output, warnings = run_import(write_wxr(blog()))

    assert Page.objects.get(slug_en="contact").status == Page.Status.DRAFT
    members = Page.objects.get(slug_en="members")
    assert members.status == Page.Status.DRAFT
    assert "password-protected: imported as a draft" in warnings
    assert client.get("/en/pages/members/").status_code == 404
    assert client.get("/members/").status_code == 404


def test_old_page_addresses_redirect_in_their_language(write_wxr, client):
    run_import(write_wxr(blog()))

    for old, new in [
        ("/about/", "/en/pages/about/"),
        ("/?page_id=10", "/en/pages/about/"),
        ("/a-propos/", "/fr/pages/a-propos/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_attachment_pages_redirect_to_their_post_or_page(write_wxr, client):
    run_import(write_wxr(blog()))

    article = Article.objects.get()
    for old, new in [
        ("/harbour-photo/", article.get_absolute_url("en")),
        ("/?attachment_id=2", article.get_absolute_url("en")),
        ("/team-photo/", "/en/pages/about/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old


def test_comments_and_attachment_pages_are_counted_not_imported(write_wxr):
    output, _warnings = run_import(write_wxr(blog()))

    lines = [line.strip() for line in output.splitlines()]
    assert "skipped: 2 attachment page (redirected to its post or page), 2 comment" in lines


def test_a_rerun_leaves_a_page_edited_here_and_never_brings_back_a_deleted_one(write_wxr):
    path = write_wxr(blog())
    run_import(path)
    about = Page.objects.get(slug_en="about")
    about.title_en = "About the newsroom"
    about.save()
    Page.objects.get(slug_en="contact").delete()

    output, _warnings = run_import(path)

    assert Page.objects.get(pk=about.pk).title_en == "About the newsroom"
    assert not Page.objects.filter(slug_en="contact").exists()
    lines = [line.strip() for line in output.splitlines()]
    assert "pages: 1 unchanged, 2 kept" in lines
