"""The translation desk in the admin: the matrix, the translator's page, the "no impact" save."""

import json
import re
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from articles import roles
from articles.admin import TranslationMatrixAdmin
from articles.models import Article, TranslationState
from articles.revisions import revisions_of
from tests.desk.conftest import member
from tests.factories import UNKNOWN_LANGUAGE, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

MATRIX = "admin:articles_translationmatrix_changelist"
MATRIX_MAX_QUERIES = 8


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def translator(db):
    call_command("setup_roles", stdout=StringIO())
    return member("translator", roles.translator_group("fr"))


def translation_url(article, language):
    return reverse("admin:articles_article_translation", args=[article.pk, language])


def translation_data(article, language="fr", **fields):
    """What the translator's page posts when opened now, with `fields` typed in."""
    data = {
        f"{field}_{language}": getattr(article, f"{field}_{language}") or ""
        for field in ("title", "standfirst", "body")
    }
    saved = Article.objects.get(pk=article.pk)
    data["edit_base"] = saved.updated_at.isoformat()
    if getattr(saved, f"ready_{language}"):
        data[f"ready_{language}"] = "on"
    return data | fields


def outdated(**fields):
    article = ArticleFactory(translated=True, **fields)
    article.body_en = "<p>The body.</p><h2>A subheading</h2><p>More body, with a new fact.</p>"
    article.save()
    return article


def widget_values(bound_field):
    """(name, value) pairs a browser would submit for one bound field."""
    widget = bound_field.field.widget
    widget = getattr(widget, "widget", widget)  # the admin's "add another" wrapper
    context = widget.get_context(bound_field.html_name, bound_field.value(), {})["widget"]
    for sub in context.get("subwidgets") or [context]:
        value = sub["value"]
        if sub.get("type") == "checkbox":
            if sub.get("attrs", {}).get("checked"):
                yield sub["name"], "on"
        elif isinstance(value, list):
            for item in value:
                yield sub["name"], item
        elif value is not None:
            yield sub["name"], value


def change_form_data(client, article):
    """What the article's change form submits when the editor changes nothing."""
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    forms = [response.context["adminform"].form]
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        forms += [management, *formset.formset.forms]
    for form in forms:
        for bound_field in form:
            for name, value in widget_values(bound_field):
                data.setdefault(name, []).append(value)
    return data


def test_matrix_shows_each_state_and_links_each_cell(editor_client):
    ready = ArticleFactory(translated=True, title_en="All ready")
    stale = outdated(title_en="Stale in French")
    stale.confirm_translation("ru")
    partial = ArticleFactory(title_en="Half done", title_fr="À moitié")
    html = editor_client.get(reverse(MATRIX)).content.decode()
    assert (
        f'class="translation-state translation-ready" href="{translation_url(ready, "fr")}"'
        in html
    )
    assert (
        f'class="translation-state translation-outdated" href="{translation_url(stale, "fr")}"'
        in html
    )
    assert (
        f'class="translation-state translation-ready" href="{translation_url(stale, "ru")}"'
        in html
    )
    assert f'translation-in_progress" href="{translation_url(partial, "fr")}"' in html
    assert f'translation-missing" href="{translation_url(partial, "ru")}"' in html
    original = reverse("admin:articles_article_change", args=[ready.pk])
    assert f'href="{original}">ready (original)</a>' in html


def test_matrix_totals_per_language_follow_the_filters(editor_client):
    section = SectionFactory()
    ArticleFactory(translated=True, section=section)
    outdated(section=section)
    ArticleFactory(section=section)
    ArticleFactory(translated=True)  # another section
    response = editor_client.get(reverse(MATRIX), {"section__id__exact": section.pk})
    totals = dict(response.context["translation_totals"])
    assert {state: count for state, count, _link in totals["French"]} == {
        TranslationState.MISSING: 1,
        TranslationState.IN_PROGRESS: 0,
        TranslationState.OUTDATED: 1,
        TranslationState.READY: 1,
    }
    html = response.content.decode()
    assert "<strong>French:</strong>" in html
    link = f"?section__id__exact={section.pk}&amp;state=fr-outdated"
    assert (
        f'<a class="translation-total translation-outdated" href="{link}">1 outdated</a>' in html
    )


