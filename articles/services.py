"""Workflow transitions of an article: the only place its status or publication time changes.

Each function checks that `by` may do it and that the article is in a state that allows it,
then saves and records an `ArticleEvent`. The admin, commands and tests all call these.
Refusals raise `PermissionDenied` (not allowed) or `ValidationError` (not possible now).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import roles
from articles.models import Article, ArticleEvent

Status = Article.Status
Action = ArticleEvent.Action


def submit_for_review(article, *, by):
    """Draft -> in review. Authors of the article and editors."""
    if not roles.can_submit(by, article):
        raise PermissionDenied(_("Only the article's authors or an editor can submit it."))
    if article.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    return _transition(article, by=by, action=Action.SUBMITTED, status=Status.REVIEW)


def publish(article, *, by):
    """Publish now: a draft, an article in review or a scheduled one goes live at once."""
    _require_editor(by)
    if article.status == Status.PUBLISHED and not article.is_scheduled:
        raise ValidationError(_("This article is already published."))
    return _transition(
        article, by=by, action=Action.PUBLISHED, status=Status.PUBLISHED, at=timezone.now()
    )


def schedule(article, *, by, at):
    """Publish at a future time; readers see it from then on. A live article is unpublished
    first, so that it never vanishes by surprise."""
    _require_editor(by)
    if article.status == Status.PUBLISHED and not article.is_scheduled:
        raise ValidationError(_("This article is already published: unpublish it first."))
    if at is None or at <= timezone.now():
        raise ValidationError(_("Pick a publication time in the future."))
    return _transition(article, by=by, action=Action.SCHEDULED, status=Status.PUBLISHED, at=at)


def unpublish(article, *, by):
    """Published or scheduled -> draft: readers no longer see it in any language."""
    _require_editor(by)
    if article.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published or scheduled article can be unpublished."))
    return _transition(article, by=by, action=Action.UNPUBLISHED, status=Status.DRAFT)


def available_transitions(article, user):
    """Names of the functions above that `user` may apply to `article` now, in order."""
    live = article.status == Status.PUBLISHED and not article.is_scheduled
    names = []
    if article.status == Status.DRAFT and roles.can_submit(user, article):
        names.append("submit_for_review")
    if roles.is_editor(user):
        if not live:
            names += ["publish", "schedule"]
        if article.status == Status.PUBLISHED:
            names.append("unpublish")
    return names


def record_edit(article, *, by):
    """An editor's or translator's save of the article's content."""
    return content_changed(article, by=by, action=Action.EDITED)


def content_changed(article, *, by, action, published_at=None):
    """Everything that must follow any change to an article happens here: the event log
    now, and any other consequence of changed content (such as cache purges)."""
    return ArticleEvent.objects.create(
        article=article, action=action, by=by, published_at=published_at
    )


def _require_editor(user):
    if not roles.is_editor(user):
        raise PermissionDenied(_("Only an editor can publish, schedule or unpublish."))


@transaction.atomic
def _transition(article, *, by, action, status, at=None):
    before = article.status, article.published_at
    article.status = status
    if at is not None:
        article.published_at = at
    try:
        # The model's rules apply: a published article needs its original language ready.
        article.clean()
    except ValidationError:
        article.status, article.published_at = before
        raise
    article.save(update_fields=["status", "published_at", "updated_at"])
    return content_changed(article, by=by, action=action, published_at=article.published_at)
