"""Each role can do exactly its list, enforced on the server: direct requests, forged POSTs."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from articles import roles, services
from articles.models import Article
from tests.desk.conftest import change_form_data
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def test_setup_roles_is_idempotent_and_makes_a_translator_group_per_language(desk_roles):
    before = {group.name: set(group.permissions.all()) for group in Group.objects.all()}
    call_command("setup_roles", stdout=StringIO())
    after = {group.name: set(group.permissions.all()) for group in Group.objects.all()}
    assert before == after
    assert set(after) == {
        "Author",
        "Editor",
        *(f"Translator ({name})" for _code, name in settings.LANGUAGES),
    }


def test_setup_roles_restores_a_groups_permissions(desk_roles):
    author = Group.objects.get(name=roles.AUTHOR)
    author.permissions.clear()
    call_command("setup_roles", stdout=StringIO())
    assert author.permissions.filter(codename="change_article").exists()
    assert not author.permissions.filter(codename="publish_article").exists()


# role, article fixture -> (GET change status, POST change status, whether the POST saved).
# An article a user may not see is unknown to them: the admin redirects to its home page.
CHANGE_MATRIX = [
    ("editor", "own_draft", 200, 302, True),
    ("editor", "others_draft", 200, 302, True),
    ("author", "own_draft", 200, 302, True),
    ("author", "others_draft", 302, 302, False),
    ("translator", "own_draft", 200, 302, False),
]


@pytest.mark.parametrize(("role", "target", "get_status", "post_status", "saved"), CHANGE_MATRIX)
def test_change_page_per_role(client, request, role, target, get_status, post_status, saved):
    user = request.getfixturevalue(role)
    article = request.getfixturevalue(target)
    client.force_login(user)
    assert client.get(change_url(article)).status_code == get_status
    response = client.post(
        change_url(article), change_form_data(article, standfirst_en="Changed standfirst")
    )
    assert response.status_code == post_status
    assert (Article.objects.get(pk=article.pk).standfirst_en == "Changed standfirst") == saved


def test_an_author_cannot_edit_their_article_once_published(client, author, editor, own_draft):
    own_draft.status = Status.PUBLISHED
    own_draft.save()
    client.force_login(author)
    response = client.post(change_url(own_draft), change_form_data(own_draft, title_en="Hijack"))
    assert response.status_code == 403
    assert Article.objects.get(pk=own_draft.pk).title_en != "Hijack"


def test_a_forged_status_or_date_in_the_change_form_is_ignored(client, author, own_draft):
    client.force_login(author)
    data = change_form_data(
        own_draft,
        status="published",
        published_at_0="2020-01-01",
        published_at_1="10:00",
        release_at_en_0="2099-01-01",
        release_at_en_1="10:00",
    )
    assert client.post(change_url(own_draft), data).status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT and own_draft.published_at is None
    assert own_draft.release_at_en is None


def test_a_translator_changes_only_their_languages_fields(client, translator, others_draft):
    client.force_login(translator)
    data = change_form_data(
        others_draft,
        title_en="Rewritten original",
        title_ru="Русский",
        body_ru="<p>Текст</p>",
        title_fr="Titre traduit",
        body_fr="<p>Corps traduit</p>",
        ready_fr="on",
        release_at_fr_0="2099-01-01",
        release_at_fr_1="10:00",
    )
    assert client.post(change_url(others_draft), data).status_code == 302
    article = Article.objects.get(pk=others_draft.pk)
    assert (article.title_fr, article.body_fr, article.ready_fr) == (
        "Titre traduit",
        "<p>Corps traduit</p>",
        True,
    )
    assert article.title_en == others_draft.title_en
    assert not article.title_ru
    assert article.release_at_fr is None


def test_a_translator_cannot_touch_an_article_written_in_their_language(
    client, translator, desk_roles
):
    article = ArticleFactory(
        original_language="fr", title_fr="Original", body_fr="<p>Texte</p>", ready_fr=True
    )
    client.force_login(translator)
    response = client.post(change_url(article), change_form_data(article, title_fr="Changé"))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title_fr == "Original"


def test_translators_and_authors_cannot_change_bylines(client, translator, others_draft):
    client.force_login(translator)
    data = change_form_data(others_draft)
    data["bylines-0-position"] = "7"
    client.post(change_url(others_draft), data)
    assert others_draft.bylines.get().position == 0


def test_an_authors_new_article_carries_their_name_and_starts_as_a_draft(client, author):
    """Even when the author bylined only a colleague and forged a published status."""
    client.force_login(author)
    colleague = AuthorFactory()
    data = change_form_data(
        ArticleFactory.build(section=SectionFactory()), status="published", title_en="My piece"
    )
    data.update(
        {
            "slug_en": "",
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": colleague.pk,
            "bylines-0-position": "0",
        }
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(title_en="My piece")
    assert article.status == Status.DRAFT
    assert article.byline == [colleague, author.author_profile]
    assert client.get(change_url(article)).status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("author", False), ("translator", False)]
)
def test_delete_per_role(client, request, role, allowed, own_draft):
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:articles_article_delete", args=[own_draft.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == (302 if allowed else 403)
    assert Article.objects.filter(pk=own_draft.pk).exists() != allowed


# role -> transitions it may run on its own draft (in this order)
TRANSITION_MATRIX = {
    "editor": {"submit_for_review", "publish", "schedule", "unpublish"},
    "author": {"submit_for_review"},
    "translator": set(),
}


@pytest.mark.parametrize("role", TRANSITION_MATRIX)
@pytest.mark.parametrize("transition", ["submit_for_review", "publish", "schedule", "unpublish"])
def test_transition_urls_per_role(client, request, role, transition, own_draft):
    if transition == "unpublish":
        own_draft.status = Status.PUBLISHED
        own_draft.save()
    before = own_draft.status
    client.force_login(request.getfixturevalue(role))
    data = {"published_at": "2099-01-01T09:30"} if transition == "schedule" else {}
    response = client.post(transition_url(own_draft, transition), data)
    own_draft.refresh_from_db()
    if transition in TRANSITION_MATRIX[role]:
        assert response.status_code == 302
        assert own_draft.status != before
    else:
        assert response.status_code == 403
        assert own_draft.status == before


def test_an_author_cannot_submit_another_authors_article_by_its_id(client, author, others_draft):
    client.force_login(author)
    response = client.post(transition_url(others_draft, "submit_for_review"))
    assert response.status_code == 404
    assert Article.objects.get(pk=others_draft.pk).status == Status.DRAFT


def test_an_unknown_transition_or_article_is_a_404(client, editor, own_draft):
    client.force_login(editor)
    assert client.get(transition_url(own_draft, "explode")).status_code == 404
    missing = reverse("admin:articles_article_transition", args=[999999, "publish"])
    assert client.get(missing).status_code == 404


def test_a_refused_transition_is_a_message_not_an_error(client, editor):
    article = ArticleFactory(status=Status.REVIEW, ready_en=False)
    client.force_login(editor)
    response = client.post(transition_url(article, "publish"), follow=True)
    assert response.status_code == 200
    assert "original language must be ready" in response.content.decode()


def test_the_schedule_page_names_the_time_zone_and_reads_times_in_it(
    client, editor, own_draft, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    client.force_login(editor)
    page = client.get(transition_url(own_draft, "schedule")).content.decode()
    assert "Europe/Paris" in page
    client.post(transition_url(own_draft, "schedule"), {"published_at": "2099-06-01T09:30"})
    own_draft.refresh_from_db()
    assert own_draft.published_at.isoformat() == "2099-06-01T07:30:00+00:00"


def test_a_bad_schedule_time_is_a_form_error(client, editor, own_draft):
    client.force_login(editor)
    response = client.post(transition_url(own_draft, "schedule"), {"published_at": "tomorrow"})
    assert response.status_code == 200
    assert Article.objects.get(pk=own_draft.pk).status == Status.DRAFT


def test_bulk_actions_refuse_what_the_role_may_not_do(client, author, own_draft, others_draft):
    client.force_login(author)
    url = reverse("admin:articles_article_changelist")
    client.post(
        url,
        {"action": "publish_selected", "_selected_action": [own_draft.pk, others_draft.pk]},
    )
    client.post(
        url,
        {"action": "submit_selected", "_selected_action": [own_draft.pk, others_draft.pk]},
    )
    assert Article.objects.get(pk=own_draft.pk).status == Status.REVIEW
    assert Article.objects.get(pk=others_draft.pk).status == Status.DRAFT


def test_my_articles_filter_lists_only_the_users_bylines(client, author, own_draft, others_draft):
    client.force_login(author)
    response = client.get(reverse("admin:articles_article_changelist"), {"mine": "1"})
    assert list(response.context["cl"].result_list) == [own_draft]


def test_a_translator_uses_the_translation_page_of_their_language_only(
    client, translator, others_draft
):
    client.force_login(translator)
    french = reverse("admin:articles_article_translation", args=[others_draft.pk, "fr"])
    russian = reverse("admin:articles_article_translation", args=[others_draft.pk, "ru"])
    assert client.get(french).status_code == 200
    assert client.get(russian).status_code == 403
    response = client.post(russian, {"title_ru": "Подмена", "body_ru": "<p>Текст</p>"})
    assert response.status_code == 403
    assert not Article.objects.get(pk=others_draft.pk).title_ru


def test_an_editor_links_an_author_profile_to_a_user_account_by_autocomplete(
    client, editor, author
):
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "authors", "model_name": "author", "field_name": "user", "term": "auth"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["author"]


@pytest.mark.parametrize("role", ["author", "translator"])
def test_only_editors_look_user_accounts_up(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "authors", "model_name": "author", "field_name": "user", "term": "a"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "transition", "reason"),
    [
        ("author", "publish", "Only an editor can publish, schedule or unpublish."),
        ("translator", "publish", "Only an editor can publish, schedule or unpublish."),
        ("author", "schedule", "Only an editor can publish, schedule or unpublish."),
        ("translator", "submit_for_review", "or an editor can submit it."),
    ],
)
def test_a_forbidden_step_is_refused_at_once_on_the_desk_with_the_reason(
    client, request, role, transition, reason, own_draft
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(transition_url(own_draft, transition))
    html = response.content.decode()
    assert response.status_code == 403
    assert reason in html
    assert 'id="site-name"' in html  # the admin's own page, not the public site's 403
    assert f'href="{change_url(own_draft)}"' in html
    assert 'class="workflow-form"' not in html


def test_a_step_impossible_now_is_refused_with_the_reason(client, editor):
    live = ArticleFactory()
    client.force_login(editor)
    response = client.get(transition_url(live, "publish"))
    assert response.status_code == 403
    assert "This article is already published." in response.content.decode()


def test_the_desk_offers_exactly_the_steps_it_accepts(client, request, own_draft):
    for role in ("editor", "author", "translator"):
        user = request.getfixturevalue(role)
        client.force_login(user)
        offered = set(services.available_transitions(own_draft, user))
        for transition in services.CHECKS:
            status = client.get(transition_url(own_draft, transition)).status_code
            assert (status == 200) == (transition in offered), (role, transition)


def test_a_new_article_starts_with_the_authors_own_byline(client, author):
    client.force_login(author)
    response = client.get(reverse("admin:articles_article_add"))
    byline = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert byline["author"].value() == author.author_profile.pk
    assert "Ada Author" in response.content.decode()


def test_a_user_without_an_author_profile_starts_with_an_empty_byline(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_add"))
    assert response.context["inline_admin_formsets"][0].formset.forms[0]["author"].value() is None