def test_matrix_filters_by_status_author_and_date(editor_client):
    writer = AuthorFactory()
    by_writer = ArticleFactory(authors=[writer])
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = reverse(MATRIX)
    result = editor_client.get(url, {"authors__id__exact": writer.pk}).context["cl"].result_list
    assert list(result) == [by_writer]
    result = editor_client.get(url, {"status__exact": "draft"}).context["cl"].result_list
    assert list(result) == [draft]
    result = editor_client.get(url, {"published_at__isnull": "True"}).context["cl"].result_list
    assert list(result) == [draft]


@pytest.mark.parametrize("size", [1, 30])
def test_matrix_renders_in_constant_queries(editor_client, django_assert_max_num_queries, size):
    section = SectionFactory()
    authors = AuthorFactory.create_batch(3)
    for _ in range(size):
        outdated(section=section, authors=authors)
    with django_assert_max_num_queries(MATRIX_MAX_QUERIES):
        response = editor_client.get(reverse(MATRIX), {"section__id__exact": section.pk})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == size


def test_matrix_is_paginated(editor_client, monkeypatch):
    ArticleFactory.create_batch(3)
    monkeypatch.setattr(TranslationMatrixAdmin, "list_per_page", 2)
    first = editor_client.get(reverse(MATRIX))
    second = editor_client.get(reverse(MATRIX), {"p": 2})
    assert len(first.context["cl"].result_list) == 2
    assert len(second.context["cl"].result_list) == 1


def test_outdated_translation_page_shows_what_changed_in_the_original(editor_client):
    article = outdated()
    html = editor_client.get(translation_url(article, "fr")).content.decode()
    assert "What changed in the original (English)" in html
    assert "More body<ins>, with a new fact</ins>." in html
    assert 'name="title_fr"' in html and 'name="body_fr"' in html
    assert "Corps de l’article." in html


