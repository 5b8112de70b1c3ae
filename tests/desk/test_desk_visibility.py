"""Who sees unpublished work on the desk: authors see their own unpublished articles and
every live one, translators those whose original is ready for translation into their
languages, editors everything; in every admin view that shows or finds articles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
TITLE = "Embargoed grain deal"

UNPUBLISHED_STATES = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "review": {"status": Status.REVIEW, "published_at": None},
    "scheduled": {"status": Status.PUBLISHED, "published_at": "future"},
}


def colleagues_article(state, *, original_ready=True, **fields):
    values = dict(UNPUBLISHED_STATES[state])
    if values["published_at"] == "future":
        values["published_at"] = timezone.now() + timedelta(days=3)
    values = {
        "title_en": TITLE,
        "standfirst_en": "A deal nobody may know of yet.",
        "ready_en": original_ready,
        "authors": [AuthorFactory(name_en="A colleague")],
        **values,
    }
    return ArticleFactory(**values | fields)


def listed(response):
    return {article.pk for article in response.context["cl"].result_list}


def found(response):
    return {result["id"] for result in response.json()["results"]}


def shown(response):
    """A page about one article: shown (200), or unknown (404, or the admin's redirect)."""
    assert response.status_code in {200, 302, 404}, response.status_code
    return response.status_code == 200


# view -> (how to request it, whether the response shows the article)
VIEWS = {
    "article list": (
        lambda client, article: client.get(reverse("admin:articles_article_changelist")),
        lambda response, article: article.pk in listed(response),
    ),
    "article list search": (
        lambda client, article: client.get(
            reverse("admin:articles_article_changelist"), {"q": "grain"}
        ),
        lambda response, article: article.pk in listed(response),
    ),
    "change page": (
        lambda client, article: client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ),
        lambda response, article: shown(response),
    ),
    "history and revisions": (
        lambda client, article: client.get(
            reverse("admin:articles_article_history", args=[article.pk])
        ),
        lambda response, article: shown(response),
    ),
    "preview": (
        lambda client, article: client.get(
            reverse("admin:articles_article_preview", args=[article.pk, "en"])
        ),
        lambda response, article: shown(response),
    ),
    "workflow page": (
        lambda client, article: client.get(
            reverse("admin:articles_article_transition", args=[article.pk, "submit_for_review"])
        ),
        lambda response, article: response.status_code != 404,
    ),
    "link search": (
        lambda client, article: client.get(
            reverse("admin:articles_article_link_search"), {"q": "grain"}
        ),
        lambda response, article: article.pk in found(response),
    ),
    "related article autocomplete": (
        lambda client, article: client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "relatedarticle",
                "field_name": "target",
                "term": "grain",
            },
        ),
        lambda response, article: str(article.pk) in found(response),
    ),
    "translation matrix": (
        lambda client, article: client.get(reverse("admin:articles_translationmatrix_changelist")),
        lambda response, article: article.pk in listed(response),
    ),
    "translator's page": (
        lambda client, article: client.get(
            reverse("admin:articles_article_translation", args=[article.pk, "fr"])
        ),
        lambda response, article: shown(response),
    ),
}


def sees(client, view, article):
    request, shows = VIEWS[view]
    return shows(request(client, article), article)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_an_author_does_not_see_a_colleagues_unpublished_article(client, author, view, state):
    article = colleagues_article(state)
    client.force_login(author)
    assert not sees(client, view, article)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_an_editor_sees_every_unpublished_article(client, editor, view, state):
    article = colleagues_article(state, original_ready=False)
    client.force_login(editor)
    assert sees(client, view, article)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_a_translator_sees_an_unpublished_article_once_its_original_is_ready(
    client, translator, view, state
):
    waiting = colleagues_article(state)
    client.force_login(translator)
    assert sees(client, view, waiting)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("state", UNPUBLISHED_STATES)
def test_a_translator_does_not_see_an_original_still_being_written(
    client, translator, view, state
):
    unfinished = colleagues_article(state, original_ready=False)
    client.force_login(translator)
    assert not sees(client, view, unfinished)


@pytest.mark.parametrize("view", VIEWS)
def test_a_translator_does_not_see_unpublished_originals_written_in_their_language(
    client, translator, view
):
    french = colleagues_article(
        "draft", original_language="fr", title_fr=TITLE, body_fr="<p>Texte</p>", ready_fr=True
    )
    client.force_login(translator)
    assert not sees(client, view, french)


NOT_FOR_AUTHORS = {"workflow page", "translator's page"}


@pytest.mark.parametrize("view", [name for name in VIEWS if name not in NOT_FOR_AUTHORS])
def test_an_author_sees_their_own_unpublished_article(client, author, view):
    own = colleagues_article("review", authors=[author.author_profile])
    client.force_login(author)
    assert sees(client, view, own)


@pytest.mark.parametrize(
    "view", [name for name in VIEWS if name not in NOT_FOR_AUTHORS | {"preview"}]
)
def test_an_author_sees_a_colleagues_live_article(client, author, view):
    live = ArticleFactory(title_en="Grain deal signed", authors=[AuthorFactory()])
    client.force_login(author)
    assert sees(client, view, live)


def test_the_link_search_marks_articles_that_are_not_live(client, editor):
    scheduled = colleagues_article("scheduled")
    live = ArticleFactory(title_en="Grain deal signed")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_link_search"), {"q": "grain"})
    results = {result["id"]: result for result in response.json()["results"]}
    assert (results[scheduled.pk]["status"], results[scheduled.pk]["languages"]) == (
        "Scheduled",
        [],
    )
    assert results[live.pk]["languages"] == ["en"]


def test_one_queryset_decides(author, editor, translator):
    mine = colleagues_article("draft", authors=[author.author_profile])
    ready = colleagues_article("review")
    unfinished = colleagues_article("draft", original_ready=False)
    live = ArticleFactory()
    visible = {
        user: set(Article.objects.visible_to(user)) for user in (author, editor, translator)
    }
    assert visible[author] == {mine, live}
    assert visible[translator] == {mine, ready, live}
    assert visible[editor] == {mine, ready, unfinished, live}
