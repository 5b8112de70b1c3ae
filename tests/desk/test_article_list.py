"""The article list and the desk's times: statuses with "Scheduled", times in the
newsroom's zone."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def one_of_each(desk_roles):
    return {
        "draft": ArticleFactory(status=Status.DRAFT, published_at=None),
        "review": ArticleFactory(status=Status.REVIEW, published_at=None),
        "scheduled": ArticleFactory(published_at=timezone.now() + timedelta(days=1)),
        "published": ArticleFactory(),
    }


@pytest.mark.parametrize("status", ["draft", "review", "scheduled", "published"])
def test_the_status_filter_tells_scheduled_from_published(client, editor, one_of_each, status):
    client.force_login(editor)
    response = client.get(reverse(CHANGELIST), {"status__exact": status})
    assert list(response.context["cl"].result_list) == [one_of_each[status]]


def test_the_status_filter_offers_scheduled(client, editor, one_of_each):
    client.force_login(editor)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert re.search(r'href="\?status__exact=scheduled"[^>]*>Scheduled</a>', html)


@pytest.mark.parametrize("value", ["nonsense", "9" * 25])
def test_an_unknown_status_is_the_admins_message_not_an_error(client, editor, one_of_each, value):
    client.force_login(editor)
    response = client.get(reverse(CHANGELIST), {"status__exact": value}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse(CHANGELIST) + "?e=1", 302)]


def test_a_nul_byte_in_the_status_is_a_bad_request_not_an_error(client, editor, one_of_each):
    """Any admin query parameter with a NUL is refused before a query is made."""
    client.force_login(editor)
    response = client.get(reverse(CHANGELIST), {"status__exact": "published\x00"})
    assert response.status_code == 400


def test_the_list_shows_the_publication_time_with_the_newsrooms_zone(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    ArticleFactory(published_at=datetime(2026, 12, 6, 4, 16, tzinfo=UTC))
    client.force_login(editor)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert '<td class="field-publication_time">2026-12-06 05:16 CET</td>' in html


def test_the_schedule_page_shows_the_zone_and_the_current_time(
    client, editor, own_draft, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[own_draft.pk, "schedule"])
    with time_machine.travel(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), tick=False):
        html = client.get(url).content.decode()
    assert "Time zone: Europe/Paris. It is now 2026-07-01 10:00 CEST." in html


def test_scheduling_says_when_the_article_goes_live(client, editor, own_draft, settings):
    settings.TIME_ZONE = "Europe/Paris"
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[own_draft.pk, "schedule"])
    response = client.post(url, {"published_at": "2099-06-01T09:30"}, follow=True)
    assert "is scheduled: it goes live on 2099-06-01 09:30 CEST." in response.content.decode()


def test_the_change_page_and_its_activity_name_the_zone(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory(published_at=datetime(2026, 12, 6, 4, 16, tzinfo=UTC))
    article.events.create(action="edited", by=editor, at=datetime(2026, 12, 6, 4, 20, tzinfo=UTC))
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "2026-12-06 05:16 CET" in html.decode()
    assert "2026-12-06 05:20 CET · Edited · editor" in html.decode()
