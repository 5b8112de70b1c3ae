"""Revisions on every save, per-language comparison, restore; no silent overwrite."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.revisions import revisions_of, word_diff
from tests.desk.conftest import change_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def save(client, article, **changes):
    article.refresh_from_db()
    return client.post(change_url(article), change_form_data(article, **changes))


def test_every_save_keeps_a_revision_with_who_and_when(client, editor):
    article = ArticleFactory(translated=True, title_fr="Premier titre")
    client.force_login(editor)
    assert save(client, article, title_fr="Deuxième titre").status_code == 302
    assert save(client, article, body_ru="<p>Новый текст</p>").status_code == 302
    versions = list(revisions_of(article))
    assert len(versions) == 2
    assert all(version.revision.user == editor for version in versions)
    assert versions[0].field_dict["body_ru"] == "<p>Новый текст</p>"
    assert versions[1].field_dict["title_fr"] == "Deuxième titre"


def test_the_history_compares_two_revisions_language_by_language(
    client, editor, django_assert_max_num_queries
):
    article = ArticleFactory(translated=True, title_fr="Les ports de la mer Noire")
    client.force_login(editor)
    save(client, article)
    save(
        client,
        article,
        title_fr="Les ports de la Baltique",
        body_en="<p>The body.</p><h2>A subheading</h2><p>Much more body.</p>",
    )
    newer, older = revisions_of(article)
    with django_assert_max_num_queries(12):
        response = client.get(history_url(article), {"from": older.pk, "to": newer.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>mer Noire</del> <ins>Baltique</ins>" in html
    assert "<del>More</del> <ins>Much more</ins>" in html
    assert "<h3>RU</h3>" not in html


def test_an_editor_restores_an_earlier_revision_without_touching_the_workflow(client, editor):
    article = ArticleFactory(translated=True, title_en="Good title")
    client.force_login(editor)
    save(client, article)
    save(client, article, title_en="Vandalised title", body_fr="<p>Cassé</p>")
    good = list(revisions_of(article))[1]
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk, good.pk]))
    assert response.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.title_en == "Good title"
    assert restored.body_fr == article.body_fr
    assert (restored.status, restored.published_at) == (article.status, article.published_at)
    assert len(revisions_of(article)) == 3
    assert restored.events.first().action == "restored"


# The author may not even see a colleague's draft: it is unknown to them.
@pytest.mark.parametrize(("role", "refusal"), [("translator", 403), ("author", 404)])
def test_only_those_who_may_edit_everything_restore(
    client, request, role, refusal, editor, others_draft
):
    client.force_login(editor)
    save(client, others_draft, title_en="First")
    save(client, others_draft, title_en="Second")
    first = list(revisions_of(others_draft))[1]
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("admin:articles_article_restore", args=[others_draft.pk, first.pk])
    )
    assert response.status_code == refusal
    assert Article.objects.get(pk=others_draft.pk).title_en == "Second"


def test_a_revision_of_another_article_cannot_be_restored(client, editor):
    article, other = ArticleFactory(), ArticleFactory()
    client.force_login(editor)
    save(client, other)
    version = revisions_of(other).first()
    url = reverse("admin:articles_article_restore", args=[article.pk, version.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404


def test_the_second_of_two_concurrent_saves_is_refused_with_a_link_to_the_changes(
    client, editor, author, own_draft
):
    first_view = change_form_data(own_draft)
    client.force_login(editor)
    assert save(client, own_draft, title_en="Editor's title").status_code == 302
    client.force_login(author)
    stale = first_view | {"title_en": "Author's title"}
    response = client.post(change_url(own_draft), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "saved this article after you opened it" in html
    assert history_url(own_draft) in html
    assert 'value="Author&#x27;s title"' in html
    assert Article.objects.get(pk=own_draft.pk).title_en == "Editor's title"


def test_a_save_without_the_edit_marker_is_refused(client, editor, own_draft):
    client.force_login(editor)
    data = change_form_data(own_draft, title_en="Blind write")
    data.pop("edit_base")
    assert client.post(change_url(own_draft), data).status_code == 200
    assert Article.objects.get(pk=own_draft.pk).title_en != "Blind write"


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


@pytest.fixture
def french_added_later(client, editor):
    """A live article whose French version, live too, was written after its first revision."""
    article = ArticleFactory(title_en="Grain", body_en="<p>First English.</p>")
    client.force_login(editor)
    save(client, article)
    save(
        client,
        article,
        body_en="<p>Second English.</p>",
        title_fr="Céréales",
        body_fr="<p>Texte français.</p>",
        ready_fr="on",
    )
    article.refresh_from_db()
    assert article.is_live("fr")
    return article


def test_restore_asks_first_showing_what_changes_in_each_language(
    client, editor, french_added_later
):
    article = french_added_later
    before_french = list(revisions_of(article))[1]
    response = client.get(restore_url(article, before_french))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>English</h2>" in html and "<h2>French</h2>" in html
    assert "<del>Second</del> <ins>First</ins>" in html
    assert "<del>Texte français.</del>" in html
    assert Article.objects.get(pk=article.pk).body_en == "<p>Second English.</p>"


def test_restore_refuses_to_take_a_live_language_offline(client, editor, french_added_later):
    article = french_added_later
    before_french = list(revisions_of(article))[1]
    page = client.get(restore_url(article, before_french)).content.decode()
    assert "restoring it would take that language offline" in page
    assert "Restore every language" not in page
    assert 'value="fr"' not in page
    response = client.post(restore_url(article, before_french), {"language": ""})
    assert response.status_code == 200
    assert "restoring it would take that language offline" in response.content.decode()
    article.refresh_from_db()
    assert article.is_live("fr") and article.body_fr == "<p>Texte français.</p>"
    response = client.post(restore_url(article, before_french), {"language": "fr"})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).is_live("fr")


def test_restore_of_one_language_leaves_the_others_and_readiness_alone(
    client, editor, french_added_later
):
    article = french_added_later
    before_french = list(revisions_of(article))[1]
    response = client.post(restore_url(article, before_french), {"language": "en"})
    assert response.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.body_en == "<p>First English.</p>"
    assert restored.body_fr == "<p>Texte français.</p>"
    assert (restored.ready_en, restored.ready_fr) == (True, True)
    assert (restored.status, restored.published_at) == (article.status, article.published_at)
    assert restored.released_languages() == ["en", "fr"]
    event = restored.events.first()
    assert (event.action, event.language) == ("restored", "en")
    assert "Restored the English texts" in revisions_of(restored).first().revision.comment


def test_the_history_links_each_revision_to_its_restore_page(client, editor, french_added_later):
    older = list(revisions_of(french_added_later))[1]
    html = client.get(history_url(french_added_later)).content.decode()
    assert f'href="{restore_url(french_added_later, older)}"' in html


def test_each_history_row_names_the_languages_and_fields_it_changed(client, editor):
    article = ArticleFactory(translated=True)
    client.force_login(editor)
    save(client, article)
    save(client, article, title_fr="Nouveau titre", body_fr="<p>Nouveau.</p>")
    save(client, article, body_en="<p>New.</p>", standfirst_ru="Новый")
    save(client, article)
    html = client.get(history_url(article)).content.decode()
    rows = re.findall(r'<td class="revision-summary">([^<]*)</td>', html)
    assert rows == [
        "No change to the texts",
        "EN: body · RU: standfirst",
        "FR: title, body",
        "First revision",
    ]


def test_the_diff_keeps_headings_and_list_items_apart():
    before = "<h2>Ports</h2><ul><li>Odesa</li><li>Constanța &amp; Varna</li></ul>"
    after = "<h2>Ports</h2><ul><li>Odesa</li><li>Gdańsk</li></ul>"
    assert str(word_diff(before, after)) == (
        "Ports \n Odesa \n <del>Constanța &amp; Varna</del> <ins>Gdańsk</ins>"
    )


def test_the_history_of_an_article_never_saved_on_the_desk(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.get(history_url(article))
    assert response.status_code == 200
    assert "No revision yet" in response.content.decode()
