"""Workflow transitions of an article or any other kind of content (`articles.publishable`):
the only place its status or publication time changes.

Each function checks that `by` may do it and that the article is in a state that allows it,
then saves and records an event in its history (`ContentEvent`). The admin, commands and
tests all call these.
Refusals raise `PermissionDenied` (not allowed) or `ValidationError` (not possible now).
"""

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import roles
from articles.models import language_codes
from articles.publishable import ContentEvent, Status, publishable_kinds

logger = logging.getLogger(__name__)

Action = ContentEvent.Action


def check_submit_for_review(article, by):
    if not roles.can_submit(by, article):
        raise PermissionDenied(_("Only the article's authors or an editor can submit it."))
    if article.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))


def check_publish(article, by):
    _require_editor(by)
    if article.status == Status.PUBLISHED and not article.is_scheduled:
        raise ValidationError(_("This article is already published."))


def check_schedule(article, by):
    _require_editor(by)
    if article.status == Status.PUBLISHED and not article.is_scheduled:
        raise ValidationError(_("This article is already published: unpublish it first."))


def check_unpublish(article, by):
    _require_editor(by)
    if article.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published or scheduled article can be unpublished."))


# Each step's check, in the order the desk offers them: it raises `PermissionDenied` (not
# allowed) or `ValidationError` (not possible now) with the reason.
CHECKS = {
    "submit_for_review": check_submit_for_review,
    "publish": check_publish,
    "schedule": check_schedule,
    "unpublish": check_unpublish,
}


def submit_for_review(article, *, by):
    """Draft -> in review. Authors of the article and editors."""
    check_submit_for_review(article, by)
    return _transition(article, by=by, action=Action.SUBMITTED, status=Status.REVIEW)


def publish(article, *, by):
    """Publish now: a draft, an article in review or a scheduled one goes live at once."""
    check_publish(article, by)
    return _transition(
        article, by=by, action=Action.PUBLISHED, status=Status.PUBLISHED, at=timezone.now()
    )


def schedule(article, *, by, at):
    """Publish at a future time; readers see it from then on. A live article is unpublished
    first, so that it never vanishes by surprise."""
    check_schedule(article, by)
    if at is None or at <= timezone.now():
        raise ValidationError(_("Pick a publication time in the future."))
    return _transition(article, by=by, action=Action.SCHEDULED, status=Status.PUBLISHED, at=at)


def unpublish(article, *, by):
    """Published or scheduled -> draft: readers no longer see it in any language."""
    check_unpublish(article, by)
    return _transition(article, by=by, action=Action.UNPUBLISHED, status=Status.DRAFT)


def refusal(transition, article, user):
    """Why `user` may not run `transition` on `article` now, or None if they may."""
    try:
        CHECKS[transition](article, user)
    except PermissionDenied as error:
        return str(error)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def available_transitions(article, user):
    """Names of the steps above that `user` may apply to `article` now, in order."""
    return [name for name in CHECKS if refusal(name, article, user) is None]


def record_edit(article, *, by, language=""):
    """An editor's save of the article's content, or a translator's of one `language`."""
    return record_event(article, by=by, action=Action.EDITED, language=language)


def record_event(article, *, by, action, published_at=None, language=""):
    """Writes `action` into the article's history, and nothing else: what follows the
    change itself (the page cache, the search index) follows its save, see
    `articles.changes`."""
    return article.events.create(
        action=action, by=by, published_at=published_at, language=language
    )


def went_live(article, *, language="", at):
    """A scheduled article or site page (or, with `language`, one language version) became
    visible at `at`: record it, and do what a save of it would (`changed_without_save()`:
    the cached pages showing it go stale). Readers already see it (the site follows the
    clock): this performs the side effects, for `publish_scheduled`.

    Returns the event, or None when this moment was already recorded (by an earlier or a
    concurrent run).
    """
    try:
        with transaction.atomic():
            event = record_event(
                article, by=None, action=Action.WENT_LIVE, published_at=at, language=language
            )
    except IntegrityError:
        return None
    # No row changed, the clock did: what a save would cause is done here.
    type(article).changed_without_save([article.pk])
    logger.info(
        "published %s %s (%s) at %s",
        article._meta.verbose_name,
        article.pk,
        language or "all languages",
        at.isoformat(),
    )
    return event


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
    return record_event(article, by=by, action=action, published_at=article.published_at)


def due_publications():
    """What `publish_scheduled` has still to perform, oldest first: (moment, kind, id,
    language) for each scheduled item of every kind (`publishable_kinds()`, named by their
    model's label) that went live (language "") and each language version released after its
    item, whose going live is not yet recorded.

    Only scheduled items count: an item published at once had its effects then.
    """
    due = []
    for model in publishable_kinds():
        events = model._meta.get_field("events")
        of_item = {events.field.name: OuterRef("pk")}
        went_live = events.related_model.objects.filter(**of_item, action=Action.WENT_LIVE)
        scheduled = events.related_model.objects.filter(
            **of_item, action=Action.SCHEDULED, published_at=OuterRef("published_at")
        )
        kind = model._meta.label
        due += [
            (moment, kind, pk, "")
            for pk, moment in model.objects.live_in_any_language()
            .filter(Exists(scheduled))
            .exclude(Exists(went_live.filter(language="", published_at=OuterRef("published_at"))))
            .values_list("pk", "published_at")
        ]
        for code in language_codes():
            release_at = f"release_at_{code}"
            due += [
                (moment, kind, pk, code)
                for pk, moment in model.objects.live(code)
                .filter(**{f"{release_at}__gt": F("published_at")})
                .exclude(
                    Exists(went_live.filter(language=code, published_at=OuterRef(release_at)))
                )
                .values_list("pk", release_at)
            ]
    return sorted(due)


def perform_publication(kind, item_id, language, moment):
    """Records one due item of `due_publications()` if it is still due, holding the
    item's row so that concurrent runs skip it. Returns the event or None."""
    with transaction.atomic():
        model = apps.get_model(kind)
        item = model.objects.select_for_update(skip_locked=True).filter(pk=item_id).first()
        if item is None:
            return None
        if language:
            still_due = item.is_live(language) and item.public_since(language) == moment
        else:
            still_due = item.published_at == moment and bool(item.released_languages())
        if not still_due:
            return None
        return went_live(item, language=language, at=moment)
