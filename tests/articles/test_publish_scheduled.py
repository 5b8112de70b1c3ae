"""`manage.py publish_scheduled`: the side effects of scheduled publications, once each."""

import importlib
import logging
import re
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleEvent
from newsroom.pagecache import marks
from newsroom.pagecache.tags import tag_pk
from tests.factories import ArticleFactory

WENT_LIVE = ArticleEvent.Action.WENT_LIVE


def publish_scheduled(*args):
    out = StringIO()
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


def went_live():
    """(article id, language, moment) of every recorded "went live" event, oldest first."""
    return list(
        ArticleEvent.objects.filter(action=WENT_LIVE)
        .order_by("pk")
        .values_list("article_id", "language", "published_at")
    )


def scheduled_article(editor, at, **fields):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, **fields)
    services.schedule(article, by=editor, at=at)
    return article


@pytest.mark.django_db
class TestPublishScheduled:
    def test_nothing_is_due_before_the_publication_time(self, admin_user):
        scheduled_article(admin_user, timezone.now() + timedelta(hours=1))
        assert "0 published" in publish_scheduled()
        assert went_live() == []

    def test_a_scheduled_article_is_recorded_once_its_time_has_come(self, admin_user, caplog):
        at = timezone.now() + timedelta(hours=1)
        article = scheduled_article(admin_user, at)
        with time_machine.travel(at + timedelta(seconds=1)), caplog.at_level(logging.INFO):
            output = publish_scheduled()
        assert "1 published" in output
        assert went_live() == [(article.pk, "", at)]
        assert f"published article {article.pk}" in caplog.text

    def test_repeated_runs_record_each_item_once(self, admin_user):
        at = timezone.now() + timedelta(hours=1)
        scheduled_article(admin_user, at)
        with time_machine.travel(at + timedelta(minutes=1)):
            publish_scheduled()
            assert "0 published" in publish_scheduled()
        assert len(went_live()) == 1

    def test_an_article_published_at_once_or_long_ago_is_not_due(self, admin_user):
        ArticleFactory(published_at=timezone.now() - timedelta(days=400))
        draft = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
        services.publish(draft, by=admin_user)
        assert "0 published" in publish_scheduled()
        assert went_live() == []

    def test_a_later_language_release_is_its_own_item(self, admin_user):
        at = timezone.now() + timedelta(hours=1)
        release_ru = at + timedelta(hours=2)
        article = scheduled_article(admin_user, at, translated=True, release_at_ru=release_ru)
        with time_machine.travel(at + timedelta(minutes=1)):
            publish_scheduled()
        assert went_live() == [(article.pk, "", at)]
        with time_machine.travel(release_ru + timedelta(minutes=1)):
            publish_scheduled()
            publish_scheduled()
        assert went_live() == [(article.pk, "", at), (article.pk, "ru", release_ru)]

    def test_a_language_released_after_an_article_published_at_once_is_due(self, admin_user):
        release_fr = timezone.now() + timedelta(hours=3)
        article = ArticleFactory(translated=True, release_at_fr=release_fr)
        assert "0 published" in publish_scheduled()
        with time_machine.travel(release_fr + timedelta(seconds=1)):
            assert "1 published" in publish_scheduled()
        assert went_live() == [(article.pk, "fr", release_fr)]

    def test_a_language_not_ready_is_not_due(self):
        ArticleFactory(
            translated=True, ready_fr=False, release_at_fr=timezone.now() - timedelta(minutes=1)
        )
        assert went_live() == [] and "0 published" in publish_scheduled()

    def test_after_an_outage_every_overdue_item_is_performed_oldest_first(self, admin_user):
        now = timezone.now()
        later = scheduled_article(admin_user, now + timedelta(hours=3))
        earlier = scheduled_article(
            admin_user,
            now + timedelta(hours=1),
            translated=True,
            release_at_fr=now + timedelta(hours=2),
        )
        with time_machine.travel(now + timedelta(days=2)):
            assert "3 published" in publish_scheduled()
        assert [(pk, language) for pk, language, _at in went_live()] == [
            (earlier.pk, ""),
            (earlier.pk, "fr"),
            (later.pk, ""),
        ]

    def test_a_rescheduled_article_is_performed_at_its_new_time_only(self, admin_user):
        first = timezone.now() + timedelta(hours=1)
        article = scheduled_article(admin_user, first)
        services.unpublish(article, by=admin_user)
        second = first + timedelta(hours=5)
        services.schedule(article, by=admin_user, at=second)
        with time_machine.travel(first + timedelta(minutes=1)):
            assert "0 published" in publish_scheduled()
        with time_machine.travel(second + timedelta(minutes=1)):
            assert "1 published" in publish_scheduled()
        assert went_live() == [(article.pk, "", second)]

    def test_the_migration_marks_what_was_already_live(self, admin_user):
        """On an existing site, the first run performs nothing that went live before."""
        now = timezone.now()
        scheduled_article(admin_user, now + timedelta(minutes=5))
        ArticleFactory(translated=True, release_at_fr=now + timedelta(minutes=10))
        migration = importlib.import_module("articles.migrations.0009_went_live_events")
        with time_machine.travel(now + timedelta(hours=1)):
            migration.record_what_is_already_live(apps, None)
            assert "0 published" in publish_scheduled()
        assert len(went_live()) == 3  # two articles and one later French release

    def test_the_dry_run_lists_what_is_due_and_changes_nothing(self, admin_user):
        at = timezone.now() + timedelta(hours=1)
        article = scheduled_article(admin_user, at)
        with time_machine.travel(at + timedelta(minutes=1)):
            output = publish_scheduled("--dry-run")
        assert f"Would publish article {article.pk} (all languages)" in output
        assert "1 due (dry run" in output
        assert went_live() == []

    def test_the_pages_showing_the_article_go_stale(self, admin_user):
        at = timezone.now() + timedelta(hours=1)
        article = scheduled_article(admin_user, at)
        name = tag_pk(Article, article.pk)
        before = time.time_ns()
        with time_machine.travel(at + timedelta(minutes=1)):
            publish_scheduled()
        assert not marks.unchanged_since(before, [name])

    def test_an_article_unpublished_before_its_time_is_not_performed(self, admin_user):
        at = timezone.now() + timedelta(hours=1)
        article = scheduled_article(admin_user, at)
        services.unpublish(article, by=admin_user)
        with time_machine.travel(at + timedelta(minutes=1)):
            assert "0 published" in publish_scheduled()
        assert went_live() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_on_postgresql_perform_each_item_exactly_once(admin_user):
    now = timezone.now()
    articles = [
        scheduled_article(
            admin_user,
            now + timedelta(minutes=minutes),
            translated=True,
            release_at_ru=now + timedelta(hours=1, minutes=minutes),
        )
        for minutes in range(1, 16)
    ]
    barrier = threading.Barrier(4)
    errors, outputs = [], []

    def run():
        try:
            barrier.wait()
            outputs.append(publish_scheduled())
        except Exception as error:  # noqa: BLE001 (the assertion below reports it)
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(now + timedelta(hours=2)):
        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sum(int(re.search(r"(\d+) published", output)[1]) for output in outputs) == 30
    recorded = [(pk, language) for pk, language, _at in went_live()]
    assert sorted(recorded) == sorted(
        [(article.pk, "") for article in articles] + [(article.pk, "ru") for article in articles]
    )
