"""Preview: any article, any language, as readers will see it, only for those who may edit it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.desk.conftest import change_form_data, member
from tests.factories import UNKNOWN_LANGUAGE, ArticleFactory

pytestmark = pytest.mark.django_db


def preview_url(article, language):
    return reverse("admin:articles_article_preview", args=[article.pk, language])


def test_an_author_previews_their_unpublished_draft_in_french(client, author, own_draft):
    own_draft.title_fr, own_draft.body_fr = "Brouillon", "<p>Texte <em>à venir</em>.</p>"
    own_draft.save()
    client.force_login(author)
    response = client.get(preview_url(own_draft, "fr"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article__title">Brouillon</h1>' in html
    assert '<html lang="fr">' in html
    assert 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert 'rel="canonical"' not in html


def test_unsaved_changes_are_previewed_without_being_saved(client, editor):
    article = ArticleFactory(translated=True)
    client.force_login(editor)
    data = change_form_data(
        article, title_en="Not saved yet", body_en="<p>New</p><script>x</script>"
    )
    response = client.post(preview_url(article, "en"), data)
    html = response.content.decode()
    assert "Not saved yet" in html and "<p>New</p>" in html
    assert "<script>x</script>" not in html
    assert Article.objects.get(pk=article.pk).title_en == article.title_en


@pytest.mark.parametrize("role", ["author", "outsider", "anonymous"])
def test_nobody_without_edit_rights_sees_a_preview(client, request, role, others_draft):
    if role == "author":
        client.force_login(request.getfixturevalue("author"))
    elif role == "outsider":
        client.force_login(member("outsider"))
    response = client.get(preview_url(others_draft, "en"))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        # A colleague's draft is unknown to them.
        assert response.status_code == 404


def test_a_translator_previews_any_article(client, translator, others_draft):
    client.force_login(translator)
    assert client.get(preview_url(others_draft, "fr")).status_code == 200


def test_a_bad_language_or_article_is_a_404(client, editor, own_draft):
    client.force_login(editor)
    assert client.get(preview_url(own_draft, UNKNOWN_LANGUAGE)).status_code == 404
    missing = reverse("admin:articles_article_preview", args=[999999, "en"])
    assert client.get(missing).status_code == 404


def test_the_preview_never_reaches_readers_pages(client, editor, own_draft):
    client.force_login(editor)
    client.get(preview_url(own_draft, "en"))
    client.logout()
    assert client.get(own_draft.get_absolute_url("en")).status_code == 404


def test_the_edit_page_links_to_a_preview_per_language(client, editor, own_draft):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[own_draft.pk])).content
    for code in ["en", "fr", "ru"]:
        assert preview_url(own_draft, code) in html.decode()


def test_a_correction_note_shows_on_the_article_with_its_date(client):
    article = ArticleFactory(correction_en="An earlier version misnamed the port.")
    html = client.get(article.get_absolute_url("en")).content.decode()
    assert "Updated on" in html and "An earlier version misnamed the port." in html
    assert article.corrected_at is not None
    french = client.get(ArticleFactory(translated=True).get_absolute_url("fr")).content.decode()
    assert "Mis à jour le" not in french


def view_on_site_link(client, article):
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    return re.search(r'<a href="([^"]+)" class="viewsitelink"', html.decode())[1]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": timedelta(days=2)},
    ],
    ids=["draft", "review", "scheduled"],
)
def test_view_on_site_of_an_article_readers_cannot_see_is_its_preview(client, editor, state):
    if isinstance(state["published_at"], timedelta):
        state = state | {"published_at": timezone.now() + state["published_at"]}
    article = ArticleFactory(**state)
    client.force_login(editor)
    link = view_on_site_link(client, article)
    assert link == preview_url(article, "en")
    assert client.get(link).status_code == 200


def test_view_on_site_of_a_live_article_is_its_page_in_a_released_language(client, editor):
    article = ArticleFactory(original_language="fr", title_fr="Titre", body_fr="<p>x</p>")
    article.ready_fr, article.ready_en = True, False
    article.save()
    client.force_login(editor)
    link = view_on_site_link(client, article)
    assert link == article.get_absolute_url("fr")
    assert client.get(link).status_code == 200
