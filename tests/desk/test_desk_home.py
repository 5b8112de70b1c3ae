"""The desk's home page: what waits for each user, each list linking to the full one."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
HOME = "admin:index"


def section(html, section_id):
    found = re.search(
        rf'<section class="module[^"]*" id="{section_id}">(.*?)</section>', html, re.S
    )
    assert found, f"no {section_id} on the page"
    return found[1]


def titles(html, section_id):
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', section(html, section_id))


def home(client, user):
    client.force_login(user)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_sees_the_review_queue_oldest_first(client, editor):
    first, second = (
        ArticleFactory(title_en=title, status=Status.DRAFT, published_at=None)
        for title in ("Submitted first", "Submitted second")
    )
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        services.submit_for_review(second, by=editor)
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        services.submit_for_review(first, by=editor)
    html = home(client, editor)
    assert titles(html, "desk-review") == ["Submitted first", "Submitted second"]
    assert 'href="/admin/articles/article/?status__exact=review"' in html


def test_the_editor_sees_what_goes_live_next_with_time_and_zone(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    ArticleFactory(title_en="Later", published_at=datetime(2099, 1, 2, 8, 0, tzinfo=UTC))
    ArticleFactory(title_en="Sooner", published_at=datetime(2099, 1, 1, 8, 0, tzinfo=UTC))
    ArticleFactory(title_en="Already live")
    html = home(client, editor)
    scheduled = section(html, "desk-scheduled")
    assert titles(html, "desk-scheduled") == ["Sooner", "Later"]
    assert "Sooner</a> · 2099-01-01 09:00 CET" in scheduled
    assert titles(html, "desk-published") == ["Already live"]


def test_the_editor_sees_missing_and_outdated_translations_per_language(client, editor):
    ArticleFactory(translated=True)
    ArticleFactory()  # no French, no Russian
    stale = ArticleFactory(translated=True)
    stale.body_en = "<p>A new fact.</p>"
    stale.save()
    html = home(client, editor)
    translations = section(html, "desk-translations")
    matrix = reverse("admin:articles_translationmatrix_changelist")
    assert f'<a href="{matrix}?state=fr-missing">1 missing</a>' in translations
    assert f'<a href="{matrix}?state=fr-outdated">1 outdated</a>' in translations
    assert "<strong>Russian:</strong>" in translations


def test_an_author_sees_their_own_work_only(client, author):
    mine = {"authors": [author.author_profile]}
    theirs = {"authors": [AuthorFactory()]}
    ArticleFactory(title_en="My draft", status=Status.DRAFT, published_at=None, **mine)
    ArticleFactory(title_en="Their draft", status=Status.DRAFT, published_at=None, **theirs)
    ArticleFactory(title_en="My piece in review", status=Status.REVIEW, **mine)
    ArticleFactory(title_en="Their piece in review", status=Status.REVIEW, **theirs)
    ArticleFactory(title_en="My live piece", **mine)
    ArticleFactory(title_en="Their live piece", **theirs)
    html = home(client, author)
    assert titles(html, "desk-drafts") == ["My draft"]
    assert titles(html, "desk-review") == ["My piece in review"]
    assert titles(html, "desk-published") == ["My live piece"]
    assert 'id="desk-translations"' not in html


def test_a_translator_sees_their_languages_work(client, translator):
    ArticleFactory()
    html = home(client, translator)
    translations = section(html, "desk-translations")
    assert "<strong>French:</strong>" in translations
    assert "Russian" not in translations and "English" not in translations


def test_the_desk_home_costs_the_same_queries_however_much_waits(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    for count in (1, 20):
        for _ in range(count):
            ArticleFactory(status=Status.REVIEW, published_at=None)
            ArticleFactory(published_at=timezone.now() + timedelta(days=1))
            ArticleFactory()
        with django_assert_max_num_queries(12):
            assert client.get(reverse(HOME)).status_code == 200