def test_saving_without_confirming_keeps_the_flag(editor_client):
    article = outdated()
    response = editor_client.post(
        translation_url(article, "fr"),
        translation_data(article, title_fr="Titre revu", body_fr="<p>Corps revu.</p>", _save="1"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title_fr == "Titre revu"
    assert article.translation_state("fr") == TranslationState.OUTDATED


def test_save_and_confirm_clears_the_flag_and_logs_who(editor_client, admin_user):
    article = outdated()
    response = editor_client.post(
        translation_url(article, "fr"),
        translation_data(article, body_fr="<p>Corps, avec un fait nouveau.</p>", _confirm="1"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.translation_state("fr") == TranslationState.READY
    assert article.translation_state("ru") == TranslationState.OUTDATED
    assert "French translation saved and confirmed up to date." in response.content.decode()
    assert "What changed" not in response.content.decode()
    entry = admin_user.logentry_set.get()
    assert entry.object_id == str(article.pk)


def test_a_translation_that_cannot_stay_ready_is_refused_with_a_message(editor_client):
    article = outdated()
    response = editor_client.post(
        translation_url(article, "fr"),
        translation_data(article, standfirst_fr="", body_fr="", _confirm="1"),
    )
    assert response.status_code == 200
    assert "A translation needs a title and a body to be ready." in response.content.decode()
    article.refresh_from_db()
    assert article.body_fr and article.translation_state("fr") == TranslationState.OUTDATED


@pytest.mark.parametrize("language", ["en", UNKNOWN_LANGUAGE, "xx"])
def test_no_translation_page_for_the_original_or_unknown_languages(editor_client, language):
    article = ArticleFactory()
    assert editor_client.get(translation_url(article, language)).status_code == 404


def test_unknown_article_is_a_404(editor_client):
    url = reverse("admin:articles_article_translation", args=[999999, "fr"])
    assert editor_client.get(url).status_code in {302, 404}


def test_roles_are_enforced_on_the_server(client, django_user_model):
    article = outdated()
    reader = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    assert client.get(reverse(MATRIX)).status_code == 200
    assert client.get(translation_url(article, "fr")).status_code == 403
    response = client.post(
        translation_url(article, "fr"),
        translation_data(article, title_fr="X", body_fr="<p>X</p>", _confirm="1"),
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.translation_state("fr") == TranslationState.OUTDATED
    nobody = django_user_model.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(reverse(MATRIX)).status_code == 403


def test_change_form_flags_outdated_translations(editor_client):
    article = outdated()
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "The French translation is outdated" in html
    assert f'href="{translation_url(article, "fr")}"' in html


@pytest.mark.parametrize("no_impact", [True, False])
def test_the_editor_can_save_a_trivial_edit_without_translation_impact(editor_client, no_impact):
    article = ArticleFactory(translated=True, title_en="Teh grain corridor")
    data = change_form_data(editor_client, article)
    data["title_en"] = ["The grain corridor"]
    if no_impact:
        data["no_translation_impact"] = ["on"]
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title_en == "The grain corridor"
    expected = TranslationState.READY if no_impact else TranslationState.OUTDATED
    assert article.translation_state("fr") == expected


def test_article_changelist_marks_and_filters_outdated(editor_client):
    stale = outdated()
    ArticleFactory(translated=True)
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"translation": "fr-outdated"})
    assert list(response.context["cl"].result_list) == [stale]
    assert 'class="readiness readiness-outdated" title="outdated">FR</span>' in (
        response.content.decode()
    )


def test_a_translation_saved_over_a_later_edit_of_the_same_language_is_refused(
    client, django_user_model
):
    """Two people on the same translation: the second save keeps the first one's text."""
    article = ArticleFactory(translated=True)
    first = django_user_model.objects.create_superuser("first", password="x")
    second = django_user_model.objects.create_superuser("second", password="x")
    opened_by_second = translation_data(article)
    client.force_login(first)
    response = client.post(
        translation_url(article, "fr"), translation_data(article, title_fr="Titre du premier")
    )
    assert response.status_code == 302
    client.force_login(second)
    response = client.post(
        translation_url(article, "fr"), opened_by_second | {"title_fr": "Titre du second"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "first saved this article after you opened it" in html
    assert reverse("admin:articles_article_history", args=[article.pk]) in html
    assert 'value="Titre du second"' in html
    assert Article.objects.get(pk=article.pk).title_fr == "Titre du premier"


def test_an_editors_save_after_the_translator_opened_the_page_is_kept(client, admin_user):
    article = ArticleFactory(translated=True)
    opened_by_translator = translation_data(article)
    client.force_login(admin_user)
    data = change_form_data(client, article)
    data["body_fr"] = ["<p>Correction de la rédaction.</p>"]
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(change, data).status_code == 302
    article.refresh_from_db()
    assert article.body_fr == "<p>Correction de la rédaction.</p>"
    response = client.post(
        translation_url(article, "fr"), opened_by_translator | {"title_fr": "Titre"}
    )
    assert response.status_code == 200
    assert "saved this article after you opened it" in response.content.decode()
    article.refresh_from_db()
    assert article.title_fr != "Titre"
    assert article.body_fr == "<p>Correction de la rédaction.</p>"


def test_a_translation_page_post_without_the_edit_marker_is_refused(editor_client):
    article = ArticleFactory(translated=True)
    data = translation_data(article, title_fr="Écriture aveugle")
    data.pop("edit_base")
    assert editor_client.post(translation_url(article, "fr"), data).status_code == 200
    assert Article.objects.get(pk=article.pk).title_fr != "Écriture aveugle"


def editor_config(html, name):
    """The rich text editor's configuration of the field `name` on a page."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>', html)
    assert textarea, f"no textarea {name}"
    found = re.search(r'data-django-prose-editor-\w+="([^"]*)"', textarea[0])
    assert found, f"{name} is a plain text box"
    return json.loads(unescape(found[1]))


def test_the_translators_page_has_the_article_forms_editor_under_the_csp(editor_client):
    article = ArticleFactory(translated=True)
    response = editor_client.get(translation_url(article, "fr"))
    html = response.content.decode()
    change = reverse("admin:articles_article_change", args=[article.pk])
    main_form = editor_client.get(change).content.decode()
    assert editor_config(html, "body_fr") == editor_config(main_form, "body_fr")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert f'<script type="importmap" nonce="{nonce}">' in html


def test_the_translators_page_keeps_only_the_allowlist(editor_client):
    article = ArticleFactory(translated=True)
    body = '<h2>Titre</h2><p>Un.</p><p onclick="x()">Deux <script>alert(1)</script></p>'
    response = editor_client.post(
        translation_url(article, "fr"), translation_data(article, body_fr=body)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_fr == "<h2>Titre</h2><p>Un.</p><p>Deux </p>"


def test_the_translator_marks_their_language_ready(client, translator):
    article = ArticleFactory(title_fr="Titre", body_fr="<p>Corps.</p>")
    assert article.translation_state("fr") == TranslationState.IN_PROGRESS
    client.force_login(translator)
    response = client.post(
        translation_url(article, "fr"), translation_data(article, ready_fr="on", _confirm="1")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.ready_fr and article.translation_state("fr") == TranslationState.READY
    page = client.get(translation_url(article, "fr")).content.decode()
    assert re.search(r'<input type="checkbox" name="ready_fr"[^>]* checked>', page)


def test_a_translation_cannot_be_ready_without_a_body(client, translator):
    article = ArticleFactory(title_fr="Titre", body_fr="")
    client.force_login(translator)
    response = client.post(
        translation_url(article, "fr"), translation_data(article, ready_fr="on")
    )
    assert response.status_code == 200
    assert "A translation needs a title and a body to be ready." in response.content.decode()
    assert not Article.objects.get(pk=article.pk).ready_fr


def test_a_translators_save_leaves_a_revision_and_an_activity_entry(client, translator):
    article = ArticleFactory(translated=True)
    client.force_login(translator)
    client.post(translation_url(article, "fr"), translation_data(article, title_fr="Nouveau"))
    revision = revisions_of(article).first()
    assert (revision.revision.user, revision.field_dict["title_fr"]) == (translator, "Nouveau")
    event = article.events.first()
    assert (event.action, event.language, event.by) == ("edited", "fr", translator)
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Edited (FR) · translator" in history.content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [("fr-missing", "missing"), ("fr-outdated", "stale"), ("fr-ready", "ready")],
)
def test_matrix_filters_by_one_languages_state(editor_client, state, expected):
    articles = {
        "missing": ArticleFactory(),
        "stale": outdated(),
        "ready": ArticleFactory(translated=True),
    }
    response = editor_client.get(reverse(MATRIX), {"state": state})
    assert list(response.context["cl"].result_list) == [articles[expected]]


def test_matrix_totals_lead_to_the_filtered_list(editor_client):
    stale = outdated()
    ArticleFactory(translated=True)
    html = editor_client.get(reverse(MATRIX)).content.decode()
    link = re.search(
        r'<a class="translation-total translation-outdated" href="(\?state=fr-[^"]+)">', html
    )
    response = editor_client.get(reverse(MATRIX) + unescape(link[1]))
    assert list(response.context["cl"].result_list) == [stale]


def test_matrix_counts_articles_in_its_footer(editor_client):
    ArticleFactory.create_batch(2)
    html = editor_client.get(reverse(MATRIX)).content.decode()
    assert re.search(r"\s2 articles\s", html)
    assert "translation matrix\n</p>" not in html


def test_an_unknown_translation_state_is_the_admins_message(editor_client):
    response = editor_client.get(reverse(MATRIX), {"state": "fr-lost"}, follow=True)
    assert response.redirect_chain == [(reverse(MATRIX) + "?e=1", 302)]
