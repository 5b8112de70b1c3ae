"""The workflow services: one function per transition, permission-checked and logged."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleEvent
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def test_an_author_submits_their_draft_and_the_step_is_logged(author, own_draft):
    services.submit_for_review(own_draft, by=author)
    own_draft.refresh_from_db()
    assert own_draft.status == Status.REVIEW
    event = own_draft.events.latest()
    assert (event.action, event.by) == (ArticleEvent.Action.SUBMITTED, author)


def test_an_author_cannot_submit_a_colleagues_draft(author, others_draft):
    with pytest.raises(PermissionDenied):
        services.submit_for_review(others_draft, by=author)
    others_draft.refresh_from_db()
    assert others_draft.status == Status.DRAFT
    assert not others_draft.events.exists()


@pytest.mark.parametrize("transition", ["publish", "unpublish"])
def test_authors_and_translators_cannot_publish_or_unpublish(
    author, translator, own_draft, transition
):
    own_draft.status = Status.PUBLISHED if transition == "unpublish" else Status.REVIEW
    own_draft.save()
    for user in [author, translator]:
        with pytest.raises(PermissionDenied):
            getattr(services, transition)(own_draft, by=user)
    assert Article.objects.get(pk=own_draft.pk).status == own_draft.status


def test_nobody_but_an_editor_schedules(author, translator, own_draft):
    for user in [author, translator]:
        with pytest.raises(PermissionDenied):
            services.schedule(own_draft, by=user, at=timezone.now() + timedelta(days=1))


def test_an_editor_publishes_now_and_readers_see_it(editor, own_draft):
    services.publish(own_draft, by=editor)
    own_draft.refresh_from_db()
    assert own_draft.status == Status.PUBLISHED
    assert own_draft.published_at <= timezone.now()
    assert list(Article.objects.live("en")) == [own_draft]
    assert own_draft.events.latest().action == ArticleEvent.Action.PUBLISHED


def test_a_scheduled_article_goes_live_at_its_time_and_not_before(editor, own_draft):
    at = timezone.now() + timedelta(days=2)
    services.schedule(own_draft, by=editor, at=at)
    own_draft.refresh_from_db()
    assert own_draft.is_scheduled and own_draft.published_at == at
    assert not Article.objects.live("en").exists()
    with time_machine.travel(at + timedelta(seconds=1)):
        assert list(Article.objects.live("en")) == [own_draft]
    event = own_draft.events.latest()
    assert (event.action, event.published_at) == (ArticleEvent.Action.SCHEDULED, at)


def test_scheduling_in_the_past_is_refused(editor, own_draft):
    with pytest.raises(ValidationError):
        services.schedule(own_draft, by=editor, at=timezone.now() - timedelta(minutes=1))
    assert Article.objects.get(pk=own_draft.pk).status == Status.DRAFT


def test_a_live_article_is_not_rescheduled_without_unpublishing(editor):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.schedule(article, by=editor, at=timezone.now() + timedelta(days=1))
    assert article.is_live("en")


def test_unpublishing_takes_the_article_away_from_readers(editor):
    article = ArticleFactory(translated=True)
    services.unpublish(article, by=editor)
    for code in ["en", "fr", "ru"]:
        assert not Article.objects.live(code).exists()
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_publishing_needs_the_original_language_ready_and_changes_nothing_if_not(editor):
    article = ArticleFactory(status=Status.REVIEW, ready_en=False)
    with pytest.raises(ValidationError):
        services.publish(article, by=editor)
    assert article.status == Status.REVIEW
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    assert not article.events.exists()


def test_a_published_article_cannot_be_published_again_or_submitted(editor):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.publish(article, by=editor)
    with pytest.raises(ValidationError):
        services.submit_for_review(article, by=editor)


def test_available_transitions_follow_role_and_state(editor, author, translator, own_draft):
    assert services.available_transitions(own_draft, author) == ["submit_for_review"]
    assert services.available_transitions(own_draft, translator) == []
    assert services.available_transitions(own_draft, editor) == [
        "submit_for_review",
        "publish",
        "schedule",
    ]
    services.publish(own_draft, by=editor)
    assert services.available_transitions(own_draft, editor) == ["unpublish"]
    assert services.available_transitions(own_draft, author) == []
