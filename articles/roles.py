"""The desk's roles and the rules that follow from them.

Roles are Django groups made by `manage.py setup_roles`; every rule below reads permissions,
so a user's groups (or a superuser's flag) decide. The admin and the services both ask here.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from modeltranslation.translator import translator

from articles.models import Article, ArticleAuthor, language_codes, live_condition
from articles.publishable import Status

AUTHOR = "Author"
EDITOR = "Editor"
TRANSLATOR = "Translator ({language})"

# States in which an author may still change their own article.
AUTHOR_EDITABLE_STATES = {Status.DRAFT, Status.REVIEW}


def translator_group(code):
    """The group name for translators into `code`, e.g. "Translator (French)"."""
    with translation.override("en"):
        names = {lang: str(name) for lang, name in settings.LANGUAGES}
    return TRANSLATOR.format(language=names[code])


# Translated fields that decide when readers see a language, and translation bookkeeping:
# never edited in a translator's form.
RELEASE_FIELDS = {"release_at", "translated_from"}


def release_field_names():
    return [f"{field}_{code}" for field in RELEASE_FIELDS for code in language_codes()]


def translated_field_names(language, model=Article):
    """The `<field>_<language>` columns of `model` a translator into `language` may edit."""
    fields = translator.get_options_for_model(model).fields
    return [f"{field}_{language}" for field in fields if field not in RELEASE_FIELDS]


def is_editor(user):
    return user.has_perm("articles.publish_article")


def translator_languages(user):
    """Languages `user` translates into (every language for an editor)."""
    return [code for code in language_codes() if user.has_perm(f"articles.translate_{code}")]


def desk_visibility(user, model=Article):
    """The condition for an item of `model` (an article, a site page...) to be visible to
    `user` on the desk (see `PublishableQuerySet.visible_to()`).

    Editors see everything. Anyone else sees every item live in some language, the
    articles they sign, and, as a translator, those whose original is ready for translation
    into one of their languages: an embargoed story stays with those who work on it.
    """
    if is_editor(user):
        return Q()
    now = timezone.now()
    visible = reduce(operator.or_, (live_condition(code, now) for code in language_codes()))
    if user.is_authenticated and issubclass(model, Article):
        signed = ArticleAuthor.objects.filter(article=OuterRef("pk"), author__user=user)
        visible |= Exists(signed)
    for code in translator_languages(user):
        for original in language_codes():
            if original != code:
                visible |= Q(original_language=original, **{f"ready_{original}": True})
    return visible


def is_author_of(user, item):
    """Does `user` sign `item`? Only articles have bylines."""
    return (
        isinstance(item, Article)
        and item.pk is not None
        and item.bylines.filter(author__user=user).exists()
    )


def may_change(user, item):
    """Does `user` hold the permission to change items of `item`'s kind?"""
    return user.has_perm(f"{item._meta.app_label}.change_{item._meta.model_name}")


def translation_languages(user, article):
    """Languages whose fields `user` may edit on `article` as a translator.

    A translator never touches the article's original language.
    """
    return [
        code
        for code in language_codes()
        if code != article.original_language
        and user.has_perm(f"articles.translate_{code}")
        and may_change(user, article)
    ]


def can_edit_everything(user, article):
    """Editors always; authors on their own articles while draft or in review."""
    if not may_change(user, article):
        return False
    if is_editor(user):
        return True
    return article.status in AUTHOR_EDITABLE_STATES and is_author_of(user, article)


def can_edit(user, article):
    """May `user` change anything at all on `article`?"""
    return can_edit_everything(user, article) or bool(translation_languages(user, article))


def can_edit_language(user, article, language):
    """May `user` change `language`'s fields of `article`?"""
    return can_edit_everything(user, article) or language in translation_languages(user, article)


def can_submit(user, article):
    return is_editor(user) or (may_change(user, article) and is_author_of(user, article))
