"""The desk's home page: what waits for each user, from the articles they may see."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q

from articles import roles
from articles.models import Article, ArticleAuthor, ArticleEvent, TranslationState

LIST_LENGTH = 8


@dataclass
class DeskHome:
    waiting_for_review: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)
    my_drafts: list = field(default_factory=list)
    recently_published: list = field(default_factory=list)
    # [(language code, language name, missing count, outdated count), ...]
    translations: list = field(default_factory=list)


def desk_home(user):
    """An editor's view of the whole desk; an author's of their own articles; a
    translator's of the translations into their languages."""
    visible = Article.objects.visible_to(user).defer(
        *(f"body_{code}" for code, _name in settings.LANGUAGES)
    )
    own = visible.filter(
        Exists(ArticleAuthor.objects.filter(article=OuterRef("pk"), author__user=user))
    )
    editor = roles.is_editor(user)
    workload = visible if editor else own
    home = DeskHome(
        waiting_for_review=list(
            workload.in_desk_status("review")
            .annotate(
                submitted_at=Max(
                    "events__at", filter=Q(events__action=ArticleEvent.Action.SUBMITTED)
                )
            )
            .order_by("submitted_at", "updated_at")[:LIST_LENGTH]
        ),
        scheduled=list(
            workload.in_desk_status("scheduled").order_by("published_at")[:LIST_LENGTH]
        ),
        my_drafts=list(own.in_desk_status("draft").order_by("-updated_at")[:LIST_LENGTH]),
        recently_published=list(
            workload.in_desk_status("published").order_by("-published_at")[:LIST_LENGTH]
        ),
    )
    languages = [
        (code, name)
        for code, name in settings.LANGUAGES
        if code in roles.translator_languages(user)
    ]
    if languages:
        totals = visible.translation_totals()
        home.translations = [
            (
                code,
                name,
                totals[code][TranslationState.MISSING],
                totals[code][TranslationState.OUTDATED],
            )
            for code, name in languages
        ]
    return home
