"""Users in each desk role, made the way a site's admin makes them: `setup_roles`, then groups."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles import roles
from articles.models import Article, language_codes
from tests.factories import ArticleFactory, AuthorFactory


@pytest.fixture
def desk_roles(db):
    call_command("setup_roles", stdout=StringIO())


def member(username, *groups):
    user = User.objects.create_user(
        username=username, password="a long test password", is_staff=True
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(desk_roles):
    return member("editor", roles.EDITOR)


@pytest.fixture
def author(desk_roles):
    user = member("author", roles.AUTHOR)
    AuthorFactory(user=user, name_en="Ada Author")
    return user


@pytest.fixture
def translator(desk_roles):
    """A French translator."""
    return member("translator", roles.translator_group("fr"))


@pytest.fixture
def own_draft(author):
    return ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, authors=[author.author_profile]
    )


@pytest.fixture
def others_draft(desk_roles):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None)


def change_form_data(article, **overrides):
    """What the article's change form posts, with `overrides` applied."""
    data = {
        "original_language": article.original_language,
        "section": article.section_id,
        "status": article.status,
        "edit_base": article.updated_at.isoformat() if article.updated_at else "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
    }
    bylines = list(article.bylines.all()) if article.pk else []
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(len(bylines))
    for index, byline in enumerate(bylines):
        data[f"bylines-{index}-id"] = byline.pk
        data[f"bylines-{index}-article"] = article.pk
        data[f"bylines-{index}-author"] = byline.author_id
        data[f"bylines-{index}-position"] = byline.position
    for code in language_codes():
        for field in ["title", "slug", "standfirst", "body"]:
            data[f"{field}_{code}"] = getattr(article, f"{field}_{code}") or ""
        if getattr(article, f"ready_{code}"):
            data[f"ready_{code}"] = "on"
    data.update(overrides)
    return data
